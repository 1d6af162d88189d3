"""Lines that are no headline however much they look like one: the items of a run of teasers and a
poll's question (:func:`widget_lines`, called by ``headline_above`` in ``headline.py``).

A page often prints, between its headline and its text or just above the text, a list of other
stories ("latest", "read on") or a widget (a poll).  Their lines are headline-like, sit near the
first paragraph and used to win.  Two general cues, shared by sites in every language:

* **teaser runs**: other stories come as a run of items of the same shape, each with a headline
  and its own date, age or byline ("Section / Headline / Author / 2 hours ago", three times or
  more) or the same short link under each ("Headline / Read on", three times or more);
* **polls**: a question followed by its answers, two or more lines of one or two words
  ("Yes" / "No"), with no byline or date among them, and a poll's word (``widget_words.tsv``:
  "Poll", "Vote", "Show results" in many languages) over the question or among its answers.

The lines of such a run are not headline candidates and do not count in the ``headline_above``
window: the headline printed over the run (or under it) is then reached.  And a list of headlines
one a line is no reason to refuse the line under it as a headline over its standfirst
(:func:`under_list`, called by ``standfirst_pairs``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pipeline.rulebook import RULES_DIR, load_tsv
from pipeline.stages.clean.density import Line
from pipeline.stages.clean.marks import is_dated
from pipeline.stages.clean.rules import TOKEN, FoldedWordsRow
from pipeline.text.datelines import DateRules, line_dates
from pipeline.text.fold import fold_words
from pipeline.text.lines import headline_like, word_count

WIDGET_WORDS = RULES_DIR / "boilerplate" / "widget_words.tsv"
_DIGIT = re.compile(r"\d")

#: how many lines above the first paragraph are read for runs and polls
REACH = 60
#: teaser items: periods tried (lines per item) and the items a run needs
PERIODS = range(2, 7)
RUN_ITEMS = 3
#: headlines one a line: a list from this many on
STACK = 3
#: a poll's answers: lines of at most this many words, at least this many of them
ANSWER_WORDS = 2
ANSWERS_MIN = 2
#: question marks in the scripts the project reads (Latin, Arabic, full-width)
QUESTION_END = ("?", "؟", "？")


class WidgetWordsRow(FoldedWordsRow):
    """One row of ``widget_words.tsv``: words of one kind of widget in one language (folded)."""

    kind: Literal["poll"]


@lru_cache(maxsize=4)
def load_widget_words(path: Path = WIDGET_WORDS) -> dict[str, frozenset[str]]:
    """``widget_words.tsv``: kind of widget -> its folded words (all languages)."""
    out: dict[str, set[str]] = {}
    for _, row in load_tsv(path, WidgetWordsRow):
        out.setdefault(row.kind, set()).update(row.words.split())
    return {k: frozenset(v) for k, v in out.items()}


def _has_word(text: str, words: frozenset[str]) -> bool:
    return any(w in words for w in TOKEN.findall(fold_words(text)))


def _shape(ln: Line, words: int, dates: DateRules, settings, repeats: set[str], byline) -> str:
    """A line's shape in an item: ``D`` a byline, date or age line, ``H`` a headline of
    ``headline_min_words`` words or more, ``P`` a paragraph, ``T`` a short line printed again and
    again ("Read on", a section's label), ``S`` another short line (a label, an author), ``X`` anything else."""
    t = ln.text
    if is_dated(ln) or byline(ln):
        return "D"
    if words < settings.headline_min_words:
        key = t.casefold()
        if key in repeats:
            return "T"
        if _DIGIT.search(t) and line_dates(t, dates, short_line=settings.meta_short_line):
            return "D"  # a label with its date ("Business | May 2021")
        return "S"
    if ln.hard:
        return "X"
    if ln.cls == "good":
        return "P"
    if headline_like(t, dates, short_line=settings.meta_short_line):
        return "H"
    return "X"


def _teaser_runs(codes: list[str]) -> set[int]:
    """Positions in runs of ``RUN_ITEMS`` items or more of the same shapes, each item holding one
    headline and a date (or a short line repeated under each headline)."""
    found: set[int] = set()
    n = len(codes)
    for p in PERIODS:
        span = RUN_ITEMS * p
        for s in range(0, n - span + 1):
            item = codes[s:s + p]
            if item.count("H") != 1 or not ("D" in item or "T" in item):
                continue
            if all(codes[s + k] == codes[s + k + p] for k in range(span - p)):
                found.update(range(s, s + span))
    return found


def _polls(lines: list[Line], lo: int, hi: int, dates: DateRules, settings) -> set[int]:
    """A poll: a question, then two or more answers of at most ``ANSWER_WORDS`` words among the short
    lines right under it (rule-dropped lines skipped), no byline or date line among them, a poll's
    word (``widget_words.tsv``) on the line over the question or among the answers."""
    found: set[int] = set()
    words = load_widget_words()["poll"]
    for q in range(lo, hi):
        ln = lines[q]
        if ln.hard or not ln.text.rstrip().endswith(QUESTION_END) \
                or not headline_like(ln.text, dates, short_line=settings.meta_short_line):
            continue
        answers, k, end = 0, q + 1, q
        while k < len(lines):
            x = lines[k]
            if not x.hard:
                if is_dated(x) or word_count(x.text) > ANSWER_WORDS:
                    break
                answers += 1
                end = k
            k += 1
        if answers < ANSWERS_MIN or (k < len(lines) and is_dated(lines[k])):
            continue
        up = next((j for j in range(q - 1, -1, -1) if not lines[j].hard), None)
        near = ([lines[up]] if up is not None else []) + [x for x in lines[q + 1:end + 1] if not x.hard]
        if any(_has_word(x.text, words) for x in near):
            found.update(range(q, end + 1))
    return found


def widget_lines(lines: list[Line], anchor: int, dates: DateRules, settings, byline) -> set[int]:
    """The lines above ``anchor`` (and the run it may end) that belong to a run of teasers or to a
    poll: no headline candidates.  ``byline`` is the headline search's byline test (a date line or a
    short line giving a story's age)."""
    lo = max(0, anchor - REACH)
    hi = min(len(lines), anchor + 1)
    window = lines[lo:hi]
    sizes = [word_count(ln.text) for ln in window]
    counts: dict[str, int] = {}
    for ln, n in zip(window, sizes):
        if n < settings.headline_min_words:
            key = ln.text.casefold()
            counts[key] = counts.get(key, 0) + 1
    repeats = {k for k, c in counts.items() if c >= RUN_ITEMS}
    codes = [_shape(ln, n, dates, settings, repeats, byline) for ln, n in zip(window, sizes)]
    return {lo + k for k in _teaser_runs(codes)} | _polls(lines, lo, hi, dates, settings)


def under_list(lines: list[Line], up: int, below: int | None, headline) -> bool:
    """Whether the line between ``up`` and ``below`` is the headline under a list of other stories:
    line ``up`` ends a list of ``STACK`` or more headlines one a line (rule-dropped lines skipped)
    and the line ``below`` (its standfirst) is no headline (``headline`` tells).  Two headlines in a
    row are a headline and its deck; a headline-like line under is the next item of the list."""
    if below is not None and headline(lines[below]):
        return False
    n, k = 0, up
    while k >= 0 and n < STACK:
        if not lines[k].hard:
            if not headline(lines[k]):
                break
            n += 1
        k -= 1
    return n >= STACK
