"""EDTF values and their day intervals: pure calendar arithmetic, no text.

A :class:`Span` is an EDTF value with its first and last day.  The builders raise
:class:`Reject` for a value that is not a real date (31 February, month 13), which the
stage reads as "this candidate is not a date after all".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.stages.dates.rows import SeasonRow


@dataclass(frozen=True, slots=True)
class Span:
    value: str
    start: date
    end: date


class NeedsPublished(Exception):
    """The candidate is relative and no publication date was given."""


class Reject(Exception):
    """The candidate is not a date after all."""


def last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def day(y: int, m: int, d: int) -> Span:
    try:
        dt = date(y, m, d)
    except ValueError as err:
        raise Reject(str(err)) from None
    return Span(dt.isoformat(), dt, dt)


def one_day(dt: date) -> Span:
    return Span(dt.isoformat(), dt, dt)


def month(y: int, m: int) -> Span:
    if not 1 <= m <= 12:
        raise Reject("month")
    return Span(f"{y:04d}-{m:02d}", date(y, m, 1), date(y, m, last_day(y, m)))


def year(y: int) -> Span:
    if not 1000 <= y <= 9999:
        raise Reject("year")
    return Span(f"{y:04d}", date(y, 1, 1), date(y, 12, 31))


def interval(a: Span, b: Span) -> Span:
    if b.end < a.start:
        raise Reject("reversed interval")
    if a.value == b.value:
        return a
    return Span(f"{a.value}/{b.value}", a.start, b.end)


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def season(y: int, row: SeasonRow) -> Span:
    start = date(y, row.start_month, 1)
    ey = y + 1 if row.end_month < row.start_month else y
    end = date(ey, row.end_month, last_day(ey, row.end_month))
    return Span(f"{y:04d}-{row.code}", start, end)


def period(y: int, unit: str, n: int) -> Span:
    """The ``n``-th quarter or semester of ``y`` (``-1``: the last one) as the interval of its
    months (GUIDE: "1er semestre 2019" is ``2019-01/2019-06``)."""
    size = 3 if unit == "quarter" else 6
    count = 4 if unit == "quarter" else 2
    if n == -1:
        n = count
    if not 1 <= n <= count:
        raise Reject("period")
    m1 = (n - 1) * size + 1
    m2 = m1 + size - 1
    return interval(month(y, m1), month(y, m2))


#: "début / mi / fin": the thirds of a year (months) and of a month (days).
THIRDS_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
THIRDS_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
THIRDS_DECADE = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}


def part_year(y: int, part: str) -> Span:
    """"fin 2024": GUIDE gives the year (``2024``); the days are the year's last third."""
    m1, m2 = THIRDS_YEAR[part]
    return Span(year(y).value, date(y, m1, 1), date(y, m2, last_day(y, m2)))


def part_month(y: int, m: int, part: str) -> Span:
    """"mi-mars 2025": GUIDE gives the month (``2025-03``); the days are its middle third."""
    d1, d2 = THIRDS_MONTH[part]
    d2 = min(d2, last_day(y, m))
    return Span(month(y, m).value, date(y, m, d1), date(y, m, d2))


def part_decade(y: int, part: str) -> Span:
    """"fin des années 2000": the decade (``200X``); the days are its part."""
    a, b = THIRDS_DECADE[part]
    y0 = y // 10 * 10
    return Span(decade(y0).value, date(y0 + a, 1, 1), date(y0 + b, 12, 31))


def easter(y: int) -> date:
    """Easter Sunday of the Gregorian year ``y`` (the anonymous Gregorian algorithm, Meeus)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    L = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * L) // 451
    mo = (h + L - 7 * m + 114) // 31
    da = (h + L - 7 * m + 114) % 31 + 1
    return date(y, mo, da)


def nth_weekday(y: int, m: int, w: int, n: int) -> date:
    """The ``n``-th weekday ``w`` (0 = Monday) of a month; ``n = -1``: the last one."""
    if n == -1:
        last = date(y, m, last_day(y, m))
        return last - timedelta(days=(last.weekday() - w) % 7)
    first = date(y, m, 1) + timedelta(days=(w - date(y, m, 1).weekday()) % 7)
    return day(y, m, first.day + 7 * (n - 1)).start


def holiday(y: int, rule: str) -> Span:
    """The day of a holiday rule in year ``y``: ``MM-DD`` (fixed), ``easter+N`` / ``easter-N``, or
    ``MM:W:N`` the ``N``-th weekday ``W`` of the month (``-1`` the last), ``!pentecost`` moving it a
    week on when it falls on Pentecost (French Mother's Day)."""
    if rule.startswith("easter"):
        return one_day(easter(y) + timedelta(days=int(rule[6:] or 0)))
    if ":" in rule:
        spec, _, unless = rule.partition("!")
        mo, w, n = (int(x) for x in spec.split(":"))
        dt = nth_weekday(y, mo, w, n)
        if unless == "pentecost" and dt == easter(y) + timedelta(days=49):
            dt += timedelta(days=7)
        return one_day(dt)
    mo, d = rule.split("-")
    return day(y, int(mo), int(d))


def two_digit_year(yy: int, published: date | None, pivot: int) -> int:
    """"17/03/09": the latest century that puts the year at most one year after publication
    (without one: ``yy < pivot`` is 20yy, else 19yy)."""
    if published is None:
        return 2000 + yy if yy < pivot else 1900 + yy
    y = (published.year + 1) // 100 * 100 + yy
    return y if y <= published.year + 1 else y - 100


def shift(dt: date, unit: str, n: int) -> date:
    """``dt`` moved by ``n`` days, weeks, months or years (the day clipped to the month's end)."""
    if unit == "day":
        return dt + timedelta(days=n)
    if unit == "week":
        return dt + timedelta(weeks=n)
    months = n if unit == "month" else 12 * n
    y, m = add_months(dt.year, dt.month, months)
    if not 1 <= y <= 9999:
        raise Reject("year")
    return date(y, m, min(dt.day, last_day(y, m)))


def granular(dt: date, unit: str) -> Span:
    """The day, week (Monday-Sunday), month or year containing ``dt``."""
    if unit == "day":
        return one_day(dt)
    if unit == "week":
        return week(dt - timedelta(days=dt.weekday()))
    if unit == "month":
        return month(dt.year, dt.month)
    return year(dt.year)


def week(monday: date) -> Span:
    sunday = monday + timedelta(days=6)
    return Span(f"{monday.isoformat()}/{sunday.isoformat()}", monday, sunday)


def decade(y: int) -> Span:
    return Span(f"{y // 10:03d}X", date(y, 1, 1), date(y + 9, 12, 31))


def century(n: int) -> Span:
    """The ``n``-th century (``XXIe siècle`` = 21 -> ``20XX``)."""
    y = (n - 1) * 100
    return Span(f"{n - 1:02d}XX", date(y, 1, 1), date(y + 99, 12, 31))


_EDTF_ONE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?|(?P<dec>\d{3})X|(?P<cen>\d{2})XX")


def bounds(value: str) -> tuple[date, date]:
    """The first and last day of an EDTF value this stage writes (a day, month, year, season
    ``YYYY-21..24``, decade ``199X``, century ``19XX``, or an interval ``A/B`` of them); raises
    ``ValueError`` for anything else, or for an interval whose end comes before its start."""
    if "/" in value:
        a, _, b = value.partition("/")
        (a1, _), (_, b2) = bounds(a), bounds(b)
        if "/" in b or b2 < a1:
            raise ValueError(f"not an ordered interval: {value!r}")
        return a1, b2
    m = _EDTF_ONE.fullmatch(value)
    if not m:
        raise ValueError(f"not an EDTF value: {value!r}")
    if m["dec"]:
        y = int(m["dec"]) * 10
        return date(y, 1, 1), date(y + 9, 12, 31)
    if m["cen"]:
        y = int(m["cen"]) * 100
        return date(max(y, 1), 1, 1), date(y + 99, 12, 31)
    y = int(m["y"])
    if m["d"]:
        d = date(y, int(m["m"]), int(m["d"]))
        return d, d
    if m["m"]:
        mo = int(m["m"])
        if 21 <= mo <= 24:
            s = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}[mo]
            ey = y + 1 if s[1] < s[0] else y
            return date(y, s[0], 1), date(ey, s[1], last_day(ey, s[1]))
        return date(y, mo, 1), date(y, mo, last_day(y, mo))
    return date(y, 1, 1), date(y, 12, 31)
