"""What a date handler may use besides its match (:class:`Ctx`), and the calendar choices the
handlers share: the year of a day written without one (:func:`yearless`, by tense), the occurrence
of a yearly day in a direction (:func:`occurrence`), days written in figures or words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pipeline.stages.dates.edtf import NeedsPublished, Reject, Span
from pipeline.stages.dates.rows import surface_key as key
from pipeline.stages.dates.tense import Tense, clause_tense

if TYPE_CHECKING:
    from pipeline.stages.dates import Settings
    from pipeline.stages.dates.rules import DateRules


class Ctx:
    """What a handler may use besides its match: the rules, the publication date, the settings,
    the last date of the text before the match (``anchor``), and what the handler used (``used``:
    the anchor and the tense cue, shown by ``frnews explain``)."""

    __slots__ = ("rules", "published", "settings", "anchor", "anchor_text", "used", "weekdays_seen",
                 "ref", "ref_text")

    def __init__(self, rules: DateRules, published: date | None, settings: Settings):
        self.rules = rules
        self.published = published
        self.settings = settings
        self.anchor: Span | None = None
        self.anchor_text: str | None = None
        self.used: dict[str, str] = {}
        #: weekday -> (day, text) of the single days the text named so far ("samedi 21 mai")
        self.weekdays_seen: dict[int, tuple[date, str]] = {}
        #: the last day or month the text named (the time of its narrative), and its text
        self.ref: Span | None = None
        self.ref_text: str | None = None

    def pub(self) -> date:
        if self.published is None:
            raise NeedsPublished()
        self.used.setdefault("anchor", f"published {self.published.isoformat()}")
        return self.published

    def month(self, text: str) -> int:
        return self.rules.months[key(text)]

    def tense(self, m: re.Match, start: int | None = None, end: int | None = None) -> str | None:
        """"past", "future" or ``None``: the tense cue nearest to the match in its sentence."""
        t = self.tense_cue(m, start, end)
        return t.direction if t else None

    def tense_cue(self, m: re.Match, start: int | None = None, end: int | None = None) -> Tense | None:
        """The tense cue nearest to the match in its sentence (its direction, word, weakness)."""
        s = self.settings
        t: Tense | None = clause_tense(m.string, m.start() if start is None else start,
                                       m.end() if end is None else end, self.rules.tense,
                                       s.weekday_clause_before, s.weekday_clause_after)
        if t is None:
            self.used["tense"] = "none"
            return None
        self.used["tense"] = f"{t.direction} ({t.cue!r}{', weak' if t.weak else ''})"
        return t

    def anchor_day(self, unit: str) -> date:
        """The day of the last date of the text (its first day), else the publication date.
        An anchor coarser than ``unit`` ("le lendemain" after "en juillet 1992") gives no value."""
        if self.anchor is not None:
            if _SPAN_DAYS[unit] < (self.anchor.end - self.anchor.start).days + 1:
                raise Reject("anchor coarser than the reference")
            self.used["anchor"] = f"text {self.anchor_text!r} = {self.anchor.value}"
            return self.anchor.start
        return self.pub()


#: the most days a date may span to anchor a reference of each unit ("le lendemain" needs a day)
_SPAN_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}


def occurrence(ref: date, make: Callable[[int], date], direction: str | None) -> date:
    """The occurrence of a yearly day (``make(year)``) that ``direction`` points to from ``ref``:
    the last one on or before it (past), the next one on or after it (future), else the nearest."""
    cands = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cands.append(make(y))
        except (ValueError, Reject):
            continue
    if not cands:
        raise Reject("no such day")
    if direction == "past":
        before = [c for c in cands if c <= ref]
        if before:
            return max(before)
    elif direction == "future":
        after = [c for c in cands if c >= ref]
        if after:
            return min(after)
    return min(cands, key=lambda c: (abs((c - ref).days), c < ref))


def day_num(text: str, ctx: Ctx | None = None) -> int:
    """"1er", "1re", "1ᵉʳ" -> 1; "07" -> 7; "douze", "premier" -> 12, 1 (``numbers.tsv``)."""
    t = text.lower()
    if t.startswith("1") and not t[1:2].isdigit():
        return 1
    if t.isdigit():
        return int(t)
    if ctx is None:
        raise ValueError(text)
    return ctx.rules.numbers[key(" ".join(t.replace("-", " ").split()))] if " " in t or "-" in t \
        else ctx.rules.numbers[key(t)]


def opt_group(m: re.Match, name: str) -> str | None:
    """Group ``name`` of the match, ``None`` when the form's pattern has no such group."""
    return m.group(name) if name in m.re.groupindex else None


def rel_direction(rel: str | None) -> str | None:
    if not rel:
        return None
    r = key(rel)
    return "past" if r.startswith(("dernier", "derniere", "pass")) else "future" if r.startswith("prochain") \
        else None


def yearless(ctx: Ctx, m: int, d: int | None, rel: str | None, match: re.Match | None = None) -> int:
    """Year of a month (or day) written without one: the last / next occurrence with
    "dernier" / "prochain", else the one the clause's tense points to (past: on or before the
    publication date, future: on or after it), else the nearest to the time of the text's
    narrative (the last day or month it named: "Le 2 décembre 2014 ... Ce n'est que le 28
    octobre que ..." is 2014-10-28; a weak cue such as "dès" does not override it), else the
    nearest to the publication date."""
    p = ctx.pub()
    direction = rel_direction(rel)
    if direction is None and match is not None:
        t = ctx.tense_cue(match)
        direction = t.direction if t else None
        if t is not None and t.weak and ctx.ref is not None:
            direction = None
    if direction is None and ctx.ref is not None:
        p = ctx.ref.start
        ctx.used["anchor"] = f"text {ctx.ref_text!r} = {ctx.ref.value}"
    if d is None:  # a month: compare months ("en mars" published in March is this March)
        ref = date(p.year, p.month, 1)
        return occurrence(ref, lambda y: date(y, m, 1), direction).year
    return occurrence(p, lambda y: date(y, m, d), direction).year


def occurrence_of(ref: date, cands: list[date], direction: str | None) -> date:
    """Among ``cands``: the last on or before ``ref`` (past), the first on or after it (future),
    else the nearest."""
    if direction == "past" and any(c <= ref for c in cands):
        return max(c for c in cands if c <= ref)
    if direction == "future" and any(c >= ref for c in cands):
        return min(c for c in cands if c >= ref)
    return min(cands, key=lambda c: (abs((c - ref).days), c < ref))


def weekday_near(p: date, w: int, direction: str | None) -> date:
    """The weekday ``w`` nearest to ``p`` in ``direction``: forwards for the future (the same
    day included), else backwards (the news convention for a bare weekday)."""
    if direction == "future":
        return p + timedelta(days=(w - p.weekday()) % 7)
    return p - timedelta(days=(p.weekday() - w) % 7)
