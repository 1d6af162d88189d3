"""Regex building blocks shared by the rule-driven stages (dates, money).

A rule file lists surfaces as written ("février", "livre sterling", "d'ici");
``surface_pattern`` turns one into a regex that tolerates what news text does
to it: missing accents, any apostrophe, several spaces, a hyphen or a space.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.text.fold import SURFACE_APOSTROPHES
from pipeline.text.fold import fold_surface as fold  # noqa: F401 - rule surfaces are folded this way

WS = r"[^\S\n]+"  # one or more spaces, never a line break
WS0 = r"[^\S\n]*"
AP = "[" + SURFACE_APOSTROPHES + "]"
_ACCENTS = {"a": "aàâä", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "c": "cç", "y": "yÿ"}
_BASE = {v: k for k, vs in _ACCENTS.items() for v in vs}


def surface_pattern(surface: str, *, optional_hyphen: bool = True, optional_dot: bool = True) -> str:
    """A regex for ``surface`` tolerant to missing accents, apostrophe kinds and spacing.

    A hyphen also matches a space (and may be left out when ``optional_hyphen``);
    a trailing "." becomes optional when ``optional_dot`` ("janv." ~ "janv").
    """
    dot = optional_dot and surface.endswith(".")
    s = surface[:-1] if dot else surface
    hyphen = "(?:[-‐‑]|" + WS + ")" + ("?" if optional_hyphen else "")
    out = []
    for ch in s:
        low = ch.lower()
        if low in _BASE:
            cls = _ACCENTS[_BASE[low]]
            out.append("[" + (cls if ch == low else cls.upper()) + "]")
        elif ch in "'’ʼ":
            out.append(AP + WS0)
        elif ch == " ":
            out.append(WS)
        elif ch in "-‐‑":
            out.append(hyphen)
        else:
            out.append(re.escape(ch))
    return "".join(out) + (r"\.?" if dot else "")


#: Lower-case Latin letters: a word cannot end before one of these (a superset test in C;
#: ``word_starts`` then checks both sides exactly with ``str.isalpha``).
_LATIN_LOWER = "a-zß-öø-ÿœ"


@lru_cache(maxsize=4096)
def _word_regex(word: str, plural: bool) -> re.Pattern:
    follow = "a-rt-wyzß-öø-ÿœ" if plural else _LATIN_LOWER  # "s"/"x" may follow a plural
    return re.compile(re.escape(word) + "(?![" + follow + "])")


def word_starts(low: str, word: str, *, plural: bool = False) -> list[int]:
    """Start offsets of ``word`` in the lower-cased text ``low`` as a whole word.

    Whole word: no letter (``str.isalpha``) just before or just after it; with
    ``plural``, an "s" or "x" may follow if no letter follows that.  Overlapping
    occurrences are all reported.  Same result as a ``str.find`` loop with those
    checks, but the regex engine skips the occurrences inside longer words
    ("an" in "dans", "grand") without a Python step each.
    """
    if word not in low:  # the common case, and the cheapest test
        return []
    pat = _word_regex(word, plural)
    k = len(word)
    out: list[int] = []
    m = pat.search(low)
    while m is not None:
        i = m.start()
        if not (i and low[i - 1].isalpha()):
            nxt = low[i + k:i + k + 2]
            if not nxt[:1].isalpha() or (plural and nxt[:1] in "sx" and not nxt[1:2].isalpha()):
                out.append(i)
        m = pat.search(low, i + 1)
    return out
