"""Every way frnews folds text for matching, in one place.

Three folds, because three kinds of matching need them:

- :func:`fold_same_length`: lower case, accents off, apostrophes to ``'``, dashes and odd
  spaces to ``' '``, one character for one character, so offsets into the folded text are
  offsets into the original (the gazetteer scans of countries and actors).
- :func:`fold_surface`: lower case, accents off, apostrophes to ``'`` (a space after one
  removed), hyphens and runs of spaces to one space, trimmed (rule surfaces: dates, money).
- :func:`fold_words`: case-folded, accents off, typographic apostrophes to ``'``, runs of
  white space to one space (line-level cues: boilerplate, metadata).

``APOSTROPHES`` lists every apostrophe any fold recognises; each fold's own set is named
beside it, since changing a set changes what the rules match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Every apostrophe-like character the folds know.
APOSTROPHES = "'’‘ʼ´`′"
DASHES = "-‐‑‒–—―"
ODD_SPACES = "\u00a0\u202f\u2009\u2007\t"
WORD = re.compile(r"\w+")


class _SameLengthTable(dict):
    """``str.translate`` table folding one character to exactly one character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in APOSTROPHES:
            out = "'"
        elif ch in DASHES or ch in ODD_SPACES:
            out = " "
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            low = base.lower()
            out = low if len(low) == 1 else base
            if ch == "œ" or ch == "Œ":
                out = "œ"
        self[code] = out
        return out


_SAME_LENGTH = _SameLengthTable()


def fold_same_length(text: str) -> str:
    """Lower-case, accent-free copy of ``text`` with the same length (offsets are kept)."""
    return text.translate(_SAME_LENGTH)


#: apostrophes of :func:`fold_surface` (the rule-surface regexes accept the same three)
SURFACE_APOSTROPHES = "'’ʼ"
_SURFACE_AP = re.compile("[" + SURFACE_APOSTROPHES + "]\\s*")
_SURFACE_SEP = re.compile(r"[\s\-‐‑–]+")


def fold_surface(text: str) -> str:
    """Lower case, no accents, straight apostrophes, hyphens and spaces as one space."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _SURFACE_AP.sub("'", text)
    return _SURFACE_SEP.sub(" ", text).strip()


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold_words(text: str) -> str:
    """Case-folded, accents removed, typographic apostrophes unified, spaces collapsed.

    The length can differ from the input (combining marks are dropped), so the result
    is only used for matching, never for offsets.
    """
    if text.isascii():
        return " ".join(text.casefold().split())
    s = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'").replace("ʼ", "'"))
    if not s.isascii():
        s = _COMBINING.sub("", s)
    return " ".join(s.casefold().split())


@lru_cache(maxsize=8192)
def fold_line(text: str) -> str:
    """:func:`fold_words` of one line, cached (bounded): the clean stage's rules, density and language
    check and the byline/date test fold the same lines, and a dump repeats its chrome from page to page."""
    return fold_words(text)


def scan(body: str) -> tuple[str, list[re.Match], list[str]]:
    """``fold_same_length(body)``, its ``\\w+`` matches and their strings."""
    folded = fold_same_length(body)
    toks = list(WORD.finditer(folded))
    return folded, toks, [t.group() for t in toks]


def scan_step(ctx, rules, settings) -> dict:
    """Registry step ``scan``: the folded body and its words, shared by countries and actors."""
    return {"scan": scan(ctx.body)}
