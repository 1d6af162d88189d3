"""Context revision of the clean stage: neighbours, the headline and subheadings.

``short`` and ``near`` lines take the class of their neighbours (a subheading between two
paragraphs stays, a short line amid chrome goes), as in jusText; the first headline-like
line at the top is the headline and stays; short lines above it go.
"""

from __future__ import annotations

import re

from pipeline.stages.clean.density import Line, sentence_end
from pipeline.stages.clean.headline import (
    breadcrumb_end,
    dated_headline,
    headline_above,
    is_heading,
    opening_title,
    pair_upper,
    printed_alone,
    printed_twice,
    standfirst_pairs,
    teaser_lines,
    top_headline,
)
from pipeline.stages.clean.headline_cues import dated_beside, thread_title
from pipeline.stages.clean.headline_layout import layout_headline
from pipeline.stages.clean.marks import THREAD_HEADERS, is_dated
from pipeline.text.datelines import DateRules
from pipeline.text.lines import is_meta_line

#: an article's numbered note ("[1] ...") printed after its text
FOOTNOTE = re.compile(r"^\[\d{1,3}\]")
#: a date printed in figures alone on its line ("- 24/09/2019", "24.09.2019"): a teaser's or a post's
_FIGURE_DATE = re.compile(r"^\W{0,3}\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\W{0,3}$")


#: a numbered step's marker: a word and its number ("Étape 2", "Step 3", "Krok 4") or a number out
#: of a total ("3 von 17", "3/17")
_STEP_WORD = re.compile(r"^([^\W\d_]{2,12})\.? ?(\d{1,2})\W{0,2}$")
_STEP_OF = re.compile(r"^(\d{1,2}) ?(/|[^\W\d_]{2,3}) ?(\d{1,2})\W{0,2}$")


def step_markers(lines: list[Line]) -> set[int]:
    """The positions of the markers of numbered steps: a marker counts when the page also prints
    the one numbered before or after it ("Étape 2" and "Étape 3", "4 von 17" and "5 von 17")."""
    found: dict[tuple[str, int], int] = {}
    for i, ln in enumerate(lines):
        if ln.hard or len(ln.text) > 20:
            continue
        m = _STEP_WORD.match(ln.text)
        if m:
            found[(m.group(1).casefold(), int(m.group(2)))] = i
            continue
        m = _STEP_OF.match(ln.text)
        if m:
            found[(m.group(2).casefold() + m.group(3), int(m.group(1)))] = i
    return {i for (key, n), i in found.items() if (key, n - 1) in found or (key, n + 1) in found}


def _figure_date(ln: Line) -> bool:
    return ln.reason.startswith("density:noletters") and bool(_FIGURE_DATE.match(ln.text))


#: rule families of the chrome a page sets between an article's paragraphs, one line at a time: an ad
#: label, a photo viewer's button or credit, a share or print button, a line recurring across the dump
#: (a comment's "Reply", a newsletter or paywall box, a "related" header open a box of chrome instead)
INLINE_CHROME = ("boilerplate.placeholder.", "boilerplate.ad.", "boilerplate.cta.", "dump.repeated")


#: a short line of at most this many words stays beside the chrome row it stands in
ROW_LABEL_WORDS = 2


def _inline_chrome(ln: Line) -> bool:
    return ln.hard and ln.reason.startswith(INLINE_CHROME)


def _neighbour(lines: list[Line], i: int, step: int, ignore_near: bool,
               block: tuple[int, int] | None = None) -> str:
    """The class of the nearest line before (``step`` -1) or after (+1) ``i`` that is not short or a
    byline/date (nor near, with ``ignore_near``); inside the main ``block``, lines a rule dropped (an
    image viewer's caption, an ad label, a share row between two paragraphs) are skipped too."""
    j = i + step
    while 0 <= j < len(lines):
        ln = lines[j]
        c = ln.cls
        if (c == "short" or c == "meta" or (ignore_near and c == "near")
                or (block is not None and block[0] < j < block[1] and _inline_chrome(ln))):
            j += step
            continue
        return c
    return "bad"


def _skipped(ln: Line, j: int, ignore_near: bool, block: tuple[int, int] | None) -> bool:
    c = ln.cls
    return (c == "short" or c == "meta" or (ignore_near and c == "near")
            or (block is not None and block[0] < j < block[1] and _inline_chrome(ln)))


def neighbours(lines: list[Line], ignore_near: bool,
               block: tuple[int, int] | None = None) -> tuple[list[str], list[str]]:
    """:func:`_neighbour` of every line at once, before and after it (one pass each way)."""
    skip = [_skipped(ln, j, ignore_near, block) for j, ln in enumerate(lines)]
    before, after = [], [""] * len(lines)
    last = "bad"
    for ln, sk in zip(lines, skip):
        before.append(last)
        if not sk:
            last = ln.cls
    last = "bad"
    for j in range(len(lines) - 1, -1, -1):
        after[j] = last
        if not skip[j]:
            last = lines[j].cls
    return before, after


def _closing(ln: Line, min_words: int) -> bool:
    """A sentence of at least ``min_words`` words: right under the block's last paragraph, the article's closing line."""
    return ln.words >= min_words and sentence_end(ln.text)


def revise(lines: list[Line], block: tuple[int, int] | None = None, closing_words: int | None = None) -> None:
    """jusText context revision of ``short`` then ``near`` lines.

    Inside the article's main ``block`` (first, last paragraph), lines a rule dropped one at a time
    (:data:`INLINE_CHROME`) are no neighbours of a short line of more than :data:`ROW_LABEL_WORDS`
    words: the chrome a page sets between two paragraphs (a photo viewer's "show picture", an ad
    label) does not cut the article's short lines from the paragraphs around them.  With
    ``closing_words``, a short sentence of at least that many words right under the block's last
    paragraph is the article's closing line (a sentence with many names: "Contact: ..." lines,
    a share row or a form below it made it a short line amid chrome).
    """
    new = [ln.cls for ln in lines]
    tables: dict[tuple[bool, bool], tuple[list[str], list[str]]] = {}

    def near(ignore_near: bool, blk: tuple[int, int] | None) -> tuple[list[str], list[str]]:
        key = (ignore_near, blk is None)
        if key not in tables:
            tables[key] = neighbours(lines, ignore_near, blk)
        return tables[key]

    for i, ln in enumerate(lines):
        if ln.cls != "short":
            continue
        # a label of one or two words ("Commenter", "Politique") beside a share button is of its row
        blk = block if ln.words > ROW_LABEL_WORDS else None
        before, after = near(True, blk)
        prev, nxt = before[i], after[i]
        if prev == nxt == "good" or (block is not None and closing_words is not None and i == block[1] + 1
                                     and _closing(ln, closing_words)):
            new[i] = "good"
        elif prev == nxt == "bad":
            new[i] = "bad"
        elif (prev == "bad" and near(False, blk)[0][i] == "near") or \
             (nxt == "bad" and near(False, blk)[1][i] == "near"):
            new[i] = "good"
        else:
            new[i] = "bad"
    for i, ln in enumerate(lines):
        if ln.cls == "short":
            ln.cls = new[i]
            ln.reason = "context:" + ln.reason
    before, after = neighbours(lines, True, block) if "near" in new else ([], [])
    for i, ln in enumerate(lines):
        if ln.cls != "near":
            continue
        new[i] = "bad" if before[i] == after[i] == "bad" else "good"
    for i, ln in enumerate(lines):
        if ln.cls == "near":
            ln.cls = new[i]
            ln.reason = "context:" + ln.reason


#: headers printed over a comment thread only (a bare comment count also stands beside a byline)
_THREAD_STARTS = ("boilerplate.comment.count_invite", "boilerplate.comment.count_on", "boilerplate.comment.leave_reply",
                  "boilerplate.comment.laisser_reponse", "boilerplate.comment.email_not_published")
#: the weight of a block under a comment header when a block stands above it
COMMENT_BLOCK_WEIGHT = 0.25


#: a block of at least this many paragraphs, each alone between other lines, is a list of items...
ITEM_BLOCK_MIN = 6
#: ... and weighs this share of its characters (a gallery's captions, a directory of sites with a blurb each)
ITEM_BLOCK_WEIGHT = 0.5


def _item_block(lines: list[Line], first: int, last: int) -> bool:
    """Every paragraph of the block stands alone between lines that are no paragraphs.

    A photo gallery prints caption, credit, counter; a directory prints name, blurb, name,
    blurb: each paragraph is an item under or over its own label.  An article runs paragraphs
    one under another (a subheading over a few of them).  Lines a rule drops (an ad slot
    between paragraphs) are not counted as separators.
    """
    seen = [lines[i].cls == "good" for i in range(first, last + 1) if not lines[i].hard]
    if sum(seen) < ITEM_BLOCK_MIN:
        return False
    return not any(a and b for a, b in zip(seen, seen[1:]))


def main_block(lines: list[Line], gap: int, lead_gap: int, block_share: float = 1.0) -> tuple[int, int] | None:
    """The first and last lines of the article's main run of paragraphs.

    Paragraph (``good``) lines separated by at most ``gap`` other lines form a block; the
    first block holding at least ``block_share`` of the most paragraph characters a block
    holds is the article body (teasers, comments and footers make smaller ones or come after it); a paragraph at most ``lead_gap`` lines above it (a standfirst
    set apart by a share row or a photo) starts it.  A block's weight halves with each byline/date
    line or date printed in figures alone on its line it holds past the first (a comment thread
    dates every post, a list of teasers every story); under a header printed over a comment thread
    only (:data:`_THREAD_STARTS`), a block weighs :data:`COMMENT_BLOCK_WEIGHT` of itself when a
    block stands above the header (one long reader's post outweighed a short article); a block of
    items (:func:`_item_block`: a gallery's captions, a directory's blurbs, each paragraph alone
    between labels or credits) weighs :data:`ITEM_BLOCK_WEIGHT` of itself.  Lines a rule drops (share buttons),
    byline/date lines, the markers of numbered steps (:func:`step_markers`: "Étape 2", "3 von 17") and
    a step's sentence right under its marker are not counted in the gaps.  ``None`` when there is no paragraph.
    """
    soft = [0] * (len(lines) + 1)  # soft[i]: lines before i that are neither rule chrome, byline/date nor step marker
    steps = step_markers(lines)
    for i, ln in enumerate(lines):
        step = i in steps or (i - 1 in steps and sentence_end(ln.text))  # a marker, or the step's sentence under it
        soft[i + 1] = soft[i] + (not ln.hard and ln.cls != "meta" and not step)
    blocks: list[list[int]] = []  # [first, last, paragraph characters]
    split = False
    for i, ln in enumerate(lines):
        if ln.reason.startswith(THREAD_HEADERS):
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
        dated = sum(1 for ln in lines[first:last + 1] if is_dated(ln) or _figure_date(ln))
        w = chars * 0.5 ** max(0, dated - 1)
        if thread is not None and first > thread and blocks[0][0] < thread:
            w *= COMMENT_BLOCK_WEIGHT
        if _item_block(lines, first, last):  # a gallery's captions, a directory's blurbs
            w *= ITEM_BLOCK_WEIGHT
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


def _colon_heading(ln: Line, dates: DateRules, short_line: int, max_words: int) -> bool:
    """A short label of 2 to ``max_words`` words ending in a colon, no byline/date: a section's or a list's heading."""
    t = ln.text
    return (ln.cls == "short" and 2 <= ln.words <= max_words and t.endswith(":") and not t[:-1].rstrip().endswith(":")
            and not is_meta_line(t, dates, short_line=short_line))


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
    skip = teaser_lines(lines, anchor, dates, settings) if anchor else None  # read by both searches
    if anchor is not None and anchor > 0:
        head = headline_above(lines, anchor, dates, settings, skip)
    if head is None and anchor is None or (head is None and anchor == first_good):
        head = top_headline(lines, first_good, dates, settings)
    if block is not None and (head is None or not dated_beside(lines, head)):
        # a headline with no byline or date beside it: one that has them may stand elsewhere
        head = dated_headline(lines, block, dates, settings, skip) or head
    if block is not None and head is not None:
        # a headline over its standfirst and byline, alone of its kind above the body, wins over a
        # line nearer the body (a photo caption, a summary box); two or more such are a list of teasers
        pairs = standfirst_pairs(lines, block[0], dates, settings)
        if len(pairs) == 1 and pairs[0] < head:
            head = pairs[0]
    if anchor is not None:
        # a headline printed twice far above the body wins over a line printed once with no date beside it
        head = printed_twice(lines, anchor, head, dates, settings)
    head = layout_headline(lines, anchor, head, dates, settings)  # a kicker, a handle, a header printed twice
    if block is not None:
        # the post's title quoted by its comment thread's header ("One thought on “Title”")
        head = thread_title(lines, head, settings)
    if head is None and anchor is not None and anchor > 0:
        head = opening_title(lines, anchor, dates, settings)
    if head is not None:
        head = pair_upper(lines, head, dates, settings)
    if anchor is not None:
        head = breadcrumb_end(lines, anchor, head, dates, settings)
    if head is not None:
        head = printed_alone(lines, head, dates, settings)
    if head is not None:
        for ln in lines[:head]:
            if ln.cls in ("short", "near"):
                ln.cls, ln.reason = "bad", "head:" + ln.reason
        hl = lines[head]
        hl.cls, hl.reason, hl.score = "good", "headline", max(hl.score, 0.5)
    start = head + 1 if head is not None else first_good
    # a subheading directly followed by a paragraph (past a rule's ad label or photo button inside
    # the block; a line recurring in the dump may be a teaser's section label) is a near-good line,
    # and so is a section title between a paragraph and such a subheading (a list's title over its
    # first numbered item) or right over the first marker of numbered steps ("Préparation" over
    # "Étape 1");
    # inside the block, so is a label ending in a colon over a paragraph ("Pour les personnes
    # malvoyantes :"), the heading of a list or a section.  Past the block's last paragraph and a line a
    # rule drops after it (tags, a share row, a comment form), a title over a paragraph is another
    # story's teaser: no heading there
    over_paragraph: set[int] = set()
    steps = step_markers(lines)
    last = len(lines) - 2
    if block is not None:
        last = min(last, next((i for i in range(block[1] + 1, len(lines)) if lines[i].hard
                               and lines[i].reason != "dump.repeated"), len(lines)))
    for i in range(last, start - 1, -1):
        ln = lines[i]
        j = i + 1
        while (block is not None and block[0] < j < block[1] and _inline_chrome(lines[j])
               and lines[j].reason != "dump.repeated"):
            j += 1
        first_step = j in steps and j - 1 not in steps and j + 1 < len(lines) and lines[j + 1].cls == "good"
        if (lines[j].cls != "good" and not first_step
                and not (j in over_paragraph and i > 0 and lines[i - 1].cls == "good")):
            continue
        if is_heading(ln, dates, short_line, settings.subheading_max_words) or (
                block is not None and block[0] < i < block[1]
                and _colon_heading(ln, dates, short_line, settings.subheading_max_words)):
            ln.cls, ln.heading = "near", True
            ln.reason = "heading:" + ln.reason
            if lines[j].cls == "good":
                over_paragraph.add(i)
    revise(lines, block, settings.near_min_words)
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
        if ln.reason.startswith(THREAD_HEADERS):
            runs.append([])  # a header: the runs below it are no continuation of the article
        elif _stamp(ln):
            if runs and runs[-1] and i - runs[-1][-1] - 1 <= entry_lines:
                runs[-1].append(i)
            else:
                runs.append([i])
    header_after = next((i for i, ln in enumerate(lines) if i > block[1] and ln.reason.startswith(THREAD_HEADERS)),
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
        if ln.reason.startswith(THREAD_HEADERS):
            start = i
            break
        if is_dated(ln) and soft > gap:
            dated += 1
            if dated >= 2:
                start = i
                break
    if start is None:
        return
    # under its header (a comment count, a reply form, "most read") the thread is readers' posts or
    # other stories for sure: ``comments:thread:`` makes them final for the line model (a thread
    # inferred from its dated posts stays the model's to revise: an article's dated entries look alike)
    mark = "comments:thread:" if lines[start].reason.startswith(THREAD_HEADERS) else "comments:"
    for ln in lines[start:]:
        if ln.cls == "good" and not FOOTNOTE.match(ln.text):
            ln.cls, ln.reason = "bad", mark + ln.reason
