"""Label lines: the short lines of a body that are not prose (menus, tags, captions, bylines,
links to other articles), and the mentions named only there.

Shared by the countries and actors stages (and the sectors stage's weights): a country or an actor that the body names only on
label lines is not one the article is about (issue 15).  A label line has at most
``max_words`` words, does not end like a sentence and is not the body's first line (the
headline).  Only a body laid out in paragraphs (one line of ``paragraph_words`` words or more)
has label lines: in a hard-wrapped text every line is short.

Asides (:class:`AsideCues`, ``rules/actors/asides.tsv``): lines of such a body that are a teaser of
another page or a reader's comment, whatever the clean stage kept: a line next to a bare call to
read ("Lire", "Voir", "Écouter"), a line starting with a link ("Article suivant ...") or ending with a
paywall tag or a cut ("... Abonnés", "... (...)"), a line right before a comment's signature
("— Le 20 septembre, par X.") or before a bare date line ("Le 5 juillet", "- 24/09/2019"), a line
of many words without any punctuation (a tag cloud), a byline with a clock time ("Le Journal | 12.03.2024
à 09h41 • Mis à jour le ...").  Asides are read in any layout.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from pipeline.text.fold import fold_words

#: how a line that is a sentence (or a quotation, a parenthesis) ends
SENTENCE_END = tuple(".!?…:;»\"”)")

M = TypeVar("M")

_MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
#: a reader's comment signature line (folded): "— Le 20 septembre, par X.", "- par X"
_SIGNATURE = re.compile(rf"^[-–—]\s*(?:le\s+\d{{1,2}}(?:er)?\s+(?:{_MONTHS})(?:\s+\d{{4}})?\s*,?\s*)?par\s+\S")
#: a line that is only a date (folded): "Le 5 juillet", "- 24/09/2019", "3 mars 2020"
_DATE_LINE = re.compile(rf"^[-–—•]?\s*(?:le\s+)?(?:\d{{1,2}}(?:er)?\s+(?:{_MONTHS})(?:\s+\d{{4}})?"
                        r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\s*$")
#: lines shorter than this are folded whole; a longer line's first and last characters only
_SHORT_CHARS = 80
_AFFIX_CHARS = 30
#: the first character of a signature or a date line (a dash, a bullet, "Le", a digit)
_END_STARTS = frozenset("-–—•Ll0123456789")
_CLOCK = re.compile(r"\b\d{1,2}\s?[h:]\s?\d{2}\b")
_NON_WORD = re.compile(r"[\W_]+")
#: the punctuation of prose (a line of many words without any is a list of keywords)
_PUNCT = re.compile(r"[.,;:!?«»()\"]")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return fold_words(ch)


def _bare(folded: str) -> str:
    """A folded line's words only: "Lire >" -> "lire"."""
    return _NON_WORD.sub(" ", folded).strip()


@dataclass(frozen=True)
class AsideCues:
    """The cue texts of ``rules/actors/asides.tsv``, folded (:func:`aside_cues`)."""

    #: a line that is only one of these (words only) calls to read the page teased next to it
    links: frozenset[str] = frozenset()
    #: a line starting with one of these links to another page
    prefixes: tuple[str, ...] = ()
    #: a line ending with one of these is a teaser
    suffixes: tuple[str, ...] = ()
    #: a short line starting with one of these is a statement, not a label ("Entrée de X" in a live feed)
    statements: tuple[str, ...] = ()
    #: a line with one of these and a clock time is a byline or a dateline
    datelines: tuple[str, ...] = ()


def aside_cues(rows: Iterable[tuple[str, str]]) -> AsideCues:
    """:class:`AsideCues` from ``(kind, text)`` rows (kinds ``link``, ``prefix``, ``suffix``, ``statement``,
    ``dateline``)."""
    rows = [(k, fold_words(t).strip()) for k, t in rows]
    return AsideCues(links=frozenset(_bare(t) for k, t in rows if k == "link"),
                     prefixes=tuple(t for k, t in rows if k == "prefix"),
                     suffixes=tuple(t for k, t in rows if k == "suffix"),
                     statements=tuple(t for k, t in rows if k == "statement"),
                     datelines=tuple(t for k, t in rows if k == "dateline"))


def is_label_line(line: str, max_words: int) -> bool:
    """A stripped line of at most ``max_words`` words that does not end like a sentence."""
    return not line.endswith(SENTENCE_END) and line.count(" ") < 4 * max_words and len(line.split()) <= max_words


def _paragraph_lines(body: str, paragraph_words: int) -> list[str]:
    """The lines of ``body`` when it is laid out in paragraphs, else ``[]``."""
    if "\n" not in body:
        return []
    lines = body.split("\n")
    # a line of n words has at least 2n - 1 characters: split only the lines that may qualify
    if not any(len(ln) >= 2 * paragraph_words - 1 and ln.count(" ") >= paragraph_words - 1
               and len(ln.split()) >= paragraph_words for ln in lines):
        return []
    return lines


def label_spans(body: str, max_words: int, paragraph_words: int, asides: AsideCues | None = None
                ) -> list[tuple[int, int]]:
    """Offsets ``(start, end)`` of the label lines of ``body`` (none when the body is not laid out
    in paragraphs) and with ``asides``, of its aside lines (in any layout), in order."""
    lines = _paragraph_lines(body, paragraph_words)
    labels = bool(lines)
    if asides is not None and not lines and "\n" in body:
        lines = body.split("\n")
    if not lines:
        return []
    aside = _aside_lines(lines, asides, max_words) if asides is not None else set()
    spans = []
    pos = 0
    for k, ln in enumerate(lines):
        st = ln.strip()
        if k and st and (k in aside or (labels and is_label_line(st, max_words)
                                         and not (asides and _starts(fold_words(st), asides.statements)))):
            spans.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    return spans


def _starts(f: str, prefixes: tuple[str, ...]) -> bool:
    return f.startswith(prefixes) and any(f.startswith(p) and not f[len(p):len(p) + 1].isalnum() for p in prefixes)


def _ends(f: str, suffixes: tuple[str, ...]) -> bool:
    return f.endswith(suffixes) and any(f.endswith(s) and not f[-len(s) - 1:-len(s)].isalnum() for s in suffixes)


def _aside_lines(lines: list[str], cues: AsideCues, max_words: int) -> set[int]:
    """Indices of the lines that are a teaser of another page, a reader's comment or a list of
    keywords.  A line that starts with a link or ends with a tag is a link only when it has at most
    4 × ``max_words`` words (a longer one is a link glued to a paragraph: "À LIRE AUSSI Un titreLe
    texte ..."); a line of 2 × ``max_words`` words or more without any punctuation is a list of
    keywords (a tag cloud), not prose."""
    idx = [k for k, ln in enumerate(lines) if ln.strip()]
    raw = {k: lines[k].strip() for k in idx}
    # only short lines are folded whole (calls to read, signatures, date lines); a long line's
    # start and end are folded for its prefix and suffix, the whole of it only with a clock time
    link_chars = max(map(len, cues.links), default=0) + 4
    short = {k: fold_words(r) for k, r in raw.items()
             if len(r) <= link_chars or (len(r) < _SHORT_CHARS and r[0] in _END_STARTS)}
    link = {k for k, f in short.items() if len(f) <= link_chars and _bare(f) in cues.links}
    ends = {k for k, f in short.items() if f[:1] in _END_STARTS and (_SIGNATURE.match(f) or _DATE_LINE.match(f))}
    firsts = {p[:1] for p in cues.prefixes}
    lasts = {x[-1:] for x in cues.suffixes}
    out = set()
    for j, k in enumerate(idx):
        r = raw[k]
        nxt = idx[j + 1] if j + 1 < len(idx) else None
        prv = idx[j - 1] if j else None
        if nxt in link or prv in link or nxt in ends:
            out.add(k)
            continue
        n = r.count(" ") + 1
        if n >= 2 * max_words and not _PUNCT.search(r):
            out.add(k)
            continue
        if n > 4 * max_words:
            continue
        f = short.get(k)
        if (_fold_char(r[0]) in firsts and _starts(f or fold_words(r[:_AFFIX_CHARS]), cues.prefixes)) or (
                _fold_char(r[-1]) in lasts and _ends(f or fold_words(r[-_AFFIX_CHARS:]), cues.suffixes)):
            out.add(k)
        elif cues.datelines and _CLOCK.search(r) and any(d in (f or fold_words(r)) for d in cues.datelines):
            out.add(k)
    return out


def drop_label_only(body: str, mentions: Sequence[M], max_words: int, paragraph_words: int,
                    key=lambda m: m.value, asides: AsideCues | None = None,
                    extra: Sequence[tuple[int, int]] = ()) -> list[M]:
    """``mentions`` (with ``start``) without those whose ``key`` (the value: one actor, one country)
    has every mention on a label line (or, with ``asides``, on a label or an aside line, or in one
    of the ``extra`` spans)."""
    if not mentions:
        return list(mentions)
    spans = label_spans(body, max_words, paragraph_words, asides)
    if extra:
        spans = sorted({*spans, *extra})
    if not spans:
        return list(mentions)
    starts = [a for a, _ in spans]
    in_prose = set()
    for m in mentions:
        k = bisect_right(starts, m.start) - 1
        if k < 0 or m.start >= spans[k][1]:
            in_prose.add(key(m))
    return [m for m in mentions if key(m) in in_prose]
