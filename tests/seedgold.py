"""The seed gold files beside the repo (../shared/gold/seeds), for the per-field seed tests."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = ROOT.parent / "shared" / "gold" / "seeds"  # ../shared beside the repo


def seed_bodies() -> list[tuple[dict, str]]:
    """(gold, body) per seed: the raw text minus the gold's boilerplate and optional lines."""
    out = []
    for g in sorted(GOLD.glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        raw_path = CORPUS / f"{g.stem}.txt"
        if raw_path.exists():
            drop = {ln.strip() for ln in gold["lines"]["boilerplate"] + gold["lines"]["optional"]}
            raw = raw_path.read_text(encoding="utf-8")
            out.append((gold, "\n\n".join(ln for ln in raw.splitlines() if ln.strip() and ln.strip() not in drop)))
    return out
