"""The house plan holds: one registry, stages that read only what earlier stages wrote,
no stage importing another, no import cycle, no module over 500 lines."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from pipeline.context import APPEND, INPUTS, Context, ReadGuard
from pipeline.process import Config, process_batch
from pipeline.records import RawRecord
from pipeline.settings import defaults
from pipeline.stages import STAGES, flow_line

PKG = Path(__file__).resolve().parent.parent / "pipeline"
MAX_LINES = 500


def test_every_stage_reads_only_inputs_or_earlier_writes():
    available = set(INPUTS)
    for st in STAGES:
        missing = [f for f in st.reads if f not in available]
        assert not missing, f"stage {st.name} reads {missing}, which no input or earlier stage provides"
        again = [f for f in st.writes if f in available and f not in APPEND]
        assert not again, f"stage {st.name} writes {again}, already written earlier"
        available.update(st.writes)


def test_every_stage_declares_what_the_driver_needs():
    names = [s.name for s in STAGES]
    assert len(names) == len(set(names))
    for st in STAGES:
        assert st.phase in ("prepare", "model", "extract")
        assert (st.run is None) == (st.phase == "model"), st.name
        if st.rules:
            assert (PKG / "rules" / st.rules).is_dir() and st.load_rules is not None, st.name
        if st.settings is not None:
            assert defaults()[st.name] is not None
        assert st.output in (None, "mentions", "events")
    assert [s.phase for s in STAGES] == sorted((s.phase for s in STAGES),
                                               key=["prepare", "model", "extract"].index)


def test_flow_line_is_the_registry_order():
    assert flow_line().split(" → ") == ["read", *(s.name for s in STAGES), "write"]


def test_a_guard_refuses_an_undeclared_read():
    ctx = Context(body="x", doc=None, secret=1)
    g = ReadGuard(ctx, ("body",), "demo")
    assert g.body == "x"
    with pytest.raises(AttributeError, match="does not declare"):
        _ = g.secret
    with pytest.raises(AttributeError):
        g.body = "y"


TEXTS = [
    ("fr", "Un accord signé à Dakar\n\nPar la rédaction, le 3 mars 2024\n\n"
           "Le gouvernement sénégalais et la Banque mondiale ont signé lundi un accord de 20 millions d'euros "
           "pour les écoles de Dakar, a annoncé le ministre de l'Éducation, Awa Diop. "
           "Le financement couvrira aussi des hôpitaux en 2025."),
    ("en", "Kenya signs a loan\n\nNairobi, 4 May 2023\n\nThe government of Kenya signed on Monday a loan "
           "of $500 million with the World Bank to build schools and hospitals across the country, "
           "the finance ministry said in a statement on Tuesday."),
]


@pytest.mark.slow
def test_every_stage_reads_only_what_it_declares_when_it_runs():
    """The whole pipeline with every stage's context wrapped in a ReadGuard (French with the
    model, English rules-only): a stage reading an undeclared field, or returning other
    fields than its writes, fails the article with that stage's name."""
    recs = [RawRecord(article_id=lang, source="t", text=text) for lang, text in TEXTS]
    arts = process_batch(recs, cfg=Config(check_reads=True))
    for a in arts:
        assert a.status == "ok", a.error
        assert a.mentions and a.events
    assert {a.processing for a in arts} == {"full", "rules-only"}


def _modules() -> dict[str, Path]:
    out = {}
    for p in PKG.rglob("*.py"):
        rel = p.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _top_level_imports(path: Path, modname: str, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in tree.body:  # module level only: imports inside functions are lazy by design
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = modname.split(".") if is_pkg else modname.split(".")[:-1]
                pkg = pkg[: len(pkg) - node.level + 1]
                base = ".".join(pkg + ([node.module] if node.module else []))
            for a in node.names:
                sub = f"{base}.{a.name}"
                out.add(sub if sub in modules else base)
    return {m for m in out if m in modules}


def test_no_module_over_500_lines():
    long = {str(p.relative_to(PKG.parent)): n for p in PKG.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_no_stage_imports_another_stage():
    modules = _modules()
    stage_names = {s.run.__module__.split(".")[2] for s in STAGES
                   if s.run is not None and s.run.__module__.startswith("pipeline.stages.")}
    stage_names.add("nlp")
    bad = []
    for name, path in modules.items():
        parts = name.split(".")
        if len(parts) < 3 or parts[1] != "stages":
            continue
        own = parts[2]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for t in targets:
                tp = t.split(".")
                if len(tp) >= 3 and tp[:2] == ["pipeline", "stages"] and tp[2] in stage_names and tp[2] != own:
                    bad.append(f"{name} imports {t}")
    assert not bad, bad


def test_no_import_cycle():
    modules = _modules()
    graph = {m: _top_level_imports(p, m, modules) for m, p in modules.items()}
    for m in graph:  # a package imported by its own submodule is Python's doing, not a cycle
        graph[m] = {d for d in graph[m] if not m.startswith(d + ".")}
    seen, stack, cycles = set(), [], []

    def visit(m):
        if m in stack:
            cycles.append(stack[stack.index(m):] + [m])
            return
        if m in seen:
            return
        seen.add(m)
        stack.append(m)
        for d in sorted(graph[m]):
            visit(d)
        stack.pop()

    for m in sorted(graph):
        visit(m)
    assert not cycles, cycles[:3]


def test_stage_modules_follow_the_convention():
    for st in STAGES:
        if st.run is None:
            continue
        mod = importlib.import_module(st.run.__module__)
        assert callable(st.run), st.name
        if st.rules:
            assert hasattr(mod, "load_rules") or st.load_rules is not None

