"""The headline of a page: the line just above the article's first paragraph, or above
its standfirst and byline, that is not a label, a menu row, a caption or a teaser.

``apply_context`` (``context.py``) calls :func:`headline_above`, :func:`top_headline`,
:func:`dated_headline`, :func:`standfirst_pairs`, :func:`printed_twice`, :func:`pair_upper`,
:func:`breadcrumb_end` and :func:`printed_alone` once the main block is known.
"""

from __future__ import annotations

import re

from pipeline.stages.clean.density import Line, sentence_end
from pipeline.stages.clean.headline_cues import dated_beside, printed, text_key
from pipeline.stages.clean.headline_teasers import under_list, widget_lines
from pipeline.stages.clean.marks import THREAD_HEADERS, is_dated
from pipeline.text.datelines import DateRules, line_dates
from pipeline.text.lines import glued_pairs, headline_like, is_meta_line, word_count

#: between a page title's headline and the site's name ("Headline - Site", "Site | Headline")
_TITLE_SEP = re.compile(r"\s+[-|–—·•»]\s+")
#: a byline ending with the story's age ("Jane Roe 1 day ago", "il y a 3 heures", "vor 5 Stunden", "hace una hora")
_AGE = re.compile(r"(?:\b(?:\d+|an?|one)\s+(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?)\s+ago"
                  r"|\b(?:il y a|hace|vor|há)\s+(?:\d+|une?|una?|einer|einem)\s+\w+)\W*$", re.I)


def _byline(ln: Line) -> bool:
    """A byline or date line, or a short line giving the story's age (a rule may drop it)."""
    return is_dated(ln) or (len(ln.text.split()) <= 8 and bool(_AGE.search(ln.text)))


def _dated_item(lines: list[Line], i: int, dates: DateRules, settings) -> bool:
    """An item of a list of dated teasers: a date line right under it (rule-dropped lines skipped, a
    "related" header between makes the date another list's) and another headline-like line of
    ``headline_min_words`` words or more with its own date line right over it or right under its date."""
    def soft(k: int, step: int) -> int | None:
        k += step
        while 0 <= k < len(lines) and lines[k].hard:
            if lines[k].reason.startswith(("boilerplate.related", *THREAD_HEADERS)):
                return None
            k += step
        return k if 0 <= k < len(lines) else None

    def item(k: int | None) -> bool:  # another story's headline with its date line under it
        if k is None or text_key(lines[k].text) == own or word_count(lines[k].text) < settings.headline_min_words \
                or not headline_like(lines[k].text, dates, short_line=settings.meta_short_line):
            return False
        d = soft(k, 1)
        return d is not None and is_dated(lines[d])

    own = text_key(lines[i].text)  # the headline printed twice with its date between is no list
    down = soft(i, 1)
    if down is None or not is_dated(lines[down]):
        return False
    up = soft(i, -1)
    return (up is not None and is_dated(lines[up]) and item(soft(up, -1))) or item(soft(down, 1))


def is_heading(ln: Line, dates: DateRules, short_line: int, max_words: int) -> bool:
    t = ln.text
    return (ln.cls == "short" and 3 <= ln.words <= max_words and not sentence_end(t)
            and not t.endswith(":") and (t[0].isupper() or t[0].isdigit() or t[0] in "«\"“")
            and not ln.reason.startswith("caps") and not is_meta_line(t, dates, short_line=short_line))


def _repeated(text: str, lines: list[Line], own: int) -> bool:
    """Whether a line's text stands elsewhere in the page (a breadcrumb, a second title, a share text)."""
    key = text.casefold().strip()
    if len(key) < 12:
        return False
    return any(j != own and key in ln.text.casefold() for j, ln in enumerate(lines))


def _label(lines: list[Line], i: int) -> bool:
    """A short line with no byline or date beside it (the 4 lines below, the 2 above), printed once: a label."""
    return (not any(is_dated(x) for x in lines[max(0, i - 2):i] + lines[i + 1:i + 5])
            and not _repeated(lines[i].text, lines, i))


#: a row of menu labels: capitalised words and nothing else ("Articles Topics Maps Shop Jobs")
_MENU_ROW = re.compile(r"^[^\W\d_][^\W_]*(?:\s+[^\W\d_][^\W_]*){3,}$")


def _menu_row(ln: Line) -> bool:
    """A row of four or more capitalised words with no stop word and no punctuation: a menu, not a headline."""
    return (ln.reason.startswith("density:") and ln.stop == 0.0 and bool(_MENU_ROW.match(ln.text))
            and all(w[0].isupper() for w in ln.text.split()))


#: labels set apart on one line ("News | Sport | Jobs", "Home > World")
_LABEL_SEP = re.compile(r"\s[|•·›»>/]\s|\|")


def _label_row(text: str) -> bool:
    """Labels of one or two words set apart by separators ("Home | Business", "News › World"): a
    breadcrumb or a menu row, not a headline."""
    parts = _LABEL_SEP.split(text)
    return len(parts) > 1 and all(len(p.split()) <= 2 for p in parts)


def _brand_glued(ln: Line, settings) -> bool:
    """A line the glued-labels test took for a menu whose one glued pair is a brand's name
    ("Testing Your JavaScript Code With Mocha"): ``headline_min_words`` words or more, no separator."""
    return (ln.reason.startswith("nav:") and word_count(ln.text) >= settings.headline_min_words
            and glued_pairs(ln.text) == 1 and not _LABEL_SEP.search(ln.text))


def _own_byline(lines: list[Line], i: int, dates: DateRules, settings) -> bool:
    """A byline or date line within the 4 lines under line ``i``, not past another headline-like line of
    ``headline_min_words`` words that is not right under it (the byline is that one's: a sidebar's or
    a section's title over the article's headline), unless a deck or a standfirst stands right under
    line ``i`` (a headline, its deck, a caption, then the byline)."""
    deck = i + 1 < len(lines) and _own_headline(lines[i + 1], dates, settings)
    for k in range(i + 1, min(i + 5, len(lines))):
        ln = lines[k]
        if _byline(ln):
            return True
        if k > i + 1 and not deck and _own_headline(ln, dates, settings) \
                and word_count(ln.text) >= settings.headline_min_words:
            return False
    return False


def teaser_lines(lines: list[Line], anchor: int, dates: DateRules, settings) -> set[int]:
    """The lines above ``anchor`` that are a teaser run's or a poll's (``headline_teasers.py``): no headline."""
    return widget_lines(lines, anchor, dates, settings, _byline)


def headline_above(lines: list[Line], anchor: int, dates: DateRules, settings,
                   skip: set[int] | None = None) -> int | None:
    """The headline: the best headline-like line among those just above the first paragraph.

    Between a headline and its first paragraph stand at most a few lines (a standfirst, a
    byline, a date, a photo credit, a share row): the ``headline_above`` lines above the
    anchor are candidates (rule-dropped lines and byline/date lines not counted).  A line of several words wins over a short section label, one
    followed by a byline or date line, or printed twice on the page (a breadcrumb, a share
    text), wins over one that is not; then the nearest to the paragraph; of two scored alike, the upper.
    """
    short_line = settings.meta_short_line
    scored: list[tuple[int, float]] = []
    seen = 0
    if skip is None:  # teaser runs, polls (headline_teasers.py); apply_context reads them once for both searches
        skip = teaser_lines(lines, anchor, dates, settings)
    for i in range(anchor, -1, -1):
        ln = lines[i]
        if ln.cls == "good" and i < anchor and any(k in skip for k in range(i + 1, anchor)):
            break  # a paragraph over a run of teasers: another text's, and its headline with it
        if i < anchor and not ln.hard and ln.cls != "meta" and i not in skip:
            seen += 1
            if seen > settings.headline_above:
                break
        if i in skip or ln.hard or (ln.reason.startswith(("caps", "links", "nav", "keywords")) and not _brand_glued(ln, settings)):
            continue
        if (ln.cls == "good" and i != anchor) or not headline_like(ln.text, dates, short_line=short_line) \
                or _menu_row(ln) or _label_row(ln.text):
            continue
        if line_dates(ln.text, dates, short_line=short_line):
            continue  # a dateline or byline too long to be a meta line
        if i > 0 and lines[i - 1].reason.startswith("boilerplate.related"):
            continue  # the first item under a "related", "most read" or "breaking news" header
        if _dated_item(lines, i, dates, settings):
            continue  # one of a list of dated teasers
        dated = _own_byline(lines, i, dates, settings)
        words = word_count(ln.text)
        if i == anchor and not dated:
            continue  # the first paragraph itself is the headline only when a byline or date follows
        if words < settings.headline_min_words and _label(lines, i):
            continue
        score = (2.0 * (words >= settings.headline_min_words)
                 + 2.0 * dated
                 + 1.5 * (_repeated(ln.text, lines, i) and not _in_reprinted_menu(lines, i))
                 + 0.1 * min(words, 15) - 0.15 * max(0, words - 18)
                 - 0.2 * max(0, seen - 1))
        scored.append((i, score))
    # a headline stands over its standfirst: of two candidates one right above the other (no
    # date line between: that makes them two items of a list), the shorter upper one is the
    # headline (a standfirst is a sentence: ``standfirst_min_words`` and half as long again); over
    # a subtitle at least as long on the next line (a deck), half as much when it does not end like
    # a sentence ("... this summer!" over a headline is another story's call)
    by_line = dict(scored)
    for i, score in scored:
        below = next((j for j in range(i + 1, anchor + 1) if not lines[j].hard), None)
        if below in by_line and word_count(lines[below].text) >= max(settings.standfirst_min_words,
                                                                      1.5 * word_count(lines[i].text)):
            by_line[i] = score + settings.standfirst_bonus
        elif below == i + 1 and below in by_line and not sentence_end(lines[i].text) \
                and text_key(lines[below].text) != text_key(lines[i].text) \
                and word_count(lines[below].text) >= word_count(lines[i].text) >= settings.headline_min_words:
            # right over a subtitle at least as long (a deck): half the bonus, more than a line's distance
            by_line[i] = score + settings.standfirst_bonus / 2
    # a headline stands over what follows it (a standfirst, an author line, a caption): ties go to the upper
    return max(by_line, key=lambda i: (round(by_line[i], 6), -i)) if by_line else None


def top_headline(lines: list[Line], first_good: int, dates: DateRules, settings) -> int | None:
    """The headline of a page that opens with its article: the first headline-like line at the top."""
    short_line = settings.meta_short_line
    candidates = [i for i, ln in enumerate(lines[:min(first_good, settings.headline_window)])
                  if (ln.cls in ("short", "near") or (ln.cls == "bad" and ln.reason.startswith("density:")))
                  and not ln.reason.startswith("caps") and not _label_row(ln.text)
                  and headline_like(ln.text, dates, short_line=short_line)]
    # ... and when three or more such lines stack up above the body they are a list of
    # other stories (a "trending" bar): the headline is the last one, just above the body
    strong = [i for i in candidates if lines[i].words >= settings.headline_min_words] or candidates
    return None if not strong else strong[-1] if len(strong) >= 3 else strong[0]


def printed_alone(lines: list[Line], head: int, dates: DateRules, settings) -> int:
    """The headline printed alone elsewhere when the chosen line is a page title with the site's name.

    A dump often opens with the page's title, ``Headline - Site`` or ``Site | Headline``; when one part
    of the chosen line stands alone as a line of the page, that line is the headline (nearest first).
    """
    parts = _TITLE_SEP.split(lines[head].text.strip())
    if len(parts) < 2:
        return head
    short_line = settings.meta_short_line
    keys = {p.casefold() for p in parts if headline_like(p, dates, short_line=short_line)}
    found = [j for j, ln in enumerate(lines) if j != head and ln.text.strip().casefold() in keys]
    return min(found, key=lambda j: abs(j - head)) if found else head


def _dated_pair(lines: list[Line], start: int, stop: int, dates: DateRules, short_line: int) -> bool:
    """Whether a headline-like line with a byline or date line right under it starts in ``[start, stop)``."""
    return any(headline_like(lines[j].text, dates, short_line=short_line)
               and any(is_dated(x) for x in lines[j + 1:j + 3]) for j in range(start, min(stop, len(lines))))


def _dated_candidate(lines: list[Line], i: int, dates: DateRules, settings) -> bool:
    """A headline-like line of ``headline_min_words`` words or more with its byline or date line
    right under it (within two lines), not in a list of such pairs (other stories)."""
    ln, short_line = lines[i], settings.meta_short_line
    if ln.hard or ln.cls == "good" or ln.reason.startswith(("caps", "links", "nav", "keywords")):
        return False
    if word_count(ln.text) < settings.headline_min_words or not headline_like(ln.text, dates, short_line=short_line):
        return False
    if line_dates(ln.text, dates, short_line=short_line) or not any(_byline(x) for x in lines[i + 1:i + 3]):
        return False
    return not (_dated_pair(lines, i + 2, i + 8, dates, short_line)
                or _dated_pair(lines, max(0, i - 7), i - 2, dates, short_line))


def _standfirst(text: str, head_words: int, settings) -> bool:
    """A standfirst under a headline of ``head_words`` words: a sentence, or a line half as long again
    (and ``standfirst_min_words``); the next teaser of a list is neither."""
    words = word_count(text)
    return words >= settings.headline_min_words and (
        sentence_end(text) or words >= max(settings.standfirst_min_words, 1.5 * head_words))


def _teaser_like(ln: Line, dates: DateRules, settings) -> bool:
    """A headline-like line of ``headline_min_words`` words or more (a headline or another story's)."""
    return (ln.cls in ("short", "near") and word_count(ln.text) >= settings.headline_min_words
            and headline_like(ln.text, dates, short_line=settings.meta_short_line))


def _own_headline(ln: Line, dates: DateRules, settings) -> bool:
    """A headline-like line of three words or more that a rule did not drop: the headline a byline under it belongs to."""
    return (not ln.hard and ln.cls in ("short", "near")
            and headline_like(ln.text, dates, short_line=settings.meta_short_line))


def standfirst_pairs(lines: list[Line], stop: int, dates: DateRules, settings) -> list[int]:
    """Headline-like lines above ``stop`` set over a standfirst with a byline or date line under it.

    A headline of ``headline_min_words`` words or more, not right under another such line (a stack of
    them is a list of other stories); its next line (rule-dropped lines skipped) a paragraph-like line
    (``near`` or ``good``) that reads as its standfirst (:func:`_standfirst`) and is no other story's
    headline; a byline or date line within the ``standfirst_date_lines`` lines under the standfirst,
    no "related stories" or comments header before it, and no other headline-like line (a byline
    belongs to the nearest headline above it: a site's name over its motto is no headline pair).
    """
    short_line, found = settings.meta_short_line, []
    for i in range(stop):
        ln = lines[i]
        if (ln.hard or ln.cls not in ("short", "near") or ln.reason.startswith(("caps", "links", "nav", "keywords"))
                or word_count(ln.text) < settings.headline_min_words
                or not headline_like(ln.text, dates, short_line=short_line)
                or line_dates(ln.text, dates, short_line=short_line)):
            continue
        up = next((k for k in range(i - 1, -1, -1) if not lines[k].hard), None)
        j = next((k for k in range(i + 1, stop) if not lines[k].hard), None)
        if up is not None and _teaser_like(lines[up], dates, settings) \
                and not under_list(lines, up, j, lambda x: _teaser_like(x, dates, settings)):
            continue  # the second of a stack of headline-like lines, not the headline under a list (headline_teasers.py)
        if (j is None or lines[j].cls not in ("near", "good")
                or not _standfirst(lines[j].text, word_count(ln.text), settings)
                or (_teaser_like(lines[j], dates, settings) and not sentence_end(lines[j].text))):
            continue
        seen = 0
        for k in range(j + 1, stop):
            if is_dated(lines[k]):
                found.append(i)
                break
            if lines[k].reason.startswith(("boilerplate.related", *THREAD_HEADERS)) or _own_headline(lines[k], dates, settings):
                break  # a header, or another headline: the byline under it is that one's
            seen += not lines[k].hard
            if seen > settings.standfirst_date_lines:
                break
    return found


def dated_headline(lines: list[Line], block: tuple[int, int], dates: DateRules, settings,
                   skip: set[int] | None = None) -> int | None:
    """The headline found by its byline or date when the one above the block has none beside it.

    Inside the block's ``headline_above`` first lines, when the block opens with a paragraph that is
    not the article's (a site's blurb, a widget's text): a dated candidate (:func:`_dated_candidate`)
    with more paragraph text under it than above it.  Else above the block: the page's first dated
    candidate with a paragraph within seven lines under it (the block may start lower: the article's
    first paragraphs were taken for chrome, or a comment thread outweighs the article); failing that,
    the only dated candidate above the block with no paragraph between, when no other headline-like
    line above the block has a byline or date under it (a video player or a form between the
    headline and its text).  Neither past a "related stories" or comments header.
    """
    first, last = block
    seen = 0
    for i in range(first + 1, last + 1):
        ln = lines[i]
        if not ln.hard and ln.cls != "meta":
            seen += 1
            if seen > settings.headline_above:
                break
        if ln.reason.startswith(THREAD_HEADERS):
            break
        if _dated_candidate(lines, i, dates, settings):
            above = sum(x.chars for x in lines[first:i] if x.cls == "good")
            below = sum(x.chars for x in lines[i + 1:last + 1] if x.cls == "good")
            if above < below:
                return i
            break
    found = []
    if skip is None:
        skip = teaser_lines(lines, first, dates, settings)
    for i in range(first):
        if lines[i].reason.startswith(("boilerplate.related", *THREAD_HEADERS)):
            break
        if i not in skip and _dated_candidate(lines, i, dates, settings):
            if any(x.cls == "good" for x in lines[i + 1:i + 8]):
                return i
            found.append(i)
    # the only dated candidate above the block and the only headline-like line with a byline or date
    # under it there, no paragraph between (a video player, a photo gallery or a form stands between
    # the headline and its text)
    if len(found) == 1:
        i, short_line = found[0], settings.meta_short_line
        if not any(x.cls == "good" for x in lines[i + 1:first]) and not (
                _dated_pair(lines, 0, i - 1, dates, short_line) or _dated_pair(lines, i + 1, first, dates, short_line)):
            return i
    return None




def _stack(lines: list[Line], i: int, dates: DateRules, short_line: int) -> set[str]:
    """The texts of the run of headline-like lines that holds line ``i`` (byline/date lines skipped;
    a rule-dropped line or any other line ends it): three or more is a list (teasers, a menu)."""
    run = {text_key(lines[i].text)}
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines):
            ln = lines[j]
            if ln.cls == "meta" and not ln.hard:
                j += step
                continue
            if ln.hard or not headline_like(ln.text, dates, short_line=short_line):
                break
            run.add(text_key(ln.text))
            j += step
    return run


def _in_reprinted_menu(lines: list[Line], i: int) -> bool:
    """Whether line ``i`` is printed again with the same lines on both sides: a menu printed twice
    (desktop and mobile, header and footer), not a headline's second print."""
    if not 0 < i < len(lines) - 1:
        return False
    key, up, down = text_key(lines[i].text), text_key(lines[i - 1].text), text_key(lines[i + 1].text)
    n = len(key)
    return any(j != i and len(lines[j].text) == n and text_key(lines[j].text) == key and text_key(lines[j - 1].text) == up
               and text_key(lines[j + 1].text) == down for j in range(1, len(lines) - 1))


def printed_twice(lines: list[Line], anchor: int, head: int | None, dates: DateRules, settings) -> int | None:
    """The headline printed twice above the body when the chosen line is printed once, with no byline or date beside it.

    A page often prints its headline twice or more as a whole line (a breadcrumb, the header of an AMP
    or mobile copy, a "you are reading" bar), far above the first paragraph with a share row, a byline
    and a photo gallery between: the chosen line is then a gallery's or a caption's title.  The lowest
    line above ``anchor`` of ``headline_min_words`` words or more, headline-like, printed again above
    ``anchor``, no print of it in a run of three or more headline-like lines (a list of teasers or a
    menu) and none with the same lines on both sides (a menu printed twice, desktop and mobile).
    """
    short_line = settings.meta_short_line
    if head is not None and dated_beside(lines, head):
        return head
    prints = printed(lines)
    if head is not None and len(prints[text_key(lines[head].text)]) > 1:
        return head
    for i in range(anchor - 1, -1, -1):
        ln = lines[i]
        if ln.hard or (ln.reason.startswith(("caps", "links", "nav", "keywords")) and not _brand_glued(ln, settings)):
            continue
        same = [j for j in prints[text_key(ln.text)] if j < anchor]
        if len(same) < 2 or word_count(ln.text) < settings.headline_min_words:
            continue
        if not headline_like(ln.text, dates, short_line=short_line) or _menu_row(ln) \
                or line_dates(ln.text, dates, short_line=short_line):
            continue
        if any(len(_stack(lines, j, dates, short_line)) > 2 for j in same):
            continue
        if _in_reprinted_menu(lines, i):
            continue
        return i
    return head


def _above(lines: list[Line], i: int) -> int | None:
    """The nearest line above ``i`` that no rule dropped."""
    return next((k for k in range(i - 1, -1, -1) if not lines[k].hard), None)


def pair_upper(lines: list[Line], head: int, dates: DateRules, settings) -> int:
    """The upper line of a (headline, standfirst) pair printed twice in the same order.

    When the chosen line is printed again with the same headline-like line (``headline_min_words``
    words or more) right above both prints (rule-dropped lines skipped), the two are the headline over
    its standfirst printed twice (a page's header, then its article): the upper is the headline.  Not in
    a run of three or more headline-like lines (a list printed twice).
    """
    key, short_line = text_key(lines[head].text), settings.meta_short_line
    up = _above(lines, head)
    if up is None or word_count(lines[up].text) < settings.headline_min_words \
            or not headline_like(lines[up].text, dates, short_line=short_line) \
            or len(_stack(lines, head, dates, short_line)) > 2:
        return head
    for j, ln in enumerate(lines):
        if j != head and text_key(ln.text) == key:
            k = _above(lines, j)
            if k is not None and k != up and text_key(lines[k].text) == text_key(lines[up].text):
                return up
    return head


#: a breadcrumb's separators ("Home » News » Title", "Home > News > Title", "Home / News / Title")
_CRUMB_SEP = re.compile(r"[»›>/|]")


def breadcrumb_end(lines: list[Line], anchor: int, head: int | None, dates: DateRules, settings) -> int | None:
    """The page's title under its breadcrumb, when the chosen headline stands higher.

    A breadcrumb ends with the page's title ("Home » Topics » Children and work"): the line right under
    it that is its last item, printed alone, within the ``headline_above`` lines above ``anchor``, is
    the headline, however short.  The breadcrumb is set apart by separators or glued labels.
    """
    seen = 0
    for i in range(anchor - 1, 0, -1):
        ln = lines[i]
        if not ln.hard and ln.cls != "meta":
            seen += 1
            if seen > settings.headline_above:
                break
        if head is not None and i <= head:
            break
        key, crumb = text_key(ln.text), text_key(lines[i - 1].text)
        if ln.hard or len(key) < 8 or not (ln.text[0].isupper() or ln.text[0].isdigit()) \
                or not 1 <= word_count(ln.text) <= settings.subheading_max_words or sentence_end(ln.text):
            continue
        if len(crumb) > len(key) + 3 and crumb.endswith(key) and (
                _CRUMB_SEP.search(crumb[:-len(key)]) or glued_pairs(lines[i - 1].text) >= 2) \
                and not is_meta_line(ln.text, dates, short_line=settings.meta_short_line):
            return i
    return head


def opening_title(lines: list[Line], anchor: int, dates: DateRules, settings) -> int | None:
    """The page's first line when no headline was found and it is printed again above the body.

    A page that opens with its title (an encyclopedia's article, a product page) prints it again as a
    whole line over its text, however short ("Tasmania"): the first line, capitalised, of at most
    ``subheading_max_words`` words, not a byline or a sentence, printed again above ``anchor``.
    """
    first = lines[0]
    if first.hard or not first.text[:1].isupper() or sentence_end(first.text) \
            or word_count(first.text) > settings.subheading_max_words \
            or is_meta_line(first.text, dates, short_line=settings.meta_short_line):
        return None
    key = text_key(first.text)
    return 0 if any(text_key(x.text) == key for x in lines[1:anchor]) else None
