"""The stage registry: every per-article stage, once, in data-flow order.

Each entry names the stage's function, the context fields it reads and writes (see
:mod:`pipeline.context`), its rules folder under ``pipeline/rules/`` and its settings
table in ``pipeline/defaults.toml``.  The driver (:mod:`pipeline.process`), ``frnews
explain``, ``frnews rules check``, the stage table of ``docs/CONTRACTS.md`` and the
README's flow line all come from this list; ``tests/test_registry.py`` checks that every
stage reads only what the inputs or an earlier stage wrote.

A stage function is ``run(ctx, rules, settings) -> dict``: ``rules`` is what the module's
``load_rules(layers)`` returned (``None`` without a rules folder), ``settings`` its
validated settings table (``None`` without one), and the dict holds exactly its writes.

Phases: ``prepare`` stages run before the model (in the worker, one article at a time);
``model`` is the batched ``nlp.pipe`` call the driver makes; ``extract`` stages run per
model chunk of the body.  A stage marked ``mentions`` writes a tuple of
:class:`~pipeline.records.Mention` that goes to the mentions table; ``events`` likewise.

Stages never import each other: what several need lives in :mod:`pipeline.text`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.text import fold, tokens


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable | None
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    phase: str = "extract"  # prepare | model | extract
    rules: str | None = None  # folder under pipeline/rules/
    load_rules: Callable | None = None
    settings: type | None = None  # the stage's StageSettings model
    output: str | None = None  # "mentions" | "events": rows of that table
    doc: str = ""


def stage(name: str, reads: tuple[str, ...], writes: tuple[str, ...], *, phase: str = "extract",
          rules: str | None = None, output: str | None = None) -> Stage:
    """A registry entry for the stage module ``pipeline.stages.<name>`` (its ``run``, ``load_rules``
    and ``Settings`` by convention)."""
    module = importlib.import_module(f"{__name__}.{name}")
    return Stage(name=name, run=getattr(module, "run", None), reads=reads, writes=writes, phase=phase,
                 rules=rules, load_rules=getattr(module, "load_rules", None) if rules else None,
                 settings=getattr(module, "Settings", None), output=output,
                 doc=(module.__doc__ or "").strip().splitlines()[0])


def step(fn: Callable, name: str, reads: tuple[str, ...], writes: tuple[str, ...]) -> Stage:
    """A registry entry for a shared helper step of :mod:`pipeline.text` (no rules, no settings)."""
    return Stage(name=name, run=fn, reads=reads, writes=writes, doc=(fn.__doc__ or "").strip().splitlines()[0])


STAGES: tuple[Stage, ...] = (
    stage("decode", ("raw",), ("text", "html_title", "html_published", "notes"), phase="prepare"),
    stage("clean", ("text", "chrome", "clean_text"), ("cleaned", "body"), phase="prepare", rules="boilerplate"),
    stage("metadata", ("raw", "text", "cleaned", "html_title", "html_published"),
          ("meta", "published", "language", "notes"), phase="prepare", rules="metadata"),
    stage("nlp", ("body", "language"), ("doc",), phase="model"),
    step(fold.scan_step, "scan", ("body",), ("scan",)),
    stage("countries", ("body", "doc", "scan"), ("countries",), rules="countries", output="mentions"),
    stage("actors", ("body", "doc", "scan", "countries"), ("actors",), rules="actors", output="mentions"),
    stage("dates", ("body", "published"), ("dates", "notes"), rules="dates", output="mentions"),
    stage("money", ("body", "countries", "language"), ("money",), rules="money", output="mentions"),
    step(tokens.tokens_step, "tokens", ("body", "doc"), ("tokens",)),
    stage("sectors", ("body", "tokens", "actors"), ("sectors",), rules="sectors", output="mentions"),
    stage("events", ("article_id", "body", "doc", "tokens", "published", "language", "countries", "actors", "dates",
                     "money", "sectors"), ("events",), rules="events", output="events"),
)

BY_NAME = {s.name: s for s in STAGES}


def phase(name: str) -> tuple[Stage, ...]:
    return tuple(s for s in STAGES if s.phase == name)


def flow_line() -> str:
    """The README's data-flow line."""
    return " → ".join(["read", *(s.name for s in STAGES), "write"])


def stage_table() -> str:
    """The stage table of docs/CONTRACTS.md (Markdown)."""
    rows = ["| stage | phase | reads | writes | rules | settings | does |", "|---|---|---|---|---|---|---|"]
    for s in STAGES:
        rows.append(f"| `{s.name}` | {s.phase} | {', '.join(s.reads)} | {', '.join(s.writes)} | "
                    f"{'`rules/' + s.rules + '/`' if s.rules else ''} | "
                    f"{'`[' + s.name + ']`' if s.settings else ''} | {s.doc} |")
    return "\n".join(rows)
