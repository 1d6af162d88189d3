"""What an article's cached result depends on besides its input: the pipeline key.

``pipeline_key`` hashes the package's own files (code, rules, defaults), a rules overlay,
the merged settings, the ``--no-clean`` switch and the model.  It is part of every
article's cache key in the run store, so editing a stage's code, a rule row or a
threshold recomputes the articles on the next run, without ``--force``.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from pipeline import __version__

PACKAGE_DIR = Path(__file__).parent
#: files whose content can change an output
HASHED_SUFFIXES = frozenset({".py", ".tsv", ".jsonl", ".json", ".toml", ".txt", ".gz", ".csv"})


@lru_cache(maxsize=8)
def tree_hash(root: Path) -> str:
    """A short content hash of every output-relevant file under ``root`` (names and bytes)."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in HASHED_SUFFIXES and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode() + b"\0")
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def code_hash() -> str:
    """Hash of the installed ``pipeline`` package: its code, rules and defaults."""
    return tree_hash(PACKAGE_DIR)


def pipeline_key(*, model: str, clean_text: bool, settings_digest: str, rules_overlay: Path | None) -> str:
    overlay = tree_hash(Path(rules_overlay).resolve()) if rules_overlay is not None else "-"
    return (f"{__version__}+code.{code_hash()}+rules.{overlay}+settings.{settings_digest}"
            f"+clean={clean_text}+{model}")
