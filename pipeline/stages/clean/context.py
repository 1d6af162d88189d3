"""Context revision of the clean stage: neighbours, the headline and subheadings.

``short`` and ``near`` lines take the class of their neighbours (a subheading between two
paragraphs stays, a short line amid chrome goes), as in jusText; the first headline-like
line at the top is the headline and stays; short lines above it go.
"""

from __future__ import annotations

from pipeline.stages.clean.density import Line, sentence_end
from pipeline.text.datelines import DateRules
from pipeline.text.lines import headline_like, is_meta_line


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


def apply_context(lines: list[Line], dates: DateRules, settings) -> None:
    """Short articles, the headline, subheadings, then the neighbour revision (in place)."""
    if not lines:
        return
    short_line = settings.meta_short_line
    if not any(ln.cls == "good" for ln in lines):
        # a short article: its sentence-like lines are the body
        for ln in lines:
            if ln.cls == "near":
                ln.cls = "good"
                ln.reason = "short-article:" + ln.reason
    first_good = next((i for i, ln in enumerate(lines) if ln.cls == "good"), len(lines))
    # the headline: the first headline-like line above the first paragraph, preferring
    # one of several words over a short label such as the site's name
    candidates = [i for i, ln in enumerate(lines[:min(first_good, settings.headline_window)])
                  if (ln.cls in ("short", "near") or (ln.cls == "bad" and ln.reason.startswith("density:")))
                  and not ln.reason.startswith("caps")
                  and headline_like(ln.text, dates, short_line=short_line)]
    # ... and when three or more such lines stack up above the body they are a list of
    # other stories (a "trending" bar): the headline is the last one, just above the body
    strong = [i for i in candidates if lines[i].words >= settings.headline_min_words] or candidates
    head = None if not strong else strong[-1] if len(strong) >= 3 else strong[0]
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
