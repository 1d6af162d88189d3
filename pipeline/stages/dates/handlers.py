"""Handlers: a regex match of a date form -> its EDTF :class:`~pipeline.stages.dates.edtf.Span`.

Each row of ``forms.tsv`` names its handler in :data:`HANDLERS` (a new form that reads like an
existing one reuses its handler; one that does not adds a function here).  A handler reads the
match's named groups, raises :class:`~pipeline.stages.dates.edtf.Reject` when the text is not a
date after all, and asks :meth:`Ctx.pub` for the publication date when the form is relative
(which raises :class:`~pipeline.stages.dates.edtf.NeedsPublished` without one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pipeline.stages.dates import edtf
from pipeline.stages.dates.edtf import NeedsPublished, Reject, Span
from pipeline.stages.dates.rows import surface_key as key

if TYPE_CHECKING:
    from pipeline.stages.dates import Settings
    from pipeline.stages.dates.rules import DateRules


class Ctx:
    """What a handler may use besides its match: the rules, the publication date, the settings."""

    __slots__ = ("rules", "published", "settings")

    def __init__(self, rules: DateRules, published: date | None, settings: Settings):
        self.rules = rules
        self.published = published
        self.settings = settings

    def pub(self) -> date:
        if self.published is None:
            raise NeedsPublished()
        return self.published

    def month(self, text: str) -> int:
        return self.rules.months[key(text)]


def day_num(text: str) -> int:
    """"1er", "1re", "1ᵉʳ" -> 1; "07" -> 7."""
    t = text.lower()
    if t.startswith("1") and not t[1:2].isdigit():
        return 1
    return int(t)


def yearless(ctx: Ctx, m: int, d: int | None, rel: str | None) -> int:
    """Year of a month (or day) written without one, from the publication date:
    the same year, or the last/next occurrence with "dernier"/"prochain"."""
    p = ctx.pub()
    y = p.year
    if rel:
        r = key(rel)
        here = (m, d or 1) if d else (m, 1)
        now = (p.month, p.day) if d else (p.month, 1)
        if r.startswith(("dernier", "derniere", "pass")) and here >= now and (d or here > now):
            y -= 1
        elif r.startswith("prochain") and here <= now:
            y += 1
    return y


def day_range(m: re.Match, ctx: Ctx) -> Span:
    m2 = ctx.month(m["m2"])
    d1, d2 = day_num(m["d1"]), day_num(m["d2"])
    if m.re.groupindex.get("m1") and m["m1"]:
        m1 = ctx.month(m["m1"])
    else:
        m1 = m2
    if m["y2"]:
        y2 = int(m["y2"])
    else:
        y2 = yearless(ctx, m2, d2, m["rel"])
    y1 = int(m["y1"]) if m.re.groupindex.get("y1") and m["y1"] else (y2 - 1 if (m1, d1) > (m2, d2) else y2)
    if m1 == m2 and y1 == y2 and d1 >= d2:
        raise Reject("days not increasing")
    return edtf.interval(edtf.day(y1, m1, d1), edtf.day(y2, m2, d2))


def month_range(m: re.Match, ctx: Ctx) -> Span:
    m1, m2 = ctx.month(m["m1"]), ctx.month(m["m2"])
    y2 = int(m["y2"]) if m["y2"] else ctx.pub().year
    y1 = int(m["y1"]) if m["y1"] else (y2 - 1 if m1 > m2 else y2)
    if (y1, m1) >= (y2, m2):
        raise Reject("months not increasing")
    return edtf.interval(edtf.month(y1, m1), edtf.month(y2, m2))


def year_range(m: re.Match, ctx: Ctx) -> Span:
    conn = key(m["conn"])
    pre = key(m["pre"]) if m["pre"] else ""
    if conn in ("et",) and pre != "entre":
        raise Reject("'et' without 'entre'")
    if conn in ("a", "au", "jusqu'en", "jusqu' en") and pre not in ("de", "depuis"):
        raise Reject("'à' without 'de'")
    y1 = int(m["y1"])
    if m["y2"]:
        y2 = int(m["y2"])
    else:
        if conn not in ("", "/") and m["conn"].strip() not in "-–":
            raise Reject("short year after a word")
        y2 = y1 // 100 * 100 + int(m["yy"])
    if not y1 < y2 <= y1 + ctx.settings.year_range_max:
        raise Reject("years not increasing")
    return edtf.interval(edtf.year(y1), edtf.year(y2))


def day_(m: re.Match, ctx: Ctx) -> Span:
    mo = ctx.month(m["m"])
    d = day_num(m["d"])
    if m["y"]:
        return edtf.day(int(m["y"]), mo, d)
    y = yearless(ctx, mo, d, m["rel"])
    if m["wd"]:  # "mardi 17 février": the year (around the published one) where the weekday fits
        w = ctx.rules.weekdays[key(m["wd"])]
        for cand in (y, y + 1, y - 1):
            try:
                if date(cand, mo, d).weekday() == w:
                    return edtf.day(cand, mo, d)
            except ValueError:
                continue
    return edtf.day(y, mo, d)


def day_mdy(m: re.Match, ctx: Ctx) -> Span:
    return edtf.day(int(m["y"]), ctx.month(m["m"]), int(m["d"]))


def numeric(m: re.Match, ctx: Ctx) -> Span:
    return edtf.day(int(m["y"]), int(m["mo"]), int(m["d"]))


def part_year(m: re.Match, ctx: Ctx) -> Span:
    return edtf.part_year(int(m["y"]), ctx.rules.parts[key(m["part"])])


def part_year_rel(m: re.Match, ctx: Ctx) -> Span:
    y = ctx.pub().year
    rel = key(m["rel"] or "")
    if rel.startswith(("dernier", "derniere", "pass")):
        y -= 1
    elif rel.startswith("prochain"):
        y += 1
    return edtf.part_year(y, ctx.rules.parts[key(m["part"])])


def part_month(m: re.Match, ctx: Ctx) -> Span:
    mo = ctx.month(m["m"])
    y = int(m["y"]) if m["y"] else yearless(ctx, mo, None, m["rel"])
    return edtf.part_month(y, mo, ctx.rules.parts[key(m["part"])])


def season(m: re.Match, ctx: Ctx) -> Span:
    row = ctx.rules.seasons[key(m["s"])]
    det = key(m["det"])
    if m["y"]:
        return edtf.season(int(m["y"]), row)
    if m["rel"]:
        p = ctx.pub()
        # the last (next) occurrence of the season that is over (not started) at publication
        y = p.year
        cand = edtf.season(y, row)
        if key(m["rel"]).startswith("prochain"):
            while cand.start <= p:
                y += 1
                cand = edtf.season(y, row)
        else:
            while cand.end >= p:
                y -= 1
                cand = edtf.season(y, row)
        return cand
    if det in ("cet", "ce"):
        p = ctx.pub()
        y = p.year - 1 if row.start_month > row.end_month and p.month <= row.end_month else p.year
        return edtf.season(y, row)
    raise Reject("season without year")


def period(m: re.Match, ctx: Ctx) -> Span:
    y = int(m["y"])
    if m["code"]:
        row = ctx.rules.periods[key(m["code"])]
        return edtf.period(y, row.unit, row.n or 1)
    row = ctx.rules.periods[key(m["unit"])]
    return edtf.period(y, row.unit, ctx.rules.ordinals[key(m["ord"])])


def month_year(m: re.Match, ctx: Ctx) -> Span:
    return edtf.month(int(m["y"]), ctx.month(m["m"]))


def month_cued(m: re.Match, ctx: Ctx) -> Span:
    if not m["m"][0].islower():  # "en Mars" (the planet): months are written in lower case
        raise Reject("capitalised month without year")
    mo = ctx.month(m["m"])
    return edtf.month(yearless(ctx, mo, None, m["rel"]), mo)


def decade(m: re.Match, ctx: Ctx) -> Span:
    dec = m["dec"]
    pivot = ctx.settings.decade_pivot
    y = int(dec) if len(dec) == 4 else (1900 + int(dec) if int(dec) >= pivot else 2000 + int(dec))
    return edtf.decade(y)


_ROMAN = {"I": 1, "V": 5, "X": 10}


def century(m: re.Match, ctx: Ctx) -> Span:
    digits = [_ROMAN[c] for c in m["c"]]
    n = sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))
    if not 10 <= n <= 21:
        raise Reject("century out of range")
    return edtf.century(n)


def year_cued(m: re.Match, ctx: Ctx) -> Span:
    return edtf.year(int(m["y"]))


#: Words before a bare weekday that make it habitual or part of a range ("tous les lundis",
#: "du lundi au vendredi", "le lundi, le marché..."), not a reference to one day.
_BARE_WD_BEFORE = re.compile(r"(?i:\b(?:du|au|les|le|chaque|tous|des|et|ou|de|jusqu'au|jusqu’au)\s+)$")
_BARE_WD_AFTER = re.compile(r"(?i:\s+(?:au|et|ou)\b)")
#: Future-tense cues in the same clause: a bare weekday then points forward ("se tiendra jeudi").
_FUTURE = re.compile(r"\b(?:[a-zàâçéèêëîïôûù]{2,}(?:eront|erons|era|iront|ira|dront|dra)|sera|seront|aura|auront"
                     r"|fera|feront|pourra|pourront|devra|devront|va|vont|doit|doivent|devrait|devraient"
                     r"|pr[ée]vue?s?|will|shall)\b")


def _bare_weekday(m: re.Match, ctx: Ctx, w: int) -> date:
    """A weekday on its own ("a signé lundi"): the news convention is the nearest such day in the
    week of publication, backwards for a past event, forwards when the clause is in the future."""
    s = ctx.settings
    text = m.string
    if _BARE_WD_BEFORE.search(text[max(0, m.start() - s.weekday_habit_before):m.start()]) or \
            _BARE_WD_AFTER.match(text, m.end()):
        raise Reject("habitual weekday or weekday range")
    lo = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start()),
             m.start() - s.weekday_clause_before) + 1
    hi_candidates = [i for i in (text.find(".", m.end()), text.find(",", m.end())) if i != -1]
    hi = min([m.end() + s.weekday_clause_after, *hi_candidates])
    p = ctx.pub()
    if _FUTURE.search(text, lo, m.start()) or _FUTURE.search(text, m.end(), hi):
        return p + timedelta(days=((w - p.weekday()) % 7) or 7)
    return p - timedelta(days=(p.weekday() - w) % 7)


def weekday_rel(m: re.Match, ctx: Ctx) -> Span:
    w = ctx.rules.weekdays[key(m["wd"])]
    if not m["ce"] and not m["rel"]:
        return edtf.one_day(_bare_weekday(m, ctx, w))
    p = ctx.pub()
    if m["rel"] and key(m["rel"]).startswith("prochain"):
        dt = p + timedelta(days=((w - p.weekday()) % 7) or 7)
    elif m["rel"]:
        dt = p - timedelta(days=((p.weekday() - w) % 7) or 7)
    else:
        dt = p - timedelta(days=p.weekday()) + timedelta(days=w)
    return edtf.one_day(dt)


def ago(m: re.Match, ctx: Ctx) -> Span:
    n_text = key(m["n"])
    n = int(n_text) if n_text.isdigit() else ctx.rules.numbers[n_text]
    sign = -1 if key(m["dir"]).startswith("il") else 1
    unit = key(m["u"])
    p = ctx.pub()
    if unit.startswith("jour"):
        return edtf.one_day(p + timedelta(days=sign * n))
    if unit.startswith("semaine"):
        dt = p + timedelta(days=sign * 7 * n)
        return edtf.week(dt - timedelta(days=dt.weekday()))
    if unit == "mois":
        return edtf.month(*edtf.add_months(p.year, p.month, sign * n))
    return edtf.year(p.year + sign * n)


def relative(m: re.Match, ctx: Ctx) -> Span:
    row = ctx.rules.relative[key(m["rel_word"])]
    p = ctx.pub()
    if row.unit == "day":
        return edtf.one_day(p + timedelta(days=row.offset))
    if row.unit == "week":
        return edtf.week(p - timedelta(days=p.weekday()) + timedelta(weeks=row.offset))
    if row.unit == "month":
        return edtf.month(*edtf.add_months(p.year, p.month, row.offset))
    return edtf.year(p.year + row.offset)


#: Handler name (the ``handler`` column of ``forms.tsv``) -> function.
HANDLERS: dict[str, Callable[[re.Match, Ctx], Span]] = {
    "day_range": day_range, "month_range": month_range, "year_range": year_range, "day": day_,
    "day_mdy": day_mdy, "numeric": numeric, "part_year": part_year, "part_year_rel": part_year_rel,
    "part_month": part_month, "season": season, "period": period, "month_year": month_year,
    "month_cued": month_cued, "decade": decade, "century": century, "year_cued": year_cued,
    "weekday_rel": weekday_rel, "ago": ago, "relative": relative,
}
