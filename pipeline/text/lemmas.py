"""The French lookup lemma table of spacy-lookups-data, loaded once per process.

Shared by the actors stage ("is this capitalised word an ordinary French
word?", "is the next word a verb?") and the sectors/events token matcher
(keys by lemma).  spaCy's own ``load_lookups`` builds a hashed ``Table`` and
took about 2 s to load; this reads the same JSON once into a plain dict
(about 0.4 s).

Keys are lower-cased; where a capitalised entry and a lower-case one fold to
the same key, the lower-case entry wins (the table is case-sensitive and
frnews looks words up in lower case).
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path


def _table_path() -> Path:
    import spacy_lookups_data

    return Path(spacy_lookups_data.__file__).parent / "data" / "fr_lemma_lookup.json.gz"


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """Lower-case word form -> lemma (the first one when the table lists several)."""
    with gzip.open(_table_path()) as fh:
        raw: dict = json.loads(fh.read())
    out: dict[str, str] = {}
    later = []
    for k, v in raw.items():
        if isinstance(v, list):
            if not v:
                continue
            v = v[0]
        if k == k.lower():
            out[k] = v
        else:
            later.append((k.lower(), v))
    for k, v in later:
        out.setdefault(k, v)
    return out


def lemma(word: str) -> str | None:
    """Lookup lemma of a lower-case word, or None when the table does not know it."""
    return table().get(word)


@lru_cache(maxsize=1)
def folded_words(fold) -> frozenset[str]:
    """Every form and lemma of the table, passed through ``fold`` (one call over the whole list)."""
    t = table()
    joined = "\n".join([*t.keys(), *t.values()])
    return frozenset(fold(joined).split("\n"))
