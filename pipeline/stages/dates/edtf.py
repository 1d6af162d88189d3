"""EDTF values and their day intervals: pure calendar arithmetic, no text.

A :class:`Span` is an EDTF value with its first and last day.  The builders raise
:class:`Reject` for a value that is not a real date (31 February, month 13), which the
stage reads as "this candidate is not a date after all".
"""

from __future__ import annotations

import calendar
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
    """The ``n``-th quarter or semester of ``y`` (``-1``: the last one), ISO 8601-2 codes 33-36, 40-41."""
    size = 3 if unit == "quarter" else 6
    count = 4 if unit == "quarter" else 2
    if n == -1:
        n = count
    if not 1 <= n <= count:
        raise Reject("period")
    m1 = (n - 1) * size + 1
    m2 = m1 + size - 1
    code = 32 + n if unit == "quarter" else 39 + n
    return Span(f"{y:04d}-{code}", date(y, m1, 1), date(y, m2, last_day(y, m2)))


#: "début / mi / fin": the thirds of a year (months) and of a month (days).
THIRDS_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
THIRDS_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}


def part_year(y: int, part: str) -> Span:
    m1, m2 = THIRDS_YEAR[part]
    return interval(month(y, m1), month(y, m2))


def part_month(y: int, m: int, part: str) -> Span:
    d1, d2 = THIRDS_MONTH[part]
    d2 = min(d2, last_day(y, m))
    return interval(day(y, m, d1), day(y, m, d2))


def week(monday: date) -> Span:
    sunday = monday + timedelta(days=6)
    return Span(f"{monday.isoformat()}/{sunday.isoformat()}", monday, sunday)


def decade(y: int) -> Span:
    return Span(f"{y // 10:03d}X", date(y, 1, 1), date(y + 9, 12, 31))


def century(n: int) -> Span:
    """The ``n``-th century (``XXIe siècle`` = 21 -> ``20XX``)."""
    y = (n - 1) * 100
    return Span(f"{n - 1:02d}XX", date(y, 1, 1), date(y + 99, 12, 31))
