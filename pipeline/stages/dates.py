"""Dates stage: calendar references in French text, normalised to EDTF.

Candidates are found with precompiled regular expressions built from the
lexicons in ``pipeline/rules/dates/`` (months, weekdays, seasons, sub-year
periods, ordinals, début/mi/fin, relative references, year cues, name and
byline guards).  Each candidate is turned into an EDTF value and a day
interval (``date_start`` / ``date_end``) by a small handler; overlapping
candidates are resolved by keeping the longest (then the earliest rule in
:data:`PATTERN_ORDER`).  dateparser is not used: its ``search_dates`` reads
counts such as "2 000" as years.

Normalisation choices (see ``pipeline/rules/dates/README.md``):

- day ``2026-02-17``, month ``2025-02``, year ``2025``, season ``2025-23``;
  quarters ``2025-33``..``2025-36`` and semesters ``2025-40``/``2025-41``
  (ISO 8601-2 sub-year groupings) with real first/last days;
- ranges and lists of days are EDTF intervals ``A/B``;
- "début / mi / fin" of a year are the first / middle / last four months
  (``fin 2024`` -> ``2024-09/2024-12``); of a month the days 1-10, 11-20,
  21-end (``mi-mars 2025`` -> ``2025-03-11/2025-03-20``);
- relative references ("hier", "mardi dernier", "l'an prochain", "la semaine
  dernière" -> Monday/Sunday interval) and dates without a year are resolved
  against ``published``; without it they are left out and their text is
  appended to ``skipped``.

Year guard: a bare four-digit number (1900-2100) is a year only after a cue
from ``cues.tsv`` ("en", "depuis", "dès", "d'ici", "l'année", ...), next to a
month or season, or inside a range of years; never when the preceding word
is a name from ``names.tsv`` ("Agenda 2063", "Vision 2030"), and never when
followed by a unit, a symbol or a plural noun ("en 2000 exemplaires").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from pipeline.records import Mention
from pipeline.rulebook import RULES_DIR, RuleModel, check_unique, load_tsv
from pipeline.text.surface import AP, WS, WS0, surface_pattern, word_starts
from pipeline.text.surface import fold as _fold

# --------------------------------------------------------------------------- rule rows


class MonthRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    month: int = Field(ge=1, le=12)


class WeekdayRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    weekday: int = Field(ge=0, le=6)


class SeasonRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    code: int = Field(ge=21, le=24)
    start_month: int = Field(ge=1, le=12)
    end_month: int = Field(ge=1, le=12)


class PeriodRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    unit: Literal["quarter", "semester"]
    n: int | None = Field(default=None, ge=1, le=4)


class OrdinalRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    n: int = Field(ge=-1, le=4)


class PartRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    part: Literal["early", "mid", "late"]


class RelativeRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    unit: Literal["day", "week", "month", "year"]
    offset: int = Field(ge=-10, le=10)


class CueRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    applies: Literal["year", "month", "both"]


class WordRow(RuleModel):
    id: str
    surface: str = Field(min_length=1)


class NumberRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    value: int = Field(ge=0)


FILES: dict[str, type[RuleModel]] = {
    "months.tsv": MonthRow,
    "weekdays.tsv": WeekdayRow,
    "seasons.tsv": SeasonRow,
    "periods.tsv": PeriodRow,
    "ordinals.tsv": OrdinalRow,
    "parts.tsv": PartRow,
    "relative.tsv": RelativeRow,
    "cues.tsv": CueRow,
    "names.tsv": WordRow,
    "function_words.tsv": WordRow,
    "bylines.tsv": WordRow,
    "numbers.tsv": NumberRow,
}

# --------------------------------------------------------------------------- text helpers

def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes, hyphens and spaces as one space."""
    return _fold(text).rstrip(".")


def alternation(surfaces, *, ignore_case: bool = True) -> str:
    pats = sorted({surface_pattern(s) for s in surfaces}, key=len, reverse=True)
    body = "|".join(pats)
    return f"(?i:{body})" if ignore_case else f"(?:{body})"


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class DateRules:
    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, SeasonRow]
    periods: dict[str, PeriodRow]
    ordinals: dict[str, int]
    parts: dict[str, str]
    relative: dict[str, RelativeRow]
    year_cues: frozenset[str]
    month_cues: frozenset[str]
    names: frozenset[str]
    function_words: frozenset[str]
    bylines: frozenset[str]
    numbers: dict[str, int]
    ids: dict[str, str]  # folded surface -> rule row id (for explain)
    patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()
    triggers: dict[str, tuple[str, ...]] | None = None


def load_rules(rules_dir: Path = RULES_DIR / "dates") -> DateRules:
    """Load and validate the date lexicons and compile the candidate regexes."""
    rows: dict[str, list] = {}
    for name, model in FILES.items():
        path = Path(rules_dir) / name
        loaded = load_tsv(path, model)
        check_unique(path, loaded)
        rows[name] = [r for _, r in loaded]
    ids: dict[str, str] = {}
    for name, rs in rows.items():
        for r in rs:
            ids.setdefault(fold(r.surface), f"{name.removesuffix('.tsv')}:{r.id}")
    rules = DateRules(
        months={fold(r.surface): r.month for r in rows["months.tsv"]},
        weekdays={fold(r.surface): r.weekday for r in rows["weekdays.tsv"]},
        seasons={fold(r.surface): r for r in rows["seasons.tsv"]},
        periods={fold(r.surface): r for r in rows["periods.tsv"]},
        ordinals={fold(r.surface): r.n for r in rows["ordinals.tsv"]},
        parts={fold(r.surface): r.part for r in rows["parts.tsv"]},
        relative={fold(r.surface): r for r in rows["relative.tsv"]},
        year_cues=frozenset(fold(r.surface) for r in rows["cues.tsv"] if r.applies != "month"),
        month_cues=frozenset(fold(r.surface) for r in rows["cues.tsv"] if r.applies != "year"),
        names=frozenset(r.surface for r in rows["names.tsv"]),
        function_words=frozenset(fold(r.surface) for r in rows["function_words.tsv"]),
        bylines=frozenset(fold(r.surface) for r in rows["bylines.tsv"]),
        numbers={fold(r.surface): r.value for r in rows["numbers.tsv"]},
        ids=ids,
    )
    object.__setattr__(rules, "patterns", _compile(rows))
    object.__setattr__(rules, "triggers", _triggers(rows))
    return rules


@lru_cache(maxsize=1)
def _default_rules() -> DateRules:
    return load_rules()


# --------------------------------------------------------------------------- regexes


def _compile(rows: dict[str, list]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    month_alt = alternation(r.surface for r in rows["months.tsv"])
    wd_alt = alternation(r.surface for r in rows["weekdays.tsv"])
    season_alt = alternation(r.surface for r in rows["seasons.tsv"])
    unit_alt = alternation(r.surface for r in rows["periods.tsv"] if r.n is None)
    code_alt = alternation((r.surface for r in rows["periods.tsv"] if r.n is not None), ignore_case=False)
    ord_alt = alternation(r.surface for r in rows["ordinals.tsv"])
    part_alt = alternation(r.surface for r in rows["parts.tsv"])
    rel_alt = alternation(r.surface for r in rows["relative.tsv"])
    ycue_alt = alternation(r.surface for r in rows["cues.tsv"] if r.applies != "month")
    mcue_alt = alternation(r.surface for r in rows["cues.tsv"] if r.applies != "year")
    num_alt = alternation(r.surface for r in rows["numbers.tsv"])

    def month(g: str) -> str:
        return rf"(?<!\w)(?P<{g}>{month_alt})(?![\w])"

    def day(g: str) -> str:
        return rf"(?<![\w.,/])(?P<{g}>1(?:er|re|ᵉʳ)|[12]\d|3[01]|0?[1-9])(?!\d)"

    def year(g: str) -> str:
        return rf"(?P<{g}>(?:19|20)\d\d|2100)(?!\d)(?![.,]\d)(?!{WS}\d{{3}}(?!\d))"

    def wyear(g: str) -> str:
        # next to a month any year 1000-2199 is read ("14 juillet 1789")
        return rf"(?P<{g}>1\d\d\d|20\d\d|21\d\d)(?!\d)(?![.,]\d)(?!{WS}\d{{3}}(?!\d))"

    no_year = rf"(?!{WS0}\d)"  # a yearless form must not be followed by a number
    wd_opt = rf"(?:(?<!\w)(?:{wd_alt}){WS})?"

    wd = rf"(?<!\w)(?P<wd>{wd_alt})"
    conn_same = rf"(?:{WS}(?i:au|et{WS}le|et|à){WS}|{WS0}[-–]{WS0})"
    list_more = rf"(?:{WS0},{WS0}{day('dx')})*"
    rel_suffix = rf"(?:{WS}(?P<rel>(?i:dernier|derni[eè]re|prochain|prochaine|pass[ée]e?)))?"
    y_start = r"(?<![\w.,/\-])"
    pats: list[tuple[str, str]] = [
        # du 28 février au 3 mars 2026 / entre le 30 décembre 2025 et le 2 janvier 2026
        ("day_range_cross",
         rf"(?i:du|entre(?:{WS}le)?){WS}{wd_opt}{day('d1')}{WS}{month('m1')}(?:{WS}{wyear('y1')})?"
         rf"(?:{WS}(?i:au|et{WS}le|et){WS}|{WS0}[-–]{WS0}){wd_opt}{day('d2')}{WS}{month('m2')}"
         rf"(?:{WS}{wyear('y2')}|{no_year}){rel_suffix}"),
        # du 14 au 16 mai 2026 / les 1er et 2 juillet 2025 / les 3, 4 et 5 juin / 14-16 mai
        ("day_range",
         rf"(?:(?i:du|entre(?:{WS}le)?|les){WS})?{wd_opt}{day('d1')}{list_more}{conn_same}"
         rf"{wd_opt}{day('d2')}{WS}{month('m2')}(?:{WS}{wyear('y2')}|{no_year}){rel_suffix}"),
        # entre mars et juin 2025 / de janvier 2024 à mars 2025 / de novembre à février
        ("month_range",
         rf"(?<!\w)(?i:entre|de|d{AP}|depuis){WS0}{month('m1')}(?:{WS}{year('y1')})?"
         rf"{WS}(?i:et|à|au|jusqu{AP}{WS0}en){WS}{month('m2')}(?:{WS}{year('y2')})?"),
        ("month_range_dash",
         rf"{month('m1')}(?:{WS}{year('y1')})?{WS0}[-–]{WS0}{month('m2')}{WS}{year('y2')}"),
        # 2024-2026, de 2020 à 2022, entre 2020 et 2022, 2024-26
        ("year_range",
         rf"(?:(?<!\w)(?P<pre>(?i:entre|de|depuis)){WS})?{y_start}{year('y1')}"
         rf"(?P<conn>{WS}(?i:et|à|au|jusqu{AP}{WS0}en){WS}|{WS0}[-–/]{WS0})"
         rf"(?:{year('y2')}|(?P<yy>\d\d)(?![\d\w]))"),
        # (le) mardi 17 février 2026, 1er mars 2025, 17 février
        ("day", rf"(?:{wd}{WS})?{day('d')}{WS}{month('m')}(?:{WS}{wyear('y')}|{no_year}){rel_suffix}"),
        # English month-first form: March 3, 2024 / Monday, March 3rd 2024
        ("day_mdy",
         rf"(?:{wd},?{WS})?{month('m')}{WS}(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d),?{WS}{wyear('y')}"),
        ("numeric_dmy",
         rf"(?<![\w.,/\-])(?P<d>[0-3]?\d)(?P<sep>[./-])(?P<mo>[01]?\d)(?P=sep){year('y')}(?![./-]\d)"),
        ("numeric_iso",
         rf"(?<![\w.,/\-]){year('y')}-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
        # fin 2024, mi-2025, au début de l'année 2026 ; mi-mars 2025, fin février
        ("part_year",
         rf"(?<!\w)(?P<part>{part_alt})(?:{WS0}[-‐‑]{WS0}|{WS})"
         rf"(?:(?:(?i:de){WS})?(?i:l{AP}{WS0}ann[ée]e|l{AP}{WS0}an|d{AP}{WS0}ann[ée]e){WS})?{year('y')}"),
        ("part_year_rel",
         rf"(?<!\w)(?P<part>{part_alt}){WS}(?:(?i:de){WS}|(?i:d){AP}{WS0})?"
         rf"(?P<which>(?i:l{AP}{WS0}ann[ée]e|d{AP}{WS0}ann[ée]e|l{AP}{WS0}an))"
         rf"(?:{WS}(?P<rel>(?i:derni[eè]re|dernier|prochaine|prochain|pass[ée]e?|en{WS}cours)))?"
         rf"(?!{WS}(?:19|20)\d\d)"),
        ("part_month",
         rf"(?<!\w)(?P<part>{part_alt})(?:{WS0}[-‐‑]{WS0}|{WS})(?:(?i:du{WS}mois{WS}d(?:e{WS}|{AP}{WS0})))?"
         rf"{month('m')}(?:{WS}{year('y')})?{rel_suffix}"),
        # l'automne 2025, cet été, l'hiver dernier
        ("season",
         rf"(?<!\w)(?P<det>(?i:l{AP}|le|au|en|cet|ce|du|d{AP}|de{WS}l{AP}|à{WS}l{AP})){WS0}"
         rf"(?P<s>{season_alt})(?!\w)(?:{WS}{year('y')}|{WS}(?P<rel>(?i:dernier|prochain|pass[ée])))?"),
        # T1 2025, premier trimestre 2025, second semestre de 2024
        ("period",
         rf"(?<!\w)(?:(?P<code>{code_alt})|(?P<ord>{ord_alt}){WS}(?P<unit>{unit_alt}))"
         rf"(?:{WS0}[-‐‑]{WS0}|{WS}(?i:de{WS}l{AP}{WS0}ann[ée]e{WS}|de{WS}|d{AP}{WS0})?)"
         rf"{year('y')}"),
        # février 2025, mois de mars 2025
        ("month_year", rf"{month('m')}{WS}{wyear('y')}"),
        # en mars, depuis janvier (dernier)
        ("month_cued",
         rf"(?<!\w)(?P<cue>{mcue_alt}){WS0}(?<=[\s'’ʼ])(?P<m>{month_alt})(?!\w){no_year}{rel_suffix}"),
        # le XXIe siècle
        ("century", rf"(?<!\w)(?P<c>[XVI]{{1,5}})(?:e|ème|ᵉ){WS}(?i:si[eè]cle)(?!\w)"),
        # les années 1990, années 80
        ("decade", rf"(?<!\w)(?i:les{WS}|des{WS})?(?i:ann[ée]es){WS}(?P<dec>(?:19|20)?\d0)(?!\d)"),
        # en 2023, depuis 2021, l'année 2024
        ("year_cued", rf"(?<!\w)(?P<cue>{ycue_alt}){WS0}(?<=[\s'’ʼ]){y_start}{year('y')}"),
        # relative references
        ("weekday_rel",
         rf"(?<!\w)(?:(?P<ce>(?i:ce)){WS})?{wd}(?!\w)"
         rf"(?:{WS}(?P<rel>(?i:dernier|prochain|pass[ée])))?(?!{WS}\d)"),
        ("ago",
         rf"(?<!\w)(?P<dir>(?i:il{WS}y{WS}a|dans)){WS}(?P<n>\d{{1,3}}|{num_alt}){WS}"
         rf"(?P<u>(?i:jours?|semaines?|mois|ans|années?|annees?))(?!\w)"),
        ("relative", rf"(?<![\w'’ʼ])(?P<rel_word>{rel_alt})(?![\w-])"),
    ]
    return tuple((rid, re.compile(p)) for rid, p in pats)


def _variants(surface: str) -> set[str]:
    low = surface.lower().rstrip(".")
    return {low, fold(low), low.replace("'", "’")}


def _triggers(rows: dict[str, list]) -> dict[str, tuple[str, ...]]:
    """Lower-case substrings one of which every match of a pattern contains
    (``"#year"``: a 4-digit year, ``"#digit"``: any digit).  Patterns only run
    in windows around them, which keeps the stage well under 1 ms per article."""
    months = set().union(*(_variants(r.surface) for r in rows["months.tsv"]))
    weekdays = set().union(*(_variants(r.surface) for r in rows["weekdays.tsv"]))
    seasons = set().union(*(_variants(r.surface) for r in rows["seasons.tsv"]))
    rel = set()
    for r in rows["relative.tsv"]:
        rel |= _variants(r.surface.split(" ")[-1].split("'")[-1])
    rel |= {"dernier", "dernière", "derniere", "prochain", "passé", "passe", "cours"}
    m = tuple(sorted(months))
    return {
        "day_range_cross": m, "day_range": m, "month_range": m, "month_range_dash": m,
        "year_range": ("#year",), "day": m, "day_mdy": m, "numeric_dmy": ("#year",), "numeric_iso": ("#year",),
        "part_year": ("#year",), "part_year_rel": _YEAR_WORDS, "part_month": m,
        "season": tuple(sorted(seasons)), "period": ("#year",), "month_year": ("#year",),
        "month_cued": m, "decade": _YEAR_WORDS, "century": ("siècle", "siecle"), "year_cued": ("#year",),
        "weekday_rel": tuple(sorted(weekdays)),
        "ago": _YEAR_WORDS + ("jour", "jours", "semaine", "semaines", "mois", "ans"),
        "relative": tuple(sorted(rel)),
    }


_YEAR_WORDS = ("année", "années", "annee", "annees", "an")
_YEAR_ANCHOR = re.compile(r"(?:19|20)\d\d|2100")
_BEFORE, _AFTER_WIN = 70, 90


def _windows(body: str, low: str | None, triggers: tuple[str, ...],
             cache: dict) -> list[tuple[int, int]]:
    """Merged (start, end) windows around the trigger occurrences."""
    if low is None:
        return [(0, len(body))]
    if triggers in cache:
        return cache[triggers]
    cache[triggers] = out = _compute_windows(body, low, triggers, cache)
    return out


def _compute_windows(body: str, low: str, triggers: tuple[str, ...], cache: dict) -> list[tuple[int, int]]:
    hits: list[int] = []
    for t in triggers:
        if t in cache:
            hits.extend(cache[t])
            continue
        found: list[int] = []
        if t == "#year":
            found = [m.start() for m in _YEAR_ANCHOR.finditer(body)]
        else:
            found = word_starts(low, t)  # whole words only ("mai" not in "maison")
        cache[t] = found
        hits.extend(found)
    if not hits:
        return []
    hits.sort()
    n = len(body)
    out: list[tuple[int, int]] = []
    for h in hits:
        s, e = max(0, h - _BEFORE), min(n, h + _AFTER_WIN)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


PATTERN_ORDER = ("day_range_cross", "day_range", "month_range", "month_range_dash", "year_range", "day", "day_mdy",
                 "numeric_dmy", "numeric_iso", "part_year", "part_year_rel", "part_month", "season",
                 "period", "month_year", "month_cued", "century", "decade", "year_cued", "weekday_rel", "ago",
                 "relative")

# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Span:
    value: str
    start: date
    end: date


class NeedsPublished(Exception):
    """The candidate is relative and no publication date was given."""


class Reject(Exception):
    """The candidate is not a date after all."""


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _day(y: int, m: int, d: int) -> Span:
    try:
        dt = date(y, m, d)
    except ValueError as err:
        raise Reject(str(err)) from None
    return Span(dt.isoformat(), dt, dt)


def _month(y: int, m: int) -> Span:
    if not 1 <= m <= 12:
        raise Reject("month")
    return Span(f"{y:04d}-{m:02d}", date(y, m, 1), date(y, m, _last_day(y, m)))


def _year(y: int) -> Span:
    if not 1000 <= y <= 9999:
        raise Reject("year")
    return Span(f"{y:04d}", date(y, 1, 1), date(y, 12, 31))


def _interval(a: Span, b: Span) -> Span:
    if b.end < a.start:
        raise Reject("reversed interval")
    if a.value == b.value:
        return a
    return Span(f"{a.value}/{b.value}", a.start, b.end)


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _season(y: int, row: SeasonRow) -> Span:
    start = date(y, row.start_month, 1)
    ey = y + 1 if row.end_month < row.start_month else y
    end = date(ey, row.end_month, _last_day(ey, row.end_month))
    return Span(f"{y:04d}-{row.code}", start, end)


def _period(y: int, unit: str, n: int) -> Span:
    size = 3 if unit == "quarter" else 6
    count = 4 if unit == "quarter" else 2
    if n == -1:
        n = count
    if not 1 <= n <= count:
        raise Reject("period")
    m1 = (n - 1) * size + 1
    m2 = m1 + size - 1
    code = 32 + n if unit == "quarter" else 39 + n
    return Span(f"{y:04d}-{code}", date(y, m1, 1), date(y, m2, _last_day(y, m2)))


_THIRDS_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_THIRDS_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}


def _part_year(y: int, part: str) -> Span:
    m1, m2 = _THIRDS_YEAR[part]
    return _interval(_month(y, m1), _month(y, m2))


def _part_month(y: int, m: int, part: str) -> Span:
    d1, d2 = _THIRDS_MONTH[part]
    d2 = min(d2, _last_day(y, m))
    return _interval(_day(y, m, d1), _day(y, m, d2))


def _week(monday: date) -> Span:
    sunday = monday + timedelta(days=6)
    return Span(f"{monday.isoformat()}/{sunday.isoformat()}", monday, sunday)


def _day_num(text: str) -> int:
    t = text.lower()
    if t.startswith("1") and not t[1:2].isdigit():
        return 1
    return int(t)


class _Ctx:
    __slots__ = ("rules", "published")

    def __init__(self, rules: DateRules, published: date | None):
        self.rules = rules
        self.published = published

    def pub(self) -> date:
        if self.published is None:
            raise NeedsPublished()
        return self.published

    def month(self, text: str) -> int:
        return self.rules.months[fold(text)]

    def year_or_pub(self, text: str | None) -> int:
        return int(text) if text else self.pub().year


def _yearless(ctx: _Ctx, m: int, d: int | None, rel: str | None) -> int:
    """Year of a month (or day) written without one, from the publication date:
    the same year, or the last/next occurrence with "dernier"/"prochain"."""
    p = ctx.pub()
    y = p.year
    if rel:
        r = fold(rel)
        here = (m, d or 1) if d else (m, 1)
        now = (p.month, p.day) if d else (p.month, 1)
        if r.startswith(("dernier", "derniere", "pass")) and here >= now and (d or here > now):
            y -= 1
        elif r.startswith("prochain") and here <= now:
            y += 1
    return y


def _h_day_range(m: re.Match, ctx: _Ctx) -> Span:
    m2 = ctx.month(m["m2"])
    d1, d2 = _day_num(m["d1"]), _day_num(m["d2"])
    if m.re.groupindex.get("m1") and m["m1"]:
        m1 = ctx.month(m["m1"])
    else:
        m1 = m2
    if m["y2"]:
        y2 = int(m["y2"])
    else:
        y2 = _yearless(ctx, m2, d2, m["rel"])
    y1 = int(m["y1"]) if m.re.groupindex.get("y1") and m["y1"] else (y2 - 1 if (m1, d1) > (m2, d2) else y2)
    if m1 == m2 and y1 == y2 and d1 >= d2:
        raise Reject("days not increasing")
    return _interval(_day(y1, m1, d1), _day(y2, m2, d2))


def _h_month_range(m: re.Match, ctx: _Ctx) -> Span:
    m1, m2 = ctx.month(m["m1"]), ctx.month(m["m2"])
    y2 = int(m["y2"]) if m["y2"] else ctx.pub().year
    y1 = int(m["y1"]) if m["y1"] else (y2 - 1 if m1 > m2 else y2)
    if (y1, m1) >= (y2, m2):
        raise Reject("months not increasing")
    return _interval(_month(y1, m1), _month(y2, m2))


def _h_year_range(m: re.Match, ctx: _Ctx) -> Span:
    conn = fold(m["conn"])
    pre = fold(m["pre"]) if m["pre"] else ""
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
    if not y1 < y2 <= y1 + 100:
        raise Reject("years not increasing")
    return _interval(_year(y1), _year(y2))


def _h_day(m: re.Match, ctx: _Ctx) -> Span:
    mo = ctx.month(m["m"])
    d = _day_num(m["d"])
    if m["y"]:
        return _day(int(m["y"]), mo, d)
    y = _yearless(ctx, mo, d, m["rel"])
    if m["wd"]:  # "mardi 17 février": the year (around the published one) where the weekday fits
        w = ctx.rules.weekdays[fold(m["wd"])]
        for cand in (y, y + 1, y - 1):
            try:
                if date(cand, mo, d).weekday() == w:
                    return _day(cand, mo, d)
            except ValueError:
                continue
    return _day(y, mo, d)


def _h_day_mdy(m: re.Match, ctx: _Ctx) -> Span:
    return _day(int(m["y"]), ctx.month(m["m"]), int(m["d"]))


def _h_numeric(m: re.Match, ctx: _Ctx) -> Span:
    return _day(int(m["y"]), int(m["mo"]), int(m["d"]))


def _h_part_year(m: re.Match, ctx: _Ctx) -> Span:
    return _part_year(int(m["y"]), ctx.rules.parts[fold(m["part"])])


def _h_part_year_rel(m: re.Match, ctx: _Ctx) -> Span:
    y = ctx.pub().year
    rel = fold(m["rel"] or "")
    if rel.startswith(("dernier", "derniere", "pass")):
        y -= 1
    elif rel.startswith("prochain"):
        y += 1
    return _part_year(y, ctx.rules.parts[fold(m["part"])])


def _h_part_month(m: re.Match, ctx: _Ctx) -> Span:
    mo = ctx.month(m["m"])
    y = int(m["y"]) if m["y"] else _yearless(ctx, mo, None, m["rel"])
    return _part_month(y, mo, ctx.rules.parts[fold(m["part"])])


def _h_season(m: re.Match, ctx: _Ctx) -> Span:
    row = ctx.rules.seasons[fold(m["s"])]
    det = fold(m["det"])
    if m["y"]:
        return _season(int(m["y"]), row)
    if m["rel"]:
        p = ctx.pub()
        # the last (next) occurrence of the season that is over (not started) at publication
        y = p.year
        cand = _season(y, row)
        if fold(m["rel"]).startswith("prochain"):
            while cand.start <= p:
                y += 1
                cand = _season(y, row)
        else:
            while cand.end >= p:
                y -= 1
                cand = _season(y, row)
        return cand
    if det in ("cet", "ce"):
        p = ctx.pub()
        y = p.year - 1 if row.start_month > row.end_month and p.month <= row.end_month else p.year
        return _season(y, row)
    raise Reject("season without year")


def _h_period(m: re.Match, ctx: _Ctx) -> Span:
    y = int(m["y"])
    if m["code"]:
        row = ctx.rules.periods[fold(m["code"])]
        return _period(y, row.unit, row.n or 1)
    row = ctx.rules.periods[fold(m["unit"])]
    return _period(y, row.unit, ctx.rules.ordinals[fold(m["ord"])])


def _h_month_year(m: re.Match, ctx: _Ctx) -> Span:
    return _month(int(m["y"]), ctx.month(m["m"]))


def _h_month_cued(m: re.Match, ctx: _Ctx) -> Span:
    if not m["m"][0].islower():  # "en Mars" (the planet): months are written in lower case
        raise Reject("capitalised month without year")
    mo = ctx.month(m["m"])
    return _month(_yearless(ctx, mo, None, m["rel"]), mo)


def _h_decade(m: re.Match, ctx: _Ctx) -> Span:
    dec = m["dec"]
    y = int(dec) if len(dec) == 4 else (1900 + int(dec) if int(dec) >= 30 else 2000 + int(dec))
    return Span(f"{y // 10:03d}X", date(y, 1, 1), date(y + 9, 12, 31))


_ROMAN = {"I": 1, "V": 5, "X": 10}


def _h_century(m: re.Match, ctx: _Ctx) -> Span:
    digits = [_ROMAN[c] for c in m["c"]]
    n = sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))
    if not 10 <= n <= 21:
        raise Reject("century out of range")
    y = (n - 1) * 100
    return Span(f"{n - 1:02d}XX", date(y, 1, 1), date(y + 99, 12, 31))


def _h_year_cued(m: re.Match, ctx: _Ctx) -> Span:
    return _year(int(m["y"]))


#: Words before a bare weekday that make it habitual or part of a range ("tous les lundis",
#: "du lundi au vendredi", "le lundi, le marché..."), not a reference to one day.
_BARE_WD_BEFORE = re.compile(r"(?i:\b(?:du|au|les|le|chaque|tous|des|et|ou|de|jusqu'au|jusqu’au)\s+)$")
_BARE_WD_AFTER = re.compile(r"(?i:\s+(?:au|et|ou)\b)")
#: Future-tense cues in the same clause: a bare weekday then points forward ("se tiendra jeudi").
_FUTURE = re.compile(r"\b(?:[a-zàâçéèêëîïôûù]{2,}(?:eront|erons|era|iront|ira|dront|dra)|sera|seront|aura|auront"
                     r"|fera|feront|pourra|pourront|devra|devront|va|vont|doit|doivent|devrait|devraient"
                     r"|pr[ée]vue?s?|will|shall)\b")


def _bare_weekday(m: re.Match, ctx: _Ctx, w: int) -> date:
    """A weekday on its own ("a signé lundi"): the news convention is the nearest such day in the
    week of publication, backwards for a past event, forwards when the clause is in the future."""
    text = m.string
    if _BARE_WD_BEFORE.search(text[max(0, m.start() - 12):m.start()]) or \
            _BARE_WD_AFTER.match(text, m.end()):
        raise Reject("habitual weekday or weekday range")
    lo = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start()), m.start() - 60) + 1
    hi_candidates = [i for i in (text.find(".", m.end()), text.find(",", m.end())) if i != -1]
    hi = min([m.end() + 40, *hi_candidates])
    p = ctx.pub()
    if _FUTURE.search(text, lo, m.start()) or _FUTURE.search(text, m.end(), hi):
        return p + timedelta(days=((w - p.weekday()) % 7) or 7)
    return p - timedelta(days=(p.weekday() - w) % 7)


def _h_weekday_rel(m: re.Match, ctx: _Ctx) -> Span:
    w = ctx.rules.weekdays[fold(m["wd"])]
    if not m["ce"] and not m["rel"]:
        dt = _bare_weekday(m, ctx, w)
        return Span(dt.isoformat(), dt, dt)
    p = ctx.pub()
    if m["rel"] and fold(m["rel"]).startswith("prochain"):
        dt = p + timedelta(days=((w - p.weekday()) % 7) or 7)
    elif m["rel"]:
        dt = p - timedelta(days=((p.weekday() - w) % 7) or 7)
    else:
        dt = p - timedelta(days=p.weekday()) + timedelta(days=w)
    return Span(dt.isoformat(), dt, dt)


def _h_ago(m: re.Match, ctx: _Ctx) -> Span:
    n_text = fold(m["n"])
    n = int(n_text) if n_text.isdigit() else ctx.rules.numbers[n_text]
    sign = -1 if fold(m["dir"]).startswith("il") else 1
    unit = fold(m["u"])
    p = ctx.pub()
    if unit.startswith("jour"):
        dt = p + timedelta(days=sign * n)
        return Span(dt.isoformat(), dt, dt)
    if unit.startswith("semaine"):
        dt = p + timedelta(days=sign * 7 * n)
        return _week(dt - timedelta(days=dt.weekday()))
    if unit == "mois":
        return _month(*_add_months(p.year, p.month, sign * n))
    return _year(p.year + sign * n)


def _h_relative(m: re.Match, ctx: _Ctx) -> Span:
    row = ctx.rules.relative[fold(m["rel_word"])]
    p = ctx.pub()
    if row.unit == "day":
        dt = p + timedelta(days=row.offset)
        return Span(dt.isoformat(), dt, dt)
    if row.unit == "week":
        return _week(p - timedelta(days=p.weekday()) + timedelta(weeks=row.offset))
    if row.unit == "month":
        return _month(*_add_months(p.year, p.month, row.offset))
    return _year(p.year + row.offset)


HANDLERS: dict[str, Callable[[re.Match, _Ctx], Span]] = {"day_mdy": _h_day_mdy, 
    "day_range_cross": _h_day_range, "day_range": _h_day_range, "month_range": _h_month_range,
    "month_range_dash": _h_month_range, "year_range": _h_year_range, "day": _h_day,
    "numeric_dmy": _h_numeric, "numeric_iso": _h_numeric, "part_year": _h_part_year,
    "part_year_rel": _h_part_year_rel, "part_month": _h_part_month, "season": _h_season,
    "period": _h_period, "month_year": _h_month_year, "month_cued": _h_month_cued,
    "decade": _h_decade, "century": _h_century, "year_cued": _h_year_cued,
    "weekday_rel": _h_weekday_rel, "ago": _h_ago,
    "relative": _h_relative,
}

# --------------------------------------------------------------------------- guards

_WORD_BEFORE = re.compile(r"([\w]+)[^\S\n]*[-‐‑]?[^\S\n]*$")
_AFTER = re.compile(r"[^\S\n]*(%|€|\$|£|[kKcm]?m\b|kg\b|h\b|heures?\b|[a-zàâçéèêëîïôûùüÿœ]+[sx]\b)")
_YEAR_END_RULES = frozenset({"year_cued", "year_range", "part_year", "month_year", "period", "season"})
_SEP = "|•·—–"


def _name_before(body: str, start: int, rules: DateRules) -> bool:
    mb = _WORD_BEFORE.search(body, max(0, start - 40), start)
    return bool(mb and mb.group(1) in rules.names)


def _count_after(body: str, end: int, rules: DateRules) -> bool:
    ma = _AFTER.match(body, end, min(len(body), end + 40))
    if not ma:
        return False
    word = ma.group(1)
    return fold(word) not in rules.function_words


def _is_byline(body: str, start: int, end: int, rules: DateRules) -> bool:
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", end)
    if line_end == -1:
        line_end = len(body)
    before = body[max(line_start, start - 60):start]
    for sep in _SEP:
        if sep in before:
            before = before.rsplit(sep, 1)[1]
    b = fold(before).strip(" :,-")
    after = fold(body[end:min(line_end, end + 12)]).strip(" :,-.")
    if b in rules.bylines:
        return True
    # "2026-01-28 par l'AICC": a short line opening with the date and naming its author
    return before.strip() == "" and after.startswith(("par ", "by ")) and line_end - line_start < 80


# --------------------------------------------------------------------------- main


def find_dates(body: str, *, published: date | None = None, rules: DateRules | None = None,
               skipped: list[str] | None = None) -> list[Mention]:
    """Date mentions of ``body`` with EDTF values (see the module docstring)."""
    if rules is None:
        rules = _default_rules()
    if not body:
        return []
    if hasattr(published, "date") and callable(published.date):  # a datetime
        published = published.date()
    ctx = _Ctx(rules, published)
    cands: list[tuple[int, int, int, str, Span | None]] = []
    low: str | None = body.lower()
    if len(low) != len(body):  # a few characters change length when lowered
        low = None
    cache: dict[str, list[int]] = {}
    seen: set[tuple[int, int, str]] = set()
    for prio, (rid, pat) in enumerate(rules.patterns):
        handler = HANDLERS[rid]
        matches = []
        for ws, we in _windows(body, low, rules.triggers[rid], cache):
            matches.extend(pat.finditer(body, ws, we))
        for m in matches:
            if (m.start(), m.end(), rid) in seen:
                continue
            seen.add((m.start(), m.end(), rid))
            start, end = m.span()
            if end <= start:
                continue
            try:
                span: Span | None = handler(m, ctx)
            except NeedsPublished:
                span = None
            except (Reject, KeyError, ValueError, OverflowError):
                continue
            if rid in _YEAR_END_RULES and _count_after(body, end, rules):
                continue
            if _name_before(body, start, rules):
                continue
            cands.append((start, end, prio, rid, span))
    # longest first, then rule priority; keep non-overlapping
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    kept = []
    for c in cands:
        s, e = c[0], c[1]
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        kept.append(c)
    kept.sort(key=lambda c: c[0])
    out: list[Mention] = []
    for start, end, _prio, rid, span in kept:
        text = body[start:end]
        if span is None:
            if skipped is not None:
                skipped.append(text)
            continue
        if _is_byline(body, start, end, rules):
            continue
        out.append(Mention(kind="date", text=text, start=start, end=end, value=span.value,
                           rule=f"dates:{rid}", date_start=span.start.isoformat(),
                           date_end=span.end.isoformat()))
    return out


__all__ = ["DateRules", "find_dates", "load_rules", "fold", "surface_pattern"]
