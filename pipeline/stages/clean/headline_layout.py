"""Headline cues of a page's layout, called once from ``apply_context`` (``context.py``) after the
headline above the block and its second print were chosen (:func:`layout_headline`): what stands
around a headline tells it from its kicker, its standfirst or a list of labels.

- a quotation set alone under a longer line, over the standfirst: the quote is the headline, the
  longer line over it its kicker (:func:`quote_under_kicker`);
- a line opening with a social account's handle ("@Account ...") over its standfirst: the handle
  line is the headline, though it reads as a link (:func:`handle_over_standfirst`);
- a headline and its tagline printed twice in a row (a page header for wide and narrow screens):
  the upper line of the pair is the headline when the chosen line has no byline or date beside it
  and is printed once (:func:`pair_printed_twice`).
"""

from __future__ import annotations

import re

from pipeline.stages.clean.density import Line, sentence_end
from pipeline.stages.clean.marks import is_dated
from pipeline.text.datelines import DateRules
from pipeline.text.lines import headline_like, word_count

#: a line set wholly in quotation marks ("«...»", "“...”", '"..."')
_QUOTED = re.compile(r"^[\"“«„‘'].{8,}[\"”»“’']$")
#: a social account's handle opening a line ("@TownHall announces ...")
_HANDLE = re.compile(r"^@\w{2,}\s")


def _next(lines: list[Line], i: int, step: int = 1) -> int | None:
    """The nearest line after (``step`` 1) or before (-1) ``i`` that no rule dropped."""
    k = i + step
    while 0 <= k < len(lines) and lines[k].hard:
        k += step
    return k if 0 <= k < len(lines) else None


def _key(text: str) -> str:
    return text.casefold()


def _dated_beside(lines: list[Line], i: int) -> bool:
    return any(is_dated(x) for x in lines[max(0, i - 3):i + 5])


def quote_under_kicker(lines: list[Line], head: int, dates: DateRules, settings) -> int:
    """The quotation under the chosen line when the chosen line is its kicker.

    A page may set a long line over its headline (a kicker: the story's subject in a sentence with
    no final period) and its headline a quotation alone on its line; the standfirst or the byline
    comes next.  The chosen line is the kicker when the next line is a quotation, headline-like, of
    ``headline_min_words`` words or more, the chosen line half as long again and no sentence, and
    the line under the quotation a sentence or a byline or date line.
    """
    q = _next(lines, head)
    if q is None or q != head + 1:
        return head
    text, upper = lines[q].text.strip(), lines[head].text
    words = word_count(text)
    if not _QUOTED.match(text) or words < settings.headline_min_words \
            or not headline_like(text, dates, short_line=settings.meta_short_line) \
            or sentence_end(upper) or word_count(upper) < 1.5 * words:
        return head
    under = _next(lines, q)
    if under is None or not (is_dated(lines[under]) or (sentence_end(lines[under].text) and lines[under].words
                                                         >= settings.headline_min_words)):
        return head
    return q


def handle_over_standfirst(lines: list[Line], head: int, dates: DateRules, settings) -> int:
    """The line over the chosen one when it opens with a social account's handle and the chosen line is its standfirst.

    "@Account carries on with more news" reads as a link; right over a line half as long again (and
    ``standfirst_min_words`` words or more) that has a byline or date beside it, it is the headline
    and the chosen line its standfirst.  The handle line, its "@" put aside, is headline-like and of
    ``headline_min_words`` words or more.
    """
    up = head - 1
    if up < 0 or lines[up].hard or not _HANDLE.match(lines[up].text):
        return head
    text = lines[up].text[1:]
    words = word_count(text)
    if words < settings.headline_min_words or sentence_end(text) \
            or not headline_like(text, dates, short_line=settings.meta_short_line):
        return head
    if word_count(lines[head].text) < max(settings.standfirst_min_words, 1.5 * words) \
            or not _dated_beside(lines, head):
        return head
    return up


def pair_printed_twice(lines: list[Line], anchor: int, head: int | None, dates: DateRules, settings) -> int | None:
    """The upper line of a pair printed twice in a row above the body (A, B, A, B).

    A page's header printed for wide and narrow screens repeats its title and tagline one pair after
    the other: when the chosen line has no byline or date beside it and is printed once, the one
    such pair above ``anchor`` gives the headline, its upper line: headline-like, of
    ``headline_min_words`` words or more; the lower line headline-like too (a tagline, not a
    button).  Two such pairs or more above the body are a menu, not a header.
    """
    if head is not None and (_dated_beside(lines, head)
                             or sum(_key(x.text) == _key(lines[head].text) for x in lines) > 1):
        return head
    short_line = settings.meta_short_line
    soft = [i for i in range(anchor) if not lines[i].hard]
    found = []
    for n in range(len(soft) - 3):
        a, b, c, d = (lines[soft[n + k]] for k in range(4))
        ka, kb = _key(a.text), _key(b.text)
        if ka == kb or ka != _key(c.text) or kb != _key(d.text):
            continue
        if word_count(a.text) >= settings.headline_min_words and headline_like(a.text, dates, short_line=short_line) \
                and headline_like(b.text, dates, short_line=short_line):
            found.append(soft[n + 2])
    return found[0] if len(found) == 1 else head


def layout_headline(lines: list[Line], anchor: int | None, head: int | None, dates: DateRules, settings) -> int | None:
    """The headline once the layout around the chosen line is read (see the module's docstring)."""
    if anchor is not None:
        head = pair_printed_twice(lines, anchor, head, dates, settings)
    if head is None:
        return None
    head = quote_under_kicker(lines, head, dates, settings)
    return handle_over_standfirst(lines, head, dates, settings)
