"""Headline cues of a page's layout, called once from ``apply_context`` (``context.py``) after the
headline above the block and its second print were chosen (:func:`layout_headline`): what stands
around a headline tells it from its kicker, its standfirst or a list of labels.

- a quotation set alone under a longer line, over the standfirst: the quote is the headline, the
  longer line over it its kicker (:func:`quote_under_kicker`);
- a line opening with a social account's handle ("@Account ...") over its standfirst: the handle
  line is the headline, though it reads as a link (:func:`handle_over_standfirst`);
- a headline and its tagline printed twice in a row (a page header for wide and narrow screens):
  the upper line of the pair is the headline when the chosen line has no byline or date beside it
  and is printed once (:func:`pair_printed_twice`);
- a run of short lines opening with a quantity is an ingredient list: a headline chosen in it or
  right under it is one of its items; the dish's name stands above the list and names one of its
  ingredients (:func:`over_ingredients`);
- a headline with its date under it, far above the text, printed again lower down (a list of
  stories): the one such line above the body is the headline when the chosen line is printed once
  with no byline or date beside it (:func:`dated_reprint`).
"""

from __future__ import annotations

import re

from pipeline.stages.clean.density import Line, sentence_end
from pipeline.stages.clean.headline_cues import dated_beside, printed, text_key
from pipeline.stages.clean.marks import is_dated
from pipeline.text.datelines import DateRules, line_dates
from pipeline.text.fold import fold_words
from pipeline.text.lines import headline_like, word_count

#: a line set wholly in quotation marks ("«...»", "“...”", '"..."')
_QUOTED = re.compile(r"^[\"“«„‘'].{8,}[\"”»“’']$")
#: a social account's handle opening a line ("@TownHall announces ...")
_HANDLE = re.compile(r"^@\w{2,}\s")
#: a quantity opening a short line ("250 g", "2 tbsp olive oil", "1½ cups of flour", "¾ l Milch"); not
#: a numbered item ("3. Stir well")
_QUANTITY = re.compile(r"^(?:\d+(?:[.,/]\d+)?|[½⅓⅔¼¾⅛])(?!\.\s)[½⅓⅔¼¾⅛]?(?:\s|[^\W\d_]|$)")
#: an ingredient list has at least this many quantity lines, at most this many other lines apart
INGREDIENTS_MIN, INGREDIENTS_GAP = 4, 1
#: a quantity line is at most this long (a step of the method is a sentence)
QUANTITY_CHARS = 80
#: the dish's name is searched this many lines (no rule-dropped line counted) above the list
DISH_ABOVE = 30
_LETTER = re.compile(r"[^\W\d_]")
#: words of at least this many letters name an ingredient
_WORD = re.compile(r"[^\W\d_]{4,}")


def _next(lines: list[Line], i: int, step: int = 1) -> int | None:
    """The nearest line after (``step`` 1) or before (-1) ``i`` that no rule dropped."""
    k = i + step
    while 0 <= k < len(lines) and lines[k].hard:
        k += step
    return k if 0 <= k < len(lines) else None


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
            or not dated_beside(lines, head):
        return head
    return up


def pair_printed_twice(lines: list[Line], anchor: int, head: int | None, dates: DateRules, settings,
                       prints: dict[str, list[int]] | None = None) -> int | None:
    """The upper line of a pair printed twice in a row above the body (A, B, A, B).

    A page's header printed for wide and narrow screens repeats its title and tagline one pair after
    the other: when the chosen line has no byline or date beside it and is printed once, the one
    such pair above ``anchor`` gives the headline, its upper line: headline-like, of
    ``headline_min_words`` words or more; the lower line headline-like too (a tagline, not a
    button).  Two such pairs or more above the body are a menu, not a header.
    """
    prints = prints or printed(lines)
    keys = [text_key(x.text) for x in lines]
    if head is not None and (dated_beside(lines, head) or len(prints[keys[head]]) > 1):
        return head
    short_line = settings.meta_short_line
    soft = [i for i in range(anchor) if not lines[i].hard]
    found = []
    for n in range(len(soft) - 3):
        ka, kb = keys[soft[n]], keys[soft[n + 1]]
        if ka == kb or ka != keys[soft[n + 2]] or kb != keys[soft[n + 3]]:
            continue
        a, b = lines[soft[n]], lines[soft[n + 1]]
        if word_count(a.text) >= settings.headline_min_words and headline_like(a.text, dates, short_line=short_line) \
                and headline_like(b.text, dates, short_line=short_line):
            found.append(soft[n + 2])
    return found[0] if len(found) == 1 else head


def _quantity(ln: Line) -> str:
    """``"q"``: a short line opening with a quantity and naming its unit or ingredient ("250 g", "2 eggs");
    ``"n"``: a bare number ("4": a rule may have dropped it, it recurs across a dump); else ``""``."""
    if len(ln.text) > QUANTITY_CHARS or not _QUANTITY.match(ln.text):
        return ""
    return "q" if _LETTER.search(ln.text) else "n"


def _ingredient_list(lines: list[Line], head: int) -> tuple[int, int] | None:
    """The run of quantity lines holding line ``head`` or ending right over it (first, last line).

    A bare number ("4" over "eggs") is a quantity of the run but does not count toward
    :data:`INGREDIENTS_MIN` (a table of figures is no ingredient list)."""
    runs, first, last, count = [], None, None, 0
    for i in range(max(0, head - 3 * DISH_ABOVE), min(len(lines), head + 3 * DISH_ABOVE)):
        kind = _quantity(lines[i])
        if not kind:
            continue
        if last is not None and sum(not x.hard for x in lines[last + 1:i]) <= INGREDIENTS_GAP:
            last, count = i, count + (kind == "q")
            continue
        if count >= INGREDIENTS_MIN:
            runs.append((first, last))
        first, last, count = i, i, int(kind == "q")
    if count >= INGREDIENTS_MIN:
        runs.append((first, last))
    return next(((a, b) for a, b in runs if a <= head <= b + 2), None)


def over_ingredients(lines: list[Line], head: int, dates: DateRules, settings) -> int:
    """The dish's name over an ingredient list when the chosen line is one of its items or right under it.

    A recipe sets its name, then its figures (a rating, times, servings, share buttons, tabs), then
    its ingredients one per line, each opening with a quantity ("250 g", "2 tbsp olive oil"): a run
    of :data:`INGREDIENTS_MIN` quantity lines or more, at most :data:`INGREDIENTS_GAP` other line
    apart (an ingredient's name under its quantity).  The dish's name is the nearest headline-like
    line above the list, within :data:`DISH_ABOVE` lines, printed less than three times (a tab's label), that names
    one of the list's words (of four letters or more: "Leek tart with goat's cheese" over "3 leeks,
    sliced" and "150 g goat's cheese"); a tab's or a button's label names none.
    """
    run = _ingredient_list(lines, head)
    if run is None:
        return head
    first, last = run
    prints = printed(lines)
    words = {w for x in lines[first:last + 2] if not x.hard for w in _WORD.findall(fold_words(x.text))}
    seen = 0
    for i in range(first - 1, -1, -1):
        ln = lines[i]
        if ln.hard or ln.cls == "meta":
            continue
        seen += 1
        if seen > DISH_ABOVE:
            break
        text = ln.text
        if _QUANTITY.match(text) or ln.reason.startswith("caps") \
                or not headline_like(text, dates, short_line=settings.meta_short_line):
            continue
        if len(prints[text_key(text)]) >= 3:
            continue  # a tab's label, printed over each tab ("Leek tart with")
        if words & set(_WORD.findall(fold_words(text))):
            for x in lines[first:last + 1]:  # the ingredients are the recipe's text
                if not x.hard and x.cls != "meta" and _LETTER.search(x.text):
                    x.cls, x.reason = "good", "ingredients:" + x.reason
            return i
    return head


def dated_reprint(lines: list[Line], anchor: int, head: int | None, dates: DateRules, settings,
                  prints: dict[str, list[int]] | None = None) -> int | None:
    """The one dated headline printed again on the page, when the chosen line is printed once with no byline or date beside it.

    A page prints its headline with its date far above the text (a video playlist or an author box
    between) and again in a list of stories lower down: above ``anchor``, the one headline-like line
    of ``headline_min_words`` words or more with a date line within the two lines under it (a byline
    alone may be a teaser's "Von ..." taken for one),
    printed again as a whole line elsewhere but not on the next or the previous line (a widget drawn
    twice), is the headline.
    """
    prints = prints or printed(lines)
    keys = [text_key(x.text) for x in lines]
    if head is None or dated_beside(lines, head) or len(prints[keys[head]]) > 1:
        return head
    short_line, found = settings.meta_short_line, []
    for i in range(anchor):
        ln = lines[i]
        if ln.hard or ln.cls in ("good", "meta") or not any(is_dated(x) for x in lines[i + 1:i + 3]) \
                or len(prints[keys[i]]) < 2 or keys[i] in (keys[i - 1] if i else None, keys[i + 1]):
            continue  # no byline or date under it, printed once, or drawn twice in a row
        if ln.reason.startswith(("caps", "links", "nav", "keywords")) \
                or word_count(ln.text) < settings.headline_min_words \
                or not headline_like(ln.text, dates, short_line=short_line) \
                or not any(is_dated(x) and line_dates(x.text, dates, short_line=short_line) for x in lines[i + 1:i + 3]):
            continue
        found.append(i)
    return found[0] if len(found) == 1 else head


def layout_headline(lines: list[Line], anchor: int | None, head: int | None, dates: DateRules, settings) -> int | None:
    """The headline once the layout around the chosen line is read (see the module's docstring)."""
    if anchor is not None:
        prints = printed(lines)
        head = pair_printed_twice(lines, anchor, head, dates, settings, prints)
        head = dated_reprint(lines, anchor, head, dates, settings, prints)
    if head is None:
        return None
    head = over_ingredients(lines, head, dates, settings)
    head = quote_under_kicker(lines, head, dates, settings)
    return handle_over_standfirst(lines, head, dates, settings)
