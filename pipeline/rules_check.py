"""``frnews rules check``: load and validate every rule file of every stage in the registry.

Each stage with a rules folder has a ``load_rules(layers)`` that validates its files
through pydantic row models and raises :class:`pipeline.rulebook.RuleFileError` naming
``path:line: [field] reason`` for every malformed row.  With an overlay folder (``--rules
DIR``) the overlay's rows are validated the same way, on top of the packaged ones.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.rulebook import RuleFileError, stage_layers
from pipeline.settings import load_settings
from pipeline.stages import STAGES


def _rows(files: list[Path]) -> int:
    n = 0
    for p in files:
        lines = [ln for ln in p.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.lstrip().startswith("#")]
        n += len(lines) - (1 if p.suffix == ".tsv" else 0)
    return n


def check_all(overlay: Path | None = None, config: Path | None = None) -> dict[str, int]:
    """Validate every stage's rules (and the settings); returns the number of rows per rules folder."""
    load_settings(config)
    out: dict[str, int] = {}
    problems = []
    for st in STAGES:
        if st.rules is None:
            continue
        try:
            layers = stage_layers(st.rules, overlay)
            st.load_rules(layers)
        except RuleFileError as e:
            problems.extend(e.problems)
            continue
        files = [p for d in layers.dirs if d.is_dir() for p in sorted(d.rglob("*"))
                 if p.is_file() and p.suffix in (".tsv", ".jsonl")]
        out[st.rules] = _rows(files)
    if problems:
        raise RuleFileError(problems)
    return out


__all__ = ["check_all"]
