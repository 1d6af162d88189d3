"""Finding the dates of a body: trigger windows, candidates, guards, overlap resolution.

Each form runs only in windows around its trigger words (which keeps the stage well under
1 ms per article); the trigger words of every form are found in one pass of one compiled
regular expression (:class:`~pipeline.stages.dates.rules.TriggerIndex`, a trie of the words);
every match goes through the form's handler, then the year guards (a count or a name is not
a year); overlapping candidates are resolved by keeping the
longest, then the earlier form; byline stamps are dropped last.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from pipeline.records import Mention
from pipeline.settings import or_defaults
from pipeline.stages.dates.edtf import NeedsPublished, Reject, Span
from pipeline.stages.dates.handlers import ANCHORED, TEXT_ORDER, Ctx
from pipeline.stages.dates.rows import surface_key as key
from pipeline.stages.dates.rules import DateRules, default_rules
from pipeline.text.spans import longest_non_overlapping, merge_windows
from pipeline.text.surface import word_starts

if TYPE_CHECKING:
    from pipeline.stages.dates import Settings

_YEAR_ANCHOR = re.compile(r"(?:19|20)\d\d|2100")
#: where a date in figures without a four-digit year may be ("17/03/09", "25/11", "2017-4")
_NUMERIC_ANCHOR = re.compile(r"(?<!\d)\d{1,4}[./\- ]\d{1,2}(?!\d)")
#: the same places as ``_NUMERIC_ANCHOR``, found faster (no look-behind on every character):
#: a run of digits, kept when it has at most four digits and starts the run
_NUMERIC_SCAN = re.compile(r"(\d+)[./\- ]\d{1,2}(?!\d)")


def _year_hits(body: str) -> list[int]:
    return [m.start() for m in _YEAR_ANCHOR.finditer(body)]


def _numeric_hits(body: str) -> list[int]:
    return [m.start() for m in _NUMERIC_SCAN.finditer(body)
            if len(m.group(1)) <= 4 and not (m.start() and body[m.start() - 1].isdigit())]


#: the value of a reference to the text's last date before the second pass resolves it
_DEFERRED = Span("", date.min, date.min)


def windows(body: str, low: str | None, triggers: tuple[str, ...], cache: dict,
            settings: Settings) -> list[tuple[int, int]]:
    """Merged (start, end) windows around the trigger occurrences (``cache``: one body's)."""
    if low is None:
        return [(0, len(body))]
    if triggers in cache:
        return cache[triggers]
    cache[triggers] = out = _compute_windows(body, low, triggers, cache, settings)
    return out


def _compute_windows(body: str, low: str, triggers: tuple[str, ...], cache: dict,
                     settings: Settings) -> list[tuple[int, int]]:
    hits: list[int] = []
    for t in triggers:
        if t in cache:
            hits.extend(cache[t])
            continue
        found: list[int] = []
        if t == "#year":
            found = [m.start() for m in _YEAR_ANCHOR.finditer(body)]
        elif t == "#numeric":
            found = [m.start() for m in _NUMERIC_ANCHOR.finditer(body)]
        else:
            found = word_starts(low, t)  # whole words only ("mai" not in "maison")
        cache[t] = found
        hits.extend(found)
    if not hits:
        return []
    hits.sort()
    return merge_windows(hits, settings.trigger_before, settings.trigger_after, len(body))


def trigger_windows(body: str, low: str, rules: DateRules,
                    settings: Settings) -> list[list[tuple[int, int]] | None]:
    """For each trigger set of the forms (``rules.triggers.groups``), the merged windows around
    its words in ``body``: one regex pass finds every trigger word (``None``: a set not
    found, no window)."""
    tix = rules.triggers
    hits: list[list[int]] = [[] for _ in tix.groups]
    if tix.pattern is not None:
        by_word: dict[str, list[int]] = {}
        for m in tix.pattern.finditer(low):
            w = m.group()
            if w in by_word:
                by_word[w].append(m.start())
            else:
                by_word[w] = [m.start()]
        inner = tix.inner
        for w, pos in by_word.items():
            for off, g in inner[w]:
                hits[g].extend(pos if not off else [p + off for p in pos])
    for groups, found in ((tix.year_groups, _year_hits), (tix.numeric_groups, _numeric_hits)):
        if groups:
            at = found(body)
            if at:
                for g in groups:
                    hits[g].extend(at)
    n = len(body)
    before, after = settings.trigger_before, settings.trigger_after
    return [merge_windows(sorted(h), before, after, n) if h else None for h in hits]


# --------------------------------------------------------------------------- guards

_WORD_BEFORE = re.compile(r"([\w]+)[^\S\n]*[-‐‑]?[^\S\n]*$")
_AFTER = re.compile(r"[^\S\n]*(%|€|\$|£|[kKcm]?m\b|kg\b|h\b|heures?\b|[a-zàâçéèêëîïôûùüÿœ]+[sx]\b)")
_SEP = "|•·—–"
#: what may stand before the date of an author or comment stamp ("— Le 20 septembre, par ...")
_STAMP_OPENERS = frozenset({"", "le", "on"})
#: a stamp's clock time and author ("à 22:09, par ...", "at 10:43 by ...")
_CLOCK_AUTHOR = re.compile(r"[^\S\n]*,?[^\S\n]*(?:à|a|at)[^\S\n]+\d{1,2}:\d{2}"
                           r"[^\S\n]*,?[^\S\n]*(?:par|by)[^\S\n]")
#: a stamp's author ending the line: ", par Ana Diaz." (a name of one to four words, no figure)
_AUTHOR_LINE = re.compile(r"[^\S\n]*,[^\S\n]*(?:par|by)[^\S\n]+([^\W\d_][\w.'’-]*)"
                          r"(?:[^\S\n]+[\w.'’-]+){0,3}[^\S\n]*\.?[^\S\n]*$", re.MULTILINE)


def _name_before(body: str, start: int, rules: DateRules, settings: Settings) -> bool:
    """"Agenda 2063", "Paris 2024": a name right before a date that opens with its year (not
    "Paris - 16 mars 2019", a place and a day)."""
    if not body[start:start + 1].isdigit() or not _YEAR_ANCHOR.match(body, start):
        return False
    mb = _WORD_BEFORE.search(body, max(0, start - settings.name_lookback), start)
    return bool(mb and mb.group(1) in rules.names)


def _count_after(body: str, end: int, rules: DateRules, settings: Settings) -> bool:
    ma = _AFTER.match(body, end, min(len(body), end + settings.count_lookahead))
    if not ma:
        return False
    word = ma.group(1)
    return key(word) not in rules.function_words


def _is_byline(body: str, start: int, end: int, rules: DateRules, settings: Settings) -> bool:
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", end)
    if line_end == -1:
        line_end = len(body)
    before = body[max(line_start, start - settings.byline_before):start]
    for sep in _SEP:
        if sep in before:
            before = before.rsplit(sep, 1)[1]
    b = key(before).strip(" :,-#^>*")
    after = key(body[end:min(line_end, end + settings.byline_after)]).strip(" :,-.")
    if b in rules.bylines:
        return True
    # "2026-01-28 par l'AICC", "— Le 20 septembre, par Ana.", "Le 3 juillet à 16:55, par Léo":
    # a short line opening with the date (and its clock time) and naming its author
    if b not in _STAMP_OPENERS:
        return False
    rest = body[end:line_end]
    if _CLOCK_AUTHOR.match(rest):  # "à 16:55, par": a clock time then the author
        return True
    if b == "":  # "2026-01-28 par l'AICC"
        return after.startswith(("par ", "by ")) and line_end - line_start < settings.byline_line_max
    # "— Le 20 septembre, par Ana Diaz.": the line ends with the author, a name (or any
    # handle after a dash or a bullet: "— Le 2 mai, par léo")
    ma = _AUTHOR_LINE.match(rest)
    return bool(ma) and (ma.group(1)[0].isupper() or any(c in body[line_start:start] for c in _SEP + "#^-"))


# --------------------------------------------------------------------------- main


def find_dates(body: str, *, published: date | None = None, rules: DateRules | None = None,
               skipped: list[str] | None = None, settings: Settings | None = None,
               trace: dict | None = None) -> list[Mention]:
    """Date mentions of ``body`` with EDTF values (see :mod:`pipeline.stages.dates`).

    Relative dates and dates without a year need ``published``; without it they are left
    out and their text is appended to ``skipped`` (when given).  References to the text's
    last date ("la veille", "deux jours plus tard") are resolved in text order, from the
    date before them.  ``trace`` (when given) receives ``(start, end) -> {"anchor": ...,
    "tense": ...}``: what each value was read from (``frnews explain``).
    """
    if rules is None:
        rules = default_rules()
    settings = or_defaults("dates", settings)
    if not body:
        return []
    if not unicodedata.is_normalized("NFC", body):
        # accents written as a letter and a combining mark ("de\u0301cembre", copied from some
        # systems): read the composed text, give the offsets and the text of the body
        return _on_composed(body, published, rules, skipped, settings, trace)
    if hasattr(published, "date") and callable(published.date):  # a datetime
        published = published.date()
    ctx = Ctx(rules, published, settings)
    cands: list[tuple[int, int, int, str, Span | None, tuple]] = []
    low: str | None = body.lower()
    if len(low) != len(body):  # a few characters change length when lowered
        low = None
    group_windows = trigger_windows(body, low, rules, settings) \
        if low is not None and rules.triggers else None
    group_of = rules.triggers.group_of if group_windows is not None else ()
    cache: dict = {}
    seen: set[tuple[int, int, str]] = set()
    for prio, form in enumerate(rules.forms):
        rid = form.id
        if group_windows is not None:
            wins = group_windows[group_of[prio]]
            if wins is None:
                continue
        else:
            wins = windows(body, low, form.triggers, cache, settings)
        matches = []
        for ws, we in wins:
            matches.extend(form.pattern.finditer(body, ws, we))
        for m in matches:
            if (m.start(), m.end(), rid) in seen:
                continue
            seen.add((m.start(), m.end(), rid))
            start, end = m.span()
            if end <= start:
                continue
            ctx.used = {}
            try:
                span: Span | None = _DEFERRED if form.handler_name in ANCHORED else form.handler(m, ctx)
            except NeedsPublished:
                span = None
            except (Reject, KeyError, ValueError, OverflowError):
                continue
            if form.year_last and _count_after(body, end, rules, settings):
                continue
            if _name_before(body, start, rules, settings):
                continue
            cands.append((start, end, prio, rid, span, (form, m, ctx.used)))
    # longest first, then the earlier form; keep non-overlapping
    kept = list(longest_non_overlapping(cands, span=lambda c: (c[0], c[1]), rank=lambda c: c[2]))
    out: list[Mention] = []
    kept.sort(key=lambda c: c[0])
    for start, end, _prio, rid, span, (form, m, used) in kept:
        text = body[start:end]
        if span is _DEFERRED or (span is not None and form.handler_name in TEXT_ORDER):
            ctx.used = {}  # from the text's last date, or a day it named before
            try:
                span = form.handler(m, ctx)
            except NeedsPublished:
                span = None
            except (Reject, KeyError, ValueError, OverflowError):
                continue
            used = ctx.used
        if span is None:
            if skipped is not None:
                skipped.append(text)
            continue
        if _is_byline(body, start, end, rules, settings):
            continue
        ctx.anchor, ctx.anchor_text = span, text
        if (span.end - span.start).days < 31:  # a day, a few days or a month: the narrative's time
            ctx.ref, ctx.ref_text = span, text
        if span.start == span.end:
            ctx.weekdays_seen[span.start.weekday()] = (span.start, text)
        if trace is not None:
            trace[(start, end)] = {"anchor": used.get("anchor", "none (absolute)"),
                                   "tense": used.get("tense", "not used")}
        out.append(Mention(kind="date", text=text, start=start, end=end, value=span.value,
                           rule=f"dates:{rid}", date_start=span.start.isoformat(),
                           date_end=span.end.isoformat()))
    return _appositions(body, out, trace)


def _on_composed(body: str, published, rules: DateRules, skipped: list[str] | None, settings: Settings,
                 trace: dict | None) -> list[Mention]:
    parts: list[str] = []
    starts: list[int] = []  # composed offset -> body offset
    i, n = 0, len(body)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(body[j]):
            j += 1
        piece = unicodedata.normalize("NFC", body[i:j])
        parts.append(piece)
        starts.extend([i] * len(piece))
        i = j
    starts.append(n)
    text = "".join(parts)
    inner: dict | None = {} if trace is not None else None
    found = find_dates(text, published=published, rules=rules, skipped=skipped, settings=settings, trace=inner)
    out = []
    for m in found:
        a, b = starts[m.start], starts[m.end]
        if trace is not None and inner is not None and (m.start, m.end) in inner:
            trace[(a, b)] = inner[(m.start, m.end)]
        out.append(replace(m, text=body[a:b], start=a, end=b))
    return out


#: between a relative reference and the date that spells it out ("Hier, le 11 juin 2019")
_APPOSITION = re.compile(r"[^\S\n]*,?[^\S\n]*(?:(?i:le|ce)[^\S\n]+)?")
_RELATIVE_RULES = frozenset({"dates:relative", "dates:weekday_rel"})


def _appositions(body: str, out: list[Mention], trace: dict | None) -> list[Mention]:
    """"Hier, le 11 juin 2019", "mardi dernier, le 4 mai": a relative reference followed by the
    day it names is one date, the day written out (its value; the span covers both)."""
    merged: list[Mention] = []
    i = 0
    while i < len(out):
        a = out[i]
        b = out[i + 1] if i + 1 < len(out) else None
        if b is not None and a.rule in _RELATIVE_RULES and b.date_start == b.date_end and \
                a.date_start == a.date_end and _APPOSITION.fullmatch(body, a.end, b.start):
            both = Mention(kind="date", text=body[a.start:b.end], start=a.start, end=b.end, value=b.value,
                           rule=b.rule, date_start=b.date_start, date_end=b.date_end)
            if trace is not None and (b.start, b.end) in trace:
                trace[(a.start, b.end)] = trace[(b.start, b.end)]
            merged.append(both)
            i += 2
            continue
        merged.append(a)
        i += 1
    return merged
