"""Context revision of the clean stage: neighbours, the headline and subheadings.

``short`` and ``near`` lines take the class of their neighbours (a subheading between two
paragraphs stays, a short line amid chrome goes), as in jusText; the first headline-like
line at the top is the headline and stays; short lines above it go.
"""

from __future__ import annotations

import re

from pipeline.stages.clean.density import Line, sentence_end
from pipeline.text.datelines import DateRules, line_dates
from pipeline.text.lines import glued_pairs, headline_like, is_meta_line, word_count

#: an article's numbered note ("[1] ...") printed after its text
FOOTNOTE = re.compile(r"^\[\d{1,3}\]")
#: between a page title's headline and the site's name ("Headline - Site", "Site | Headline")
_TITLE_SEP = re.compile(r"\s+[-|–—·•»]\s+")
#: rule ids of the headers after which the rest of a page is readers' comments or other stories
#: ("Lire aussi" and "Read more" links, and the "Nom" / "E-mail" fields of a newsletter box, stand
#: inside articles too: not these)
_THREAD_HEADERS = ("boilerplate.comment.count", "boilerplate.comment.count_in_brackets", "boilerplate.comment.leave_reply", "boilerplate.comment.laisser_reponse",
                   "boilerplate.comment.view_comments", "boilerplate.comment.email_not_published",
                   "boilerplate.comment.required_fields", "boilerplate.comment.logged_in",
                   "boilerplate.related.similaires", "boilerplate.related.meme_sujet", "boilerplate.related.popular",
                   "boilerplate.related.featured", "boilerplate.comment.count_on", "boilerplate.related.popular_other",
                   "boilerplate.related.popular_list")


def _dated(ln: Line) -> bool:
    """A byline or date line (a live feed's bare minute or clock stamp is not one)."""
    return ln.cls == "meta" and not ln.reason.startswith("stamp")


#: a byline ending with the story's age ("Jane Roe 1 day ago", "il y a 3 heures", "vor 5 Stunden", "hace una hora")
_AGE = re.compile(r"(?:\b(?:\d+|an?|one)\s+(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?)\s+ago"
                  r"|\b(?:il y a|hace|vor|há)\s+(?:\d+|une?|una?|einer|einem)\s+\w+)\W*$", re.I)


def _byline(ln: Line) -> bool:
    """A byline or date line, or a short line giving the story's age (a rule may drop it)."""
    return _dated(ln) or (len(ln.text.split()) <= 8 and bool(_AGE.search(ln.text)))


#: a date printed in figures alone on its line ("- 24/09/2019", "24.09.2019"): a teaser's or a post's
_FIGURE_DATE = re.compile(r"^\W{0,3}\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\W{0,3}$")


def _figure_date(ln: Line) -> bool:
    return ln.reason.startswith("density:noletters") and bool(_FIGURE_DATE.match(ln.text))


def _neighbour(lines: list[Line], i: int, step: int, ignore_near: bool) -> str:
    j = i + step
    while 0 <= j < len(lines):
        c = lines[j].cls
        if c == "short" or c == "meta" or (ignore_near and c == "near"):
            j += step
            continue
        return c
    return "bad"


def revise(lines: list[Line]) -> None:
    """jusText context revision of ``short`` then ``near`` lines."""
    new = [ln.cls for ln in lines]
    for i, ln in enumerate(lines):
        if ln.cls != "short":
            continue
        prev = _neighbour(lines, i, -1, True)
        nxt = _neighbour(lines, i, 1, True)
        if prev == nxt == "good":
            new[i] = "good"
        elif prev == nxt == "bad":
            new[i] = "bad"
        elif (prev == "bad" and _neighbour(lines, i, -1, False) == "near") or \
             (nxt == "bad" and _neighbour(lines, i, 1, False) == "near"):
            new[i] = "good"
        else:
            new[i] = "bad"
    for i, ln in enumerate(lines):
        if ln.cls == "short":
            ln.cls = new[i]
            ln.reason = "context:" + ln.reason
    for i, ln in enumerate(lines):
        if ln.cls != "near":
            continue
        prev = _neighbour(lines, i, -1, True)
        nxt = _neighbour(lines, i, 1, True)
        new[i] = "bad" if prev == nxt == "bad" else "good"
    for i, ln in enumerate(lines):
        if ln.cls == "near":
            ln.cls = new[i]
            ln.reason = "context:" + ln.reason


def _is_heading(ln: Line, dates: DateRules, short_line: int, max_words: int) -> bool:
    t = ln.text
    return (ln.cls == "short" and 3 <= ln.words <= max_words and not sentence_end(t)
            and not t.endswith(":") and (t[0].isupper() or t[0].isdigit() or t[0] in "«\"“")
            and not ln.reason.startswith("caps") and not is_meta_line(t, dates, short_line=short_line))


#: headers printed over a comment thread only (a bare comment count also stands beside a byline)
_THREAD_STARTS = ("boilerplate.comment.count_invite", "boilerplate.comment.count_on", "boilerplate.comment.leave_reply",
                  "boilerplate.comment.laisser_reponse", "boilerplate.comment.email_not_published")
#: the weight of a block under a comment header when a block stands above it
COMMENT_BLOCK_WEIGHT = 0.25


def main_block(lines: list[Line], gap: int, lead_gap: int, block_share: float = 1.0) -> tuple[int, int] | None:
    """The first and last lines of the article's main run of paragraphs.

    Paragraph (``good``) lines separated by at most ``gap`` other lines form a block; the
    first block holding at least ``block_share`` of the most paragraph characters a block
    holds is the article body (teasers, comments and footers make smaller ones or come after it); a paragraph at most ``lead_gap`` lines above it (a standfirst
    set apart by a share row or a photo) starts it.  A block's weight halves with each byline/date
    line or date printed in figures alone on its line it holds past the first (a comment thread
    dates every post, a list of teasers every story); under a header printed over a comment thread
    only (:data:`_THREAD_STARTS`), a block weighs :data:`COMMENT_BLOCK_WEIGHT` of itself when a
    block stands above the header (one long reader's post outweighed a short article).  Lines a rule drops (share buttons) and
    byline/date lines are not counted in the gaps.  ``None`` when there is no paragraph.
    """
    soft = [0] * (len(lines) + 1)  # soft[i]: lines before i that are neither rule chrome nor byline/date
    for i, ln in enumerate(lines):
        soft[i + 1] = soft[i] + (not ln.hard and ln.cls != "meta")
    blocks: list[list[int]] = []  # [first, last, paragraph characters]
    split = False
    for i, ln in enumerate(lines):
        if ln.reason.startswith(_THREAD_HEADERS):
            split = True  # a comments or "other stories" header ends a block
        if ln.cls != "good":
            continue
        if not blocks or split or soft[i] - soft[blocks[-1][1] + 1] > gap:
            blocks.append([i, i, 0])
            split = False
        blocks[-1][1] = i
        blocks[-1][2] += ln.chars
    if not blocks:
        return None
    weights = []
    # readers' posts come under the article: past a comment header, a block weighs a quarter when
    # a block stands above the header (a long post outweighs a short article)
    thread = next((i for i, ln in enumerate(lines) if ln.reason.startswith(_THREAD_STARTS)), None)
    for first, last, chars in blocks:
        # a thread of comments carries a date line per post: each date line past the first halves it
        dated = sum(1 for ln in lines[first:last + 1] if _dated(ln) or _figure_date(ln))
        w = chars * 0.5 ** max(0, dated - 1)
        if thread is not None and first > thread and blocks[0][0] < thread:
            w *= COMMENT_BLOCK_WEIGHT
        weights.append(w)
    # the article comes before the stories and comments that follow it: the first block
    # nearly as heavy as the heaviest
    top = max(weights)
    k = next(k for k, w in enumerate(weights) if w >= block_share * top)
    best, end = blocks[k][0], blocks[k][1]
    # a standfirst or a first paragraph set apart by a share row or a photo belongs to it
    moved = True
    while moved:
        moved = False
        for j in range(best - 1, -1, -1):
            if soft[best] - soft[j + 1] > lead_gap:
                break
            if lines[j].cls == "good":
                best, moved = j, True
    return best, end


def _repeated(text: str, lines: list[Line], own: int) -> bool:
    """Whether a line's text stands elsewhere in the page (a breadcrumb, a second title, a share text)."""
    key = text.casefold().strip()
    if len(key) < 12:
        return False
    return any(j != own and key in ln.text.casefold() for j, ln in enumerate(lines))


def _label(lines: list[Line], i: int) -> bool:
    """A short line with no byline or date beside it (the 4 lines below, the 2 above), printed once: a label."""
    return (not any(_dated(x) for x in lines[max(0, i - 2):i] + lines[i + 1:i + 5])
            and not _repeated(lines[i].text, lines, i))


#: a row of menu labels: capitalised words and nothing else ("Articles Topics Maps Shop Jobs")
_MENU_ROW = re.compile(r"^[^\W\d_][^\W_]*(?:\s+[^\W\d_][^\W_]*){3,}$")


def _menu_row(ln: Line) -> bool:
    """A row of four or more capitalised words with no stop word and no punctuation: a menu, not a headline."""
    return (ln.reason.startswith("density:") and ln.stop == 0.0 and bool(_MENU_ROW.match(ln.text))
            and all(w[0].isupper() for w in ln.text.split()))


#: labels set apart on one line ("News | Sport | Jobs", "Home > World")
_LABEL_SEP = re.compile(r"\s[|•·›»>/]\s|\|")


def _brand_glued(ln: Line, settings) -> bool:
    """A line the glued-labels test took for a menu whose one glued pair is a brand's name
    ("Testing Your JavaScript Code With Mocha"): ``headline_min_words`` words or more, no separator."""
    return (ln.reason.startswith("nav:") and word_count(ln.text) >= settings.headline_min_words
            and glued_pairs(ln.text) == 1 and not _LABEL_SEP.search(ln.text))


def headline_above(lines: list[Line], anchor: int, dates: DateRules, settings) -> int | None:
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
    for i in range(anchor, -1, -1):
        ln = lines[i]
        if i < anchor and not ln.hard and ln.cls != "meta":
            seen += 1
            if seen > settings.headline_above:
                break
        if ln.hard or (ln.reason.startswith(("caps", "links", "nav", "keywords")) and not _brand_glued(ln, settings)):
            continue
        if (ln.cls == "good" and i != anchor) or not headline_like(ln.text, dates, short_line=short_line) \
                or _menu_row(ln):
            continue
        if line_dates(ln.text, dates, short_line=short_line):
            continue  # a dateline or byline too long to be a meta line
        after = lines[i + 1:i + 5]
        dated = any(_byline(x) for x in after)
        words = word_count(ln.text)
        if i == anchor and not dated:
            continue  # the first paragraph itself is the headline only when a byline or date follows
        if words < settings.headline_min_words and _label(lines, i):
            continue
        score = (2.0 * (words >= settings.headline_min_words)
                 + 2.0 * dated
                 + 1.5 * _repeated(ln.text, lines, i)
                 + 0.1 * min(words, 15) - 0.15 * max(0, words - 18)
                 - 0.2 * max(0, seen - 1))
        scored.append((i, score))
    # a headline stands over its standfirst: of two candidates one right above the other (no
    # date line between: that makes them two items of a list), the shorter upper one is the
    # headline (a standfirst is a sentence: ``standfirst_min_words`` and half as long again)
    by_line = dict(scored)
    for i, score in scored:
        below = next((j for j in range(i + 1, anchor + 1) if not lines[j].hard), None)
        if below in by_line and word_count(lines[below].text) >= max(settings.standfirst_min_words,
                                                                      1.5 * word_count(lines[i].text)):
            by_line[i] = score + settings.standfirst_bonus
    # a headline stands over what follows it (a standfirst, an author line, a caption): ties go to the upper
    return max(by_line, key=lambda i: (round(by_line[i], 6), -i)) if by_line else None


def _top_headline(lines: list[Line], first_good: int, dates: DateRules, settings) -> int | None:
    """The headline of a page that opens with its article: the first headline-like line at the top."""
    short_line = settings.meta_short_line
    candidates = [i for i, ln in enumerate(lines[:min(first_good, settings.headline_window)])
                  if (ln.cls in ("short", "near") or (ln.cls == "bad" and ln.reason.startswith("density:")))
                  and not ln.reason.startswith("caps")
                  and headline_like(ln.text, dates, short_line=short_line)]
    # ... and when three or more such lines stack up above the body they are a list of
    # other stories (a "trending" bar): the headline is the last one, just above the body
    strong = [i for i in candidates if lines[i].words >= settings.headline_min_words] or candidates
    return None if not strong else strong[-1] if len(strong) >= 3 else strong[0]


def _printed_alone(lines: list[Line], head: int, dates: DateRules, settings) -> int:
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
               and any(_dated(x) for x in lines[j + 1:j + 3]) for j in range(start, min(stop, len(lines))))


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


def _standfirst_pairs(lines: list[Line], stop: int, dates: DateRules, settings) -> list[int]:
    """Headline-like lines above ``stop`` set over a standfirst with a byline or date line under it.

    A headline of ``headline_min_words`` words or more, not right under another such line (a stack of
    them is a list of other stories); its next line (rule-dropped lines skipped) a paragraph-like line
    (``near`` or ``good``) that reads as its standfirst (:func:`_standfirst`) and is no other story's
    headline; a byline or date line within the ``standfirst_date_lines`` lines under the standfirst,
    no "related stories" or comments header before it.
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
        if up is not None and _teaser_like(lines[up], dates, settings):
            continue  # the second of a stack of headline-like lines: a list of other stories
        j = next((k for k in range(i + 1, stop) if not lines[k].hard), None)
        if (j is None or lines[j].cls not in ("near", "good")
                or not _standfirst(lines[j].text, word_count(ln.text), settings)
                or (_teaser_like(lines[j], dates, settings) and not sentence_end(lines[j].text))):
            continue
        seen = 0
        for k in range(j + 1, stop):
            if _dated(lines[k]):
                found.append(i)
                break
            if lines[k].reason.startswith(("boilerplate.related", *_THREAD_HEADERS)):
                break
            seen += not lines[k].hard
            if seen > settings.standfirst_date_lines:
                break
    return found


def _dated_headline(lines: list[Line], block: tuple[int, int], dates: DateRules, settings) -> int | None:
    """The headline found by its byline or date when the one above the block has none beside it.

    Inside the block's ``headline_above`` first lines, when the block opens with a paragraph that is
    not the article's (a site's blurb, a widget's text): a dated candidate (:func:`_dated_candidate`)
    with more paragraph text under it than above it.  Else above the block: the page's first dated
    candidate with a paragraph within seven lines under it (the block may start lower: the article's
    first paragraphs were taken for chrome, or a comment thread outweighs the article).  Neither past
    a "related stories" or comments header.
    """
    first, last = block
    seen = 0
    for i in range(first + 1, last + 1):
        ln = lines[i]
        if not ln.hard and ln.cls != "meta":
            seen += 1
            if seen > settings.headline_above:
                break
        if ln.reason.startswith(("boilerplate.related", *_THREAD_HEADERS)):
            break
        if _dated_candidate(lines, i, dates, settings):
            above = sum(x.chars for x in lines[first:i] if x.cls == "good")
            below = sum(x.chars for x in lines[i + 1:last + 1] if x.cls == "good")
            if above < below:
                return i
            break
    for i in range(first):
        if lines[i].reason.startswith(("boilerplate.related", *_THREAD_HEADERS)):
            break
        if _dated_candidate(lines, i, dates, settings) and any(x.cls == "good" for x in lines[i + 1:i + 8]):
            return i
    return None


def apply_context(lines: list[Line], dates: DateRules, settings) -> tuple[tuple[int, int] | None, int | None]:
    """Short articles, the headline, subheadings, then the neighbour revision (in place).

    Returns the main block of paragraphs (first, last line) and the headline's position (or ``None``).
    """
    if not lines:
        return None, None
    short_line = settings.meta_short_line
    if not any(ln.cls == "good" for ln in lines):
        # a short article: its sentence-like lines are the body
        for ln in lines:
            if ln.cls == "near":
                ln.cls = "good"
                ln.reason = "short-article:" + ln.reason
    first_good = next((i for i, ln in enumerate(lines) if ln.cls == "good"), len(lines))
    block = main_block(lines, settings.body_gap, settings.lead_gap, settings.block_share)
    anchor = block[0] if block else None
    head = None
    if anchor is not None and anchor > 0:
        head = headline_above(lines, anchor, dates, settings)
    if head is None and anchor is None or (head is None and anchor == first_good):
        head = _top_headline(lines, first_good, dates, settings)
    if block is not None and (head is None or not any(_dated(x) for x in lines[max(0, head - 3):head + 5])):
        # a headline with no byline or date beside it: one that has them may stand elsewhere
        head = _dated_headline(lines, block, dates, settings) or head
    if block is not None and head is not None:
        # a headline over its standfirst and byline, alone of its kind above the body, wins over a
        # line nearer the body (a photo caption, a summary box); two or more such are a list of teasers
        pairs = _standfirst_pairs(lines, block[0], dates, settings)
        if len(pairs) == 1 and pairs[0] < head:
            head = pairs[0]
    if head is not None:
        head = _printed_alone(lines, head, dates, settings)
    if head is not None:
        for ln in lines[:head]:
            if ln.cls in ("short", "near"):
                ln.cls, ln.reason = "bad", "head:" + ln.reason
        hl = lines[head]
        hl.cls, hl.reason, hl.score = "good", "headline", max(hl.score, 0.5)
    start = head + 1 if head is not None else first_good
    # a subheading directly followed by a paragraph is a near-good line
    for i in range(start, len(lines) - 1):
        ln = lines[i]
        if _is_heading(ln, dates, short_line, settings.subheading_max_words) and lines[i + 1].cls == "good":
            ln.cls, ln.heading = "near", True
            ln.reason = "heading:" + ln.reason
    revise(lines)
    if block is None:
        return None, head
    drop_comments(lines, block[1], settings.body_gap)
    keep_live_entries(lines, block, settings.live_min_stamps, settings.live_entry_lines)
    return block, head


def _stamp(ln: Line) -> bool:
    return ln.cls == "meta" and ln.reason.startswith("stamp")


def keep_live_entries(lines: list[Line], block: tuple[int, int], min_stamps: int, entry_lines: int) -> None:
    """A live feed's entries are body, however short ("Sortie de X", "Carton jaune pour Y") (in place).

    A live feed prints a bare minute or clock stamp (``88'``, ``14h32``) over each entry: a run
    of at least ``min_stamps`` stamps at most ``entry_lines`` lines apart that touches the
    article's main block (it starts inside it or right after its last paragraph, below the
    feed's introduction) is a feed, and the lines between two of its stamps (the first line
    after its last one) are kept with reason ``live:``.  A comment thread dates its posts with
    byline/date lines, not bare stamps, and a thread header (comment count, "most read") ends
    a run and keeps the runs below it out; rule-dropped lines and lines without letters stay dropped.
    """
    runs: list[list[int]] = []
    for i, ln in enumerate(lines):
        if ln.reason.startswith(_THREAD_HEADERS):
            runs.append([])  # a header: the runs below it are no continuation of the article
        elif _stamp(ln):
            if runs and runs[-1] and i - runs[-1][-1] - 1 <= entry_lines:
                runs[-1].append(i)
            else:
                runs.append([i])
    header_after = next((i for i, ln in enumerate(lines) if i > block[1] and ln.reason.startswith(_THREAD_HEADERS)),
                        len(lines))
    for run in runs:
        if (len(run) < min_stamps or run[0] > min(block[1] + entry_lines + 1, header_after)
                or run[-1] < block[0] - entry_lines - 1):
            continue
        for k, i in enumerate(run):
            end = run[k + 1] if k + 1 < len(run) else min(i + 2, len(lines))
            for ln in lines[i + 1:end]:
                if not ln.hard and ln.cls != "meta" and not ln.reason.startswith(
                        ("density:noletters", "comments:", "live:")):
                    ln.cls, ln.reason = "good", "live:" + ln.reason


def drop_comments(lines: list[Line], end: int, gap: int) -> None:
    """Past the article's main block, a comment thread or a list of other stories goes whole.

    It starts at a comment-form or comment-count line (a ``boilerplate.comment`` rule), at a
    "related stories" or "most read" header, or at
    the second byline/date line after the body (readers' posts are dated one by one, more
    than ``gap`` lines from the body's last paragraph); every later paragraph is dropped
    but the article's numbered notes ("[1] ...").
    """
    soft, dated, start = 0, 0, None
    for i in range(end + 1, len(lines)):
        ln = lines[i]
        soft += not ln.hard and ln.cls != "meta"
        if ln.reason.startswith(_THREAD_HEADERS):
            start = i
            break
        if _dated(ln) and soft > gap:
            dated += 1
            if dated >= 2:
                start = i
                break
    if start is None:
        return
    # under its header (a comment count, a reply form, "most read") the thread is readers' posts or
    # other stories for sure: ``comments:thread:`` makes them final for the line model (a thread
    # inferred from its dated posts stays the model's to revise: an article's dated entries look alike)
    mark = "comments:thread:" if lines[start].reason.startswith(_THREAD_HEADERS) else "comments:"
    for ln in lines[start:]:
        if ln.cls == "good" and not FOOTNOTE.match(ln.text):
            ln.cls, ln.reason = "bad", mark + ln.reason
