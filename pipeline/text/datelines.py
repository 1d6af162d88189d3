"""Dates written on header, byline and dateline lines ("Publié le 3 mars 2024", "By X | May 2, 2024").

The month/weekday names and the date cues are data (``pipeline/rules/metadata/``).  The
metadata stage reads the publication date with them; the clean stage uses them (through
:mod:`pipeline.text.lines`) to recognise byline/date lines.  Dates are read with
precompiled regexes and the month table; no free-text date search is ever run over an
article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.rulebook import RULES_DIR, Layers, Regex, RuleFileError, RuleModel, check_unique, load_tsv
from pipeline.text.fold import fold_words

METADATA_DIR = RULES_DIR / "metadata"

_DIGIT = re.compile(r"\d")
#: a numeric day/month/year with a two-digit year (read in the order of the page's language)
_TWO_DIGIT_YEAR = re.compile(r"(?<![\d/.-])\d{1,2}[/.-]\d{1,2}[/.-]\d\d(?![\d/])")
#: lines whose dates are remembered (per rules) before the memo is emptied
_SEEN_MAX = 50_000
#: characters of a long line read for a date (one starting by the 60th, a weekday before it included)
_LONG_READ = 130
#: the last one or two words of a text (a weekday name before a date)
_LAST_WORDS = re.compile(r"(?:(?<![\w-])([\w-]+) )?(?<![\w-])([\w-]+)$")
#: what every date away from the headline holds: a four-digit year or a numeric day/month/year
YEARISH = re.compile(r"(?:19|20)\d\d|\d[/.-]\d{1,2}[/.-]\d\d")
#: a clock time right after a date, with seconds or a separator (a timestamp)
_CLOCK = re.compile(r"[\sT,]+\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
#: what may follow a date opening a long line: a separator, the end, or a clock time
#: a clock time after a date on a short line, maybe past a separator or "um" / "at" / "à" ("7. Juli 2019 - 18:44")
_CLOCK_AFTER = re.compile(r"[\s.,–—-]*(?:(?:um|at|a|a las|kl)\.?\s+)?\d{1,2}[:.h]\d{2}(?!\d)")
#: what ends a short line before the date closing it: a separator ("Home › Tech • 18 October 2019")
_BEFORE_CLOSING = re.compile(r"[•|·–—›»/]\s*$")
_AFTER_OPENING = re.compile(r"\s*(?:[-–—|:(•]|$|(?:a|at|um|a las|,)?\s*\d{1,2}[:.h]\d{2}(?!\d))")


# -- rule files ---------------------------------------------------------------

class CalendarRow(RuleModel):
    lang: str = Field(pattern=r"^[a-z]{2}$")
    kind: Literal["month", "weekday"]
    value: int
    name: str

    @model_validator(mode="after")
    def _check(self) -> CalendarRow:
        top = 12 if self.kind == "month" else 7
        if not 1 <= self.value <= top:
            raise ValueError(f"{self.kind} value must be 1..{top}")
        if fold_words(self.name) != self.name:
            raise ValueError("name must be lower case without accents")
        return self


class CueRow(RuleModel):
    id: str = Field(pattern=r"^metadata\.cue\.[a-z0-9_]+$")
    kind: Literal["published", "updated", "byline", "other"]
    lang: str
    pattern: Regex
    example: str

    @model_validator(mode="after")
    def _example_matches(self) -> CueRow:
        if not re.search(self.pattern, fold_words(self.example)):
            raise ValueError(f"example {self.example!r} does not match pattern")
        return self


class LocaleRow(RuleModel):
    """One row of ``locales.tsv``: a language whose month and weekday names come from babel (CLDR)."""

    locale: str = Field(pattern=r"^[a-z]{2,3}(?:_[A-Z]{2})?$")
    example: str

    @field_validator("locale")
    @classmethod
    def _known(cls, v: str) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(v)
        except (UnknownLocaleError, ValueError):
            raise ValueError(f"babel knows no locale {v!r}") from None
        return v


def _cldr_names(locale: str) -> tuple[dict[str, int], set[str]]:
    """Month names (wide and abbreviated, in running text and alone) and weekday names of a locale, folded."""
    from babel.dates import get_day_names, get_month_names

    def clean(name: str) -> str | None:
        n = fold_words(name).strip(".")
        return n if len(n) >= 3 and all(c.isalpha() or c == " " for c in n) else None

    months: dict[str, int] = {}
    days: set[str] = set()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for value, name in get_month_names(width, context, locale).items():
                if (n := clean(name)) is not None:
                    months.setdefault(n, value)
            days.update(n for name in get_day_names(width, context, locale).values() if (n := clean(name)))
    return months, days


@dataclass(frozen=True)
class DateRules:
    months: dict[str, int]
    weekdays: frozenset[str]
    date_re: re.Pattern[str]
    pub_before: re.Pattern[str]
    upd_before: re.Pattern[str]
    upd_any: re.Pattern[str]
    byline: re.Pattern[str]
    other_before: re.Pattern[str]
    other_end: re.Pattern[str]
    #: :func:`line_dates` results by line: the clean stage and the metadata stage read the same lines
    seen: dict = field(default_factory=dict, repr=False, compare=False)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _is_default(rules_dir: Path | Layers) -> bool:
    if isinstance(rules_dir, Layers):
        return rules_dir.dirs == (METADATA_DIR,)
    return Path(rules_dir) == METADATA_DIR


def load_date_rules(rules_dir: Path | Layers = METADATA_DIR) -> DateRules:
    """Load and validate the calendar and the date cues (cached for the packaged folder)."""
    if _is_default(rules_dir):
        return _default_date_rules()
    return build_date_rules(rules_dir)


@lru_cache(maxsize=1)
def _default_date_rules() -> DateRules:
    return build_date_rules(METADATA_DIR)


def build_date_rules(rules_dir: Path | Layers) -> DateRules:
    """``calendar.tsv`` + ``date_cues.tsv`` of a folder (or of layered folders), compiled."""
    cal_path = rules_dir / "calendar.tsv"
    cue_path = rules_dir / "date_cues.tsv"
    cal = load_tsv(cal_path, CalendarRow)
    cues = load_tsv(cue_path, CueRow)
    check_unique(cue_path, cues)
    months: dict[str, int] = {}
    problems = []
    for lineno, row in cal:
        if row.kind == "month":
            if months.get(row.name, row.value) != row.value:
                where = lineno.path if hasattr(lineno, "path") else cal_path
                problems.append((str(where), int(lineno), "name",
                                 f"month name {row.name!r} already means month {months[row.name]}"))
            months[row.name] = row.value
    if problems:
        raise RuleFileError(problems)
    weekdays = set(r.name for _, r in cal if r.kind == "weekday")
    loc_path = rules_dir / "locales.tsv"
    locales = load_tsv(loc_path, LocaleRow) if loc_path.exists() else []
    for _, row in locales:  # an earlier row wins a name two languages give two months ("listopad")
        names, days = _cldr_names(row.locale)
        for name, value in names.items():
            months.setdefault(name, value)
        weekdays |= days
    weekdays = frozenset(weekdays)
    m = _alt(months)
    day = r"(?<![\w/.-])(?P<{0}>\d{{1,2}})"
    # a four-digit year ends the number, or runs into the next inline element of a dump
    # ("3. April 20223. April 2022", "4 de mayo de 202207:59 hs", "20 janvier 202020 janvier 2020")
    _YEAR_END = r"(?:(?!\d)|(?=\d{1,2}(?:[.:h]|\s+(?:" + m + r")\b)))"
    date_re = re.compile(
        r"(?<![\d.])(?P<iy>(?:19|20)\d\d)(?P<isep>[-/]|\.\s?)(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})(?![\d])"
        r"|(?<!\d)(?P<cy>(?:19|20)\d\d)\s*[年년]\s*(?P<cm>\d{1,2})\s*[月월]\s*(?P<cd>\d{1,2})\s*[日일]"
        r"|(?<![\d/.-])(?P<nd>\d{1,2})(?P<sep>[/.-])(?P<nm>\d{1,2})(?P=sep)"
        r"(?P<ny>(?:19|20)\d\d|\d\d)(?![\d/])"
        # a weekday may sit between the day and the month ("14 Montag Okt 2024", a blog theme's stamp;
        # any word is matched here, :func:`iter_dates` keeps the weekdays: cheaper than their alternation)
        r"|" + day.format("td") + r"(?:er|eme|e|st|nd|rd|th|o|°)?\.?\s*(?:(?P<twd>[^\W\d_]{3,12})\.?,?\s+)?(?:de\s+)?(?P<tm>" + m
        + r")(?:\.\s*|,?\s+)(?:de\s+|del\s+)?(?:(?P<ty>(?:19|20)\d\d)" + _YEAR_END
        + r"|(?P<sy>\d\d)(?![\d:hH]|\s*[hH:]\s*\d))"
        r"|(?<!\w)(?P<um>" + m + r")\.?\s+(?P<ud>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<uy>(?:19|20)\d\d)(?!\d)"
        r"|(?<![\d.])(?P<ay>(?:19|20)\d\d)\.?\s+(?:m\.\s+)?(?P<am>" + m + r")\.?\s+(?P<ad>\d{1,2})(?!\d)"
    )
    wd = _alt(weekdays)
    tail = r"\W{0,3}(?:(?:le|on|am|el|il|em|the|du)\s+)?(?:(?:" + wd + r")\W{0,2})?(?:(?:le|the)\s+)?$"
    pub = [r.pattern for _, r in cues if r.kind == "published"]
    upd = [r.pattern for _, r in cues if r.kind == "updated"]
    byl = [r.pattern for _, r in cues if r.kind == "byline"]
    other = [r.pattern for _, r in cues if r.kind == "other"] or [r"(?!x)x"]
    return DateRules(
        months=months,
        weekdays=weekdays,
        date_re=date_re,
        pub_before=re.compile(r"(?<!\w)(?:" + "|".join(pub) + r")" + tail),
        upd_before=re.compile(r"(?<!\w)(?:" + "|".join(upd) + r")" + tail),
        upd_any=re.compile(r"(?<!\w)(?:" + "|".join(upd) + r")(?!\w)"),
        byline=re.compile("|".join(f"(?:{p})" for p in byl)),
        other_before=re.compile(r"(?<!\w)(?:" + "|".join(other) + r")\W{0,3}(?:\w+\W{1,3}){0,2}$"),
        other_end=re.compile(r"(?<!\w)(?:" + "|".join(other) + r")\W{0,3}$"),
    )


# -- dates ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DateHit:
    start: int  # in the folded line, weekday prefix included
    end: int
    value: date
    short_year: bool = False  # "27 mar 20": counts only after a publication or update cue


def _make_date(y: int, m: int, d: int) -> date | None:
    if not 1900 <= y <= 2100:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


@lru_cache(maxsize=64)
def reads_month_first(lang: str | None) -> bool:
    """Whether a language writes its short numeric dates month first with a two-digit year (CLDR, via babel).

    English's short pattern is ``M/d/yy`` ("9/11/13" is 11 September 2013); every other language
    of the development sets, and English with a four-digit year ("12/10/2020", the British and
    European use), is read day first.
    """
    if not lang or not re.fullmatch(r"[a-z]{2,3}", lang):
        return False
    from babel import UnknownLocaleError
    from babel.dates import get_date_format

    try:
        pattern = get_date_format("short", locale=lang).pattern
    except (UnknownLocaleError, ValueError):
        return False
    fields = [c for c in re.sub(r"'[^']*'", "", pattern) if c in "dMy"]
    order = "".join(dict.fromkeys(fields))
    return order == "Mdy" and pattern.count("y") == 2


def iter_dates(folded: str, rules: DateRules, *, lang: str | None = None):
    """Every calendar date (day precision) written in a folded line, as :class:`DateHit`.

    ``lang``: the page's language; a numeric date with a two-digit year is read month first when
    the language writes it so (see :func:`reads_month_first`).
    """
    for mt in rules.date_re.finditer(folded):
        g = mt.groupdict()
        value = None
        if g["iy"]:
            value = _make_date(int(g["iy"]), int(g["im"]), int(g["id"]))
        elif g["nd"]:
            y = int(g["ny"])
            d, mo = int(g["nd"]), int(g["nm"])
            if y < 100:
                y += 2000 if y < 70 else 1900
                if len(g["ny"]) == 2 and reads_month_first(lang):
                    d, mo = mo, d
            value = _make_date(y, mo, d) or _make_date(y, d, mo)  # day-first, else month-first
        elif g["td"]:
            if g["twd"] and g["twd"] not in rules.weekdays:
                continue
            value = _make_date(int(g["ty"] or 2000 + int(g["sy"])), rules.months[g["tm"]], int(g["td"]))
        elif g["um"]:
            value = _make_date(int(g["uy"]), rules.months[g["um"]], int(g["ud"]))
        elif g["cy"]:
            value = _make_date(int(g["cy"]), int(g["cm"]), int(g["cd"]))
        elif g["ay"]:
            value = _make_date(int(g["ay"]), rules.months[g["am"]], int(g["ad"]))
        if value is None:
            continue
        start = mt.start()
        head = folded[:start].rstrip(" ,")
        # "jeudi 28 aout 2025", "thursday, march 3, 2024", "e hene 3 mars 2024" (a weekday of two words)
        if (last := _LAST_WORDS.search(head[-40:])) is not None:
            two = f"{last[1]} {last[2]}" if last[1] else None
            if two in rules.weekdays:
                start = len(head) - len(two)
            elif last[2] in rules.weekdays:
                start = len(head) - len(last[2])
        yield DateHit(start, mt.end(), value, short_year=bool(g["sy"]))


def line_dates(line: str, rules: DateRules, *, short_line: int, long_ok: bool = True,
               lang: str | None = None) -> list[tuple[date, str]]:
    """The dates one header/byline line states, each with its kind (see :func:`_line_dates`); memoised
    per rules, since the clean stage and the metadata stage read the same lines."""
    if _DIGIT.search(line) is None:
        return []
    if len(rules.seen) >= _SEEN_MAX:
        rules.seen.clear()
    key = (line, short_line, None)
    memo = rules.seen.get(key)
    if memo is None:
        memo = rules.seen[key] = _line_dates(line, rules, short_line=short_line)
    if lang is not None and _TWO_DIGIT_YEAR.search(line) and reads_month_first(lang):
        key = (line, short_line, lang)  # a numeric date with a two-digit year: its order is the language's
        memo = rules.seen.get(key) or rules.seen.setdefault(key, _line_dates(line, rules, short_line=short_line,
                                                                             lang=lang))
    short, found = memo
    return list(found) if short or long_ok else []


def _line_dates(line: str, rules: DateRules, *, short_line: int,
                lang: str | None = None) -> tuple[bool, tuple[tuple[date, str], ...]]:
    """Whether a line is short, and the dates it states, each with its kind, in line order.

    The kind is ``published`` (introduced by a publication cue), ``updated`` (by an update
    cue: "Mis à jour le", "Updated") or ``date`` (a date line, a byline date).  On a short
    line (folded, at most ``short_line`` characters) a date counts when a cue or a byline
    mark goes with it, when it opens the line, when a clock time follows it (a timestamp) or
    when it fills a good part of it.  A date introduced by an ``other`` cue ("Version 3,",
    "©", "Retrieved") is no publication date and is left out.  On a
    long line (a paragraph) only a date introduced by a cue or a byline mark near the start, a date opening
    the line before a separator, or a "CITY, le DATE" dateline counts (``long_ok=False``: none).
    """
    n = fold_words(line)
    short = len(n) <= short_line
    found = []
    # on a long line only a date starting within its first 60 characters counts: read no further
    for hit in iter_dates(n if short else n[:_LONG_READ], rules, lang=lang):
        before = n[:hit.start]
        if rules.other_before.search(before):
            continue
        updated = rules.upd_before.search(before) is not None
        cued = updated or rules.pub_before.search(before) is not None
        kind = "updated" if updated else "published" if cued else "date"
        if hit.short_year and not cued:
            continue
        # opening the line, maybe after a weekday name ("Thu 3 Jan 2019", "Montag, 12.12.2022")
        opens = hit.start <= 3 or before.strip(" ,.") in rules.weekdays
        if short:
            # "2012-06-04 09:20:26", "2020. 08. 18. 21:35", "20. November 2022 um 10:36": a timestamp
            stamped = _CLOCK.match(n, hit.end) is not None or _CLOCK_AFTER.match(n, hit.end) is not None
            rest = n[hit.end:].strip(" .,")
            closes = _BEFORE_CLOSING.search(before) is not None and (not rest or _CLOCK_AFTER.fullmatch(n[hit.end:]))
            # printed twice in a row ("20 janvier 202020 janvier 2020": a dump glues a date's two renderings)
            twice = n[hit.end:].lstrip(" ,|-").startswith(n[hit.start:hit.end])
            if (cued or opens or stamped or closes or twice or rules.byline.search(n)
                    or (hit.end - hit.start) / len(n) >= 0.35):
                found.append((hit.value, kind))
            continue
        if ((cued or rules.byline.search(before)) and hit.start <= 60) or (opens and _AFTER_OPENING.match(n[hit.end:])) or \
                (hit.start <= 45 and re.fullmatch(r"[a-z][\w' .-]{1,40},\s+(?:le\s+)?", before)):
            found.append((hit.value, kind))
    return short, tuple(found)


def weekday_led(line: str, rules: DateRules) -> bool:
    """Whether a line opens with a weekday name ("Mittwoch, 4. Mai 2022", "Thursday, March 3, 2022")."""
    words = re.findall(r"\w+", fold_words(line)[:40])
    return bool(words) and words[0] in rules.weekdays


def date_in_line(line: str, rules: DateRules, *, short_line: int, long_ok: bool = True) -> date | None:
    """The publication date stated on one header/byline line (see :func:`line_dates`), or ``None``.

    A date introduced by an update cue is skipped.
    """
    for value, kind in line_dates(line, rules, short_line=short_line, long_ok=long_ok):
        if kind != "updated":
            return value
    return None


def parse_date(value: str | None, rules: DateRules) -> date | None:
    """A date from an input/HTML value: ISO first, else any date written in it."""
    if not value:
        return None
    s = str(value).strip()
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        pass
    for hit in iter_dates(fold_words(s), rules):
        return hit.value
    return None
