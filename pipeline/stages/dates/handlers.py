"""Handlers: a regex match of a date form -> its EDTF :class:`~pipeline.stages.dates.edtf.Span`.

Each row of ``forms.tsv`` names its handler in :data:`HANDLERS` (a new form that reads like an
existing one reuses its handler; one that does not adds a function here, or to
:mod:`~pipeline.stages.dates.relative_forms` for a relative form).  A handler reads the
match's named groups, raises :class:`~pipeline.stages.dates.edtf.Reject` when the text is not a
date after all, and asks :meth:`Ctx.pub` for the publication date when the form is relative
(which raises :class:`~pipeline.stages.dates.edtf.NeedsPublished` without one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from pipeline.stages.dates import edtf
from pipeline.stages.dates.context import Ctx, day_num, opt_group, yearless
from pipeline.stages.dates.edtf import NeedsPublished, Reject, Span
from pipeline.stages.dates.relative_forms import (
    ago,
    anchored,
    anchored_n,
    day_alone,
    history,
    holiday,
    month_end_day,
    night,
    ordinal_weekday,
    part_month_rel,
    relative,
    span_n,
    weekday_daynum,
    weekday_en,
    weekday_pair,
    weekday_rel,
    weekday_week,
    weekend,
    year_paren,
)
from pipeline.stages.dates.rows import loose_key
from pipeline.stages.dates.rows import surface_key as key

__all__ = ["ANCHORED", "HANDLERS", "TEXT_ORDER", "Ctx", "NeedsPublished", "Reject", "Span"]


def day_range(m: re.Match, ctx: Ctx) -> Span:
    m2 = ctx.month(m["m2"])
    d1, d2 = day_num(m["d1"], ctx), day_num(m["d2"], ctx)
    if m.re.groupindex.get("m1") and m["m1"]:
        m1 = ctx.month(m["m1"])
    else:
        m1 = m2
    if m["y2"]:
        y2 = int(m["y2"])
    else:
        y2 = yearless(ctx, m2, d2, opt_group(m, "rel"), m)
        y2 = _weekday_year(m, ctx, m.start("d2"), y2, m2, d2)
    y1 = int(m["y1"]) if m.re.groupindex.get("y1") and m["y1"] else (y2 - 1 if (m1, d1) > (m2, d2) else y2)
    if m1 == m2 and y1 == y2 and d1 >= d2:
        raise Reject("days not increasing")
    return edtf.interval(edtf.day(y1, m1, d1), edtf.day(y2, m2, d2))


_WEEKDAY_BEFORE = re.compile(r"([^\W\d_]+)[^\S\n]+$")


def _weekday_year(m: re.Match, ctx: Ctx, pos: int, y: int, mo: int, d: int) -> int:
    """A day written with its weekday ("le lundi 30 octobre"): the year near ``y`` where it fits."""
    wm = _WEEKDAY_BEFORE.search(m.string, max(0, pos - 12), pos)
    w = ctx.rules.weekdays.get(key(wm.group(1))) if wm else None
    if w is None:
        return y
    for cand in (y, y - 1, y + 1):
        try:
            if date(cand, mo, d).weekday() == w:
                return cand
        except ValueError:
            continue
    return y


def month_range(m: re.Match, ctx: Ctx) -> Span:
    m1, m2 = ctx.month(m["m1"]), ctx.month(m["m2"])
    y2 = int(m["y2"]) if m["y2"] else yearless(ctx, m2, None, None, m)
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
    d = day_num(m["d"], ctx)
    if m["y"]:
        return edtf.day(int(m["y"]), mo, d)
    y = yearless(ctx, mo, d, opt_group(m, "rel"), m)
    if opt_group(m, "wd"):  # "mardi 17 février": the year (around the published one) where the weekday fits
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
    if re.search(r"(?i:\bde|\bd['’])[^\S\n]*$", m.string[max(0, m.start() - 4):m.start()]):
        raise Reject("'les fêtes de fin d'année': a time of the year")
    y = ctx.pub().year
    rel = key(opt_group(m, "rel") or "")
    if rel.startswith(("dernier", "derniere", "pass")):
        y -= 1
    elif rel.startswith("prochain"):
        y += 1
    return edtf.part_year(y, ctx.rules.parts[key(m["part"])])


def part_month(m: re.Match, ctx: Ctx) -> Span:
    mo = ctx.month(m["m"])
    y = int(m["y"]) if m["y"] else yearless(ctx, mo, None, opt_group(m, "rel"), m)
    return edtf.part_month(y, mo, ctx.rules.parts[key(m["part"])])


def season(m: re.Match, ctx: Ctx) -> Span:
    row = ctx.rules.seasons[key(m["s"])]
    det = key(m["det"])
    if m["y"]:
        return edtf.season(int(m["y"]), row)
    if opt_group(m, "rel"):
        p = ctx.pub()
        # the last (next) occurrence of the season that is over (not started) at publication
        y = p.year
        cand = edtf.season(y, row)
        if key(opt_group(m, "rel")).startswith("prochain"):
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
        cand = edtf.season(y, row)
        direction = ctx.tense(m)
        if direction == "past" and cand.start > p:
            cand = edtf.season(y - 1, row)
        elif direction == "future" and cand.end < p:
            cand = edtf.season(y + 1, row)
        return cand
    # "au printemps, les travaux reprendront": the season the tense points to; in the present
    # ("en hiver, il fait froid") a season of every year, not a date
    if loose_key(m["det"]) not in ("au", "en", "a l", "l"):  # "les soldes d'hiver": named after it
        raise Reject("season without year")
    direction = ctx.tense(m)
    if direction is None:
        raise Reject("season without year or tense")
    p = ctx.pub()
    cands = [edtf.season(y, row) for y in (p.year - 2, p.year - 1, p.year, p.year + 1)]
    if direction == "past":
        return max((c for c in cands if c.start <= p), key=lambda c: c.start)
    return min((c for c in cands if c.end >= p), key=lambda c: c.start)


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
    _not_abbreviation(m, "m")
    mo = ctx.month(m["m"])
    return edtf.month(yearless(ctx, mo, None, opt_group(m, "rel"), m), mo)


def _not_abbreviation(m: re.Match, group: str) -> None:
    """"des sept matches": a month abbreviation without its dot and without a day or a year is a word."""
    t = m[group]
    if key(t) in _ABBREVIATIONS and not m.string.startswith(".", m.end(group)):
        raise Reject("abbreviation without a day or year")


_ABBREVIATIONS = frozenset({"janv", "fevr", "fev", "avr", "juil", "sept", "oct", "nov", "dec", "jan", "feb",
                            "aug"})


def month_bare(m: re.Match, ctx: Ctx) -> Span:
    """A month on its own ("la rentrée de septembre"): written in lower case, never an abbreviation;
    its year is the one the clause's tense points to."""
    if not m["m"][0].islower() or key(m["m"]) in _ABBREVIATIONS:
        raise Reject("not a month")
    mo = ctx.month(m["m"])
    return edtf.month(yearless(ctx, mo, None, opt_group(m, "rel"), m), mo)


def _decade_year(dec: str, ctx: Ctx) -> int:
    pivot = ctx.settings.decade_pivot
    return int(dec) if len(dec) == 4 else (1900 + int(dec) if int(dec) >= pivot else 2000 + int(dec))


def decade(m: re.Match, ctx: Ctx) -> Span:
    y = _decade_year(m["dec"], ctx)
    if m.re.groupindex.get("part") and m["part"]:
        return edtf.part_decade(y, ctx.rules.parts[key(m["part"])])
    return edtf.decade(y)


def decade_range(m: re.Match, ctx: Ctx) -> Span:
    """"les années 1920-1950": from the first decade to the last."""
    y1 = _decade_year(m["dec"], ctx)
    y2 = _decade_year(m["dec2"], ctx) if len(m["dec2"]) != 2 or len(m["dec"]) != 4 else y1 // 100 * 100 + int(m["dec2"])
    if y2 <= y1:
        raise Reject("decades not increasing")
    return edtf.interval(edtf.decade(y1), edtf.decade(y2))


def part_year_range(m: re.Match, ctx: Ctx) -> Span:
    """"de début 2004 à fin 2007": GUIDE gives the years."""
    y1, y2 = int(m["y1"]), int(m["y2"])
    if not y1 < y2 <= y1 + ctx.settings.year_range_max:
        raise Reject("years not increasing")
    return edtf.interval(edtf.year(y1), edtf.year(y2))


_ROMAN = {"I": 1, "V": 5, "X": 10}


def century(m: re.Match, ctx: Ctx) -> Span:
    if m["c"].isdigit():  # "21e siècle"
        n = int(m["c"])
    else:
        digits = [_ROMAN[c] for c in m["c"]]
        n = sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))
    if not 10 <= n <= 21:
        raise Reject("century out of range")
    return edtf.century(n)


def year_cued(m: re.Match, ctx: Ctx) -> Span:
    return edtf.year(int(m["y"]))



# --------------------------------------------------------------------------- numeric forms


def numeric2(m: re.Match, ctx: Ctx) -> Span:
    """"17/03/09", "12.11.87", "23 04 81": day, month and a two-digit year (with dots or spaces,
    two digits each: "1.5.10" is a version)."""
    if m["sep"] != "/" and "-" != m["sep"] and (len(m["d"]) != 2 or len(m["mo"]) != 2):
        raise Reject("one-digit parts")
    y = edtf.two_digit_year(int(m["yy"]), ctx.published, ctx.settings.year2_pivot)
    return edtf.day(y, int(m["mo"]), int(m["d"]))


def numeric_dm(m: re.Match, ctx: Ctx) -> Span:
    """"le 25/11", "02/12 prochain": a day and a month in figures after a cue; the year by tense."""
    mo, d = int(m["mo"]), int(m["d"])
    if not 1 <= mo <= 12:
        raise Reject("month")
    y = yearless(ctx, mo, d, opt_group(m, "rel"), m)
    return edtf.day(y, mo, d)


def numeric_ym(m: re.Match, ctx: Ctx) -> Span:
    """"2017-4", "2021-10", "2021/10": a year and a month."""
    return edtf.month(int(m["y"]), int(m["mo"]))


def ymd_named(m: re.Match, ctx: Ctx) -> Span:
    """"2021/Oct/05": year, month name, day."""
    return edtf.day(int(m["y"]), ctx.month(m["m"]), int(m["d"]))



def to_year_end(m: re.Match, ctx: Ctx) -> Span:
    """"entre le 6 novembre et la fin de l'année": from the day (or month) to the end of its year,
    ``2018-11-06/2018`` (the year written or the one the tense gives)."""
    mo = ctx.month(m["m"])
    d = day_num(m["d"], ctx) if m["d"] else None
    y = int(m["y"]) if m["y"] else yearless(ctx, mo, d, None, m)
    return edtf.interval(edtf.day(y, mo, d) if d else edtf.month(y, mo), edtf.year(y))


#: Handler name (the ``handler`` column of ``forms.tsv``) -> function.
HANDLERS: dict[str, Callable[[re.Match, Ctx], Span]] = {
    "day_range": day_range, "month_range": month_range, "year_range": year_range, "day": day_,
    "day_mdy": day_mdy, "numeric": numeric, "part_year": part_year, "part_year_rel": part_year_rel,
    "part_month": part_month, "season": season, "period": period, "month_year": month_year,
    "month_cued": month_cued, "decade": decade, "century": century, "year_cued": year_cued,
    "weekday_rel": weekday_rel, "ago": ago, "relative": relative, "anchored": anchored,
    "anchored_n": anchored_n, "span_n": span_n, "holiday": holiday, "history": history,
    "numeric2": numeric2, "numeric_dm": numeric_dm, "numeric_ym": numeric_ym, "ymd_named": ymd_named,
    "weekday_week": weekday_week, "weekday_en": weekday_en, "ordinal_weekday": ordinal_weekday,
    "part_month_rel": part_month_rel, "weekend": weekend, "night": night, "weekday_pair": weekday_pair,
    "year_paren": year_paren, "month_bare": month_bare, "decade_range": decade_range,
    "part_year_range": part_year_range, "weekday_daynum": weekday_daynum, "month_end_day": month_end_day,
    "day_alone": day_alone, "to_year_end": to_year_end,
}

#: Handlers that read the last date of the text (resolved in text order, after the overlaps).
ANCHORED = frozenset({"anchored", "anchored_n", "day_alone"})
#: Handlers whose value may depend on an earlier date of the text (run again in text order).
TEXT_ORDER = frozenset({"weekday_rel", "day_range", "month_range", "day", "part_month", "month_cued", "month_bare",
                        "numeric_dm", "to_year_end"})
