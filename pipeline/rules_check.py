"""``frnews rules check``: load and validate every rule file of every stage.

Each stage module exposes ``load_rules()``, which validates its files through
pydantic row models and raises :class:`pipeline.rulebook.RuleFileError` naming
``path:line: [field] reason`` for every malformed row.
"""

from __future__ import annotations

import importlib

from pipeline.rulebook import RULES_DIR

#: Stage modules with a rules folder, in data-flow order.
RULE_STAGES = {
    "boilerplate": "clean",
    "metadata": "metadata",
    "countries": "countries",
    "actors": "actors",
    "dates": "dates",
    "money": "money",
    "sectors": "sectors",
    "events": "events",
}


def _rows(folder: str) -> int:
    n = 0
    for p in sorted((RULES_DIR / folder).rglob("*")):
        if p.suffix in (".tsv", ".jsonl") and p.is_file():
            lines = [ln for ln in p.read_text(encoding="utf-8").splitlines()
                     if ln.strip() and not ln.lstrip().startswith("#")]
            n += len(lines) - (1 if p.suffix == ".tsv" else 0)
    return n


def check_all() -> dict[str, int]:
    """Validate every rule folder; returns the number of rows per folder."""
    out = {}
    for folder, module in RULE_STAGES.items():
        mod = importlib.import_module(f"pipeline.stages.{module}")
        mod.load_rules(RULES_DIR / folder)
        out[folder] = _rows(folder)
    return out
