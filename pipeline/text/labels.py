"""Label lines: the short lines of a body that are not prose (menus, tags, captions, bylines,
links to other articles), and the mentions named only there.

Shared by the countries and actors stages (and the sectors stage's weights): a country or an actor that the body names only on
label lines is not one the article is about (issue 15).  A label line has at most
``max_words`` words, does not end like a sentence and is not the body's first line (the
headline).  Only a body laid out in paragraphs (one line of ``paragraph_words`` words or more)
has label lines: in a hard-wrapped text every line is short.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import TypeVar

#: how a line that is a sentence (or a quotation, a parenthesis) ends
SENTENCE_END = tuple(".!?…:;»\"”)")

M = TypeVar("M")


def is_label_line(line: str, max_words: int) -> bool:
    """A stripped line of at most ``max_words`` words that does not end like a sentence."""
    return not line.endswith(SENTENCE_END) and line.count(" ") < 4 * max_words and len(line.split()) <= max_words


def label_spans(body: str, max_words: int, paragraph_words: int) -> list[tuple[int, int]]:
    """Offsets ``(start, end)`` of the label lines of ``body``, in order (none when the body is not
    laid out in paragraphs)."""
    if "\n" not in body:
        return []
    lines = body.split("\n")
    # a line of n words has at least 2n - 1 characters: split only the lines that may qualify
    if not any(len(ln) >= 2 * paragraph_words - 1 and ln.count(" ") >= paragraph_words - 1
               and len(ln.split()) >= paragraph_words for ln in lines):
        return []
    spans = []
    pos = 0
    for k, ln in enumerate(lines):
        st = ln.strip()
        if k and st and is_label_line(st, max_words):
            spans.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    return spans


def drop_label_only(body: str, mentions: Sequence[M], max_words: int, paragraph_words: int,
                    key=lambda m: m.value) -> list[M]:
    """``mentions`` (with ``start``) without those whose ``key`` (the value: one actor, one country)
    has every mention on a label line."""
    if not mentions:
        return list(mentions)
    spans = label_spans(body, max_words, paragraph_words)
    if not spans:
        return list(mentions)
    starts = [a for a, _ in spans]
    in_prose = set()
    for m in mentions:
        k = bisect_right(starts, m.start) - 1
        if k < 0 or m.start >= spans[k][1]:
            in_prose.add(key(m))
    return [m for m in mentions if key(m) in in_prose]
