"""Dates written on header, byline and dateline lines ("Publié le 3 mars 2024", "By X | May 2, 2024").

The month/weekday names and the date cues are data (``pipeline/rules/metadata/``).  The
metadata stage reads the publication date with them; the clean stage uses them (through
:mod:`pipeline.text.lines`) to recognise byline/date lines.  Dates are read with
precompiled regexes and the month table; no free-text date search is ever run over an
article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.rulebook import RULES_DIR, Layers, RuleFileError, RuleModel, check_unique, load_tsv
from pipeline.text.fold import fold_words

METADATA_DIR = RULES_DIR / "metadata"

_DIGIT = re.compile(r"\d")


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
    kind: Literal["published", "updated", "byline"]
    lang: str
    pattern: str
    example: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as err:
            raise ValueError(f"invalid regex: {err}") from None
        return v

    @model_validator(mode="after")
    def _example_matches(self) -> CueRow:
        if not re.search(self.pattern, fold_words(self.example)):
            raise ValueError(f"example {self.example!r} does not match pattern")
        return self


@dataclass(frozen=True)
class DateRules:
    months: dict[str, int]
    weekdays: frozenset[str]
    date_re: re.Pattern[str]
    pub_before: re.Pattern[str]
    upd_before: re.Pattern[str]
    upd_any: re.Pattern[str]
    byline: re.Pattern[str]


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
    weekdays = frozenset(r.name for _, r in cal if r.kind == "weekday")
    m = _alt(months)
    day = r"(?<![\w/.-])(?P<{0}>\d{{1,2}})"
    date_re = re.compile(
        r"(?<![\d.])(?P<iy>(?:19|20)\d\d)-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?![\d])"
        r"|(?<![\d/.-])(?P<nd>\d{1,2})(?P<sep>[/.-])(?P<nm>\d{1,2})(?P=sep)"
        r"(?P<ny>(?:19|20)\d\d|\d\d)(?![\d/])"
        r"|" + day.format("td") + r"(?:er|eme|e|st|nd|rd|th|o|°)?\.?\s*(?:de\s+)?(?P<tm>" + m
        + r")\.?,?\s+(?:de\s+|del\s+)?(?P<ty>(?:19|20)\d\d)(?!\d)"
        r"|(?<!\w)(?P<um>" + m + r")\.?\s+(?P<ud>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<uy>(?:19|20)\d\d)(?!\d)"
    )
    wd = _alt(weekdays)
    tail = r"\W{0,3}(?:(?:le|on|am|el|il|em|the|du)\s+)?(?:(?:" + wd + r")\W{0,2})?(?:(?:le|the)\s+)?$"
    pub = [r.pattern for _, r in cues if r.kind == "published"]
    upd = [r.pattern for _, r in cues if r.kind == "updated"]
    byl = [r.pattern for _, r in cues if r.kind == "byline"]
    return DateRules(
        months=months,
        weekdays=weekdays,
        date_re=date_re,
        pub_before=re.compile(r"(?<!\w)(?:" + "|".join(pub) + r")" + tail),
        upd_before=re.compile(r"(?<!\w)(?:" + "|".join(upd) + r")" + tail),
        upd_any=re.compile(r"(?<!\w)(?:" + "|".join(upd) + r")(?!\w)"),
        byline=re.compile("|".join(f"(?:{p})" for p in byl)),
    )


# -- dates ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DateHit:
    start: int  # in the folded line, weekday prefix included
    end: int
    value: date


def _make_date(y: int, m: int, d: int) -> date | None:
    if not 1900 <= y <= 2100:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def iter_dates(folded: str, rules: DateRules):
    """Every calendar date (day precision) written in a folded line, as :class:`DateHit`."""
    for mt in rules.date_re.finditer(folded):
        g = mt.groupdict()
        value = None
        if g["iy"]:
            value = _make_date(int(g["iy"]), int(g["im"]), int(g["id"]))
        elif g["nd"]:
            y = int(g["ny"])
            if y < 100:
                y += 2000 if y < 70 else 1900
            d, mo = int(g["nd"]), int(g["nm"])
            value = _make_date(y, mo, d) or _make_date(y, d, mo)  # day-first, else month-first
        elif g["td"]:
            value = _make_date(int(g["ty"]), rules.months[g["tm"]], int(g["td"]))
        elif g["um"]:
            value = _make_date(int(g["uy"]), rules.months[g["um"]], int(g["ud"]))
        if value is None:
            continue
        start = mt.start()
        head = folded[:start].rstrip(" ,")
        for w in rules.weekdays:  # "jeudi 28 aout 2025", "thursday, march 3, 2024"
            if head.endswith(w) and (len(head) == len(w) or not head[-len(w) - 1].isalnum()):
                start = len(head) - len(w)
                break
        yield DateHit(start, mt.end(), value)


def date_in_line(line: str, rules: DateRules, *, short_line: int, long_ok: bool = True) -> date | None:
    """The publication date stated on one header/byline line, or ``None``.

    A date preceded by an update cue is skipped.  On a short line (folded, at most
    ``short_line`` characters) a date counts when a publication cue or a byline mark
    goes with it, when it opens the line or when it fills a good part of it.  On a long
    line (a paragraph) only a date introduced by a publication cue near the start, a
    date opening the line before a separator, or a "CITY, le DATE" dateline counts.
    """
    if _DIGIT.search(line) is None:
        return None
    n = fold_words(line)
    short = len(n) <= short_line
    for hit in iter_dates(n, rules):
        before = n[:hit.start]
        if rules.upd_before.search(before):
            continue
        cued = rules.pub_before.search(before) is not None
        opens = hit.start <= 3
        if short:
            if cued or opens or rules.byline.search(n) or (hit.end - hit.start) / len(n) >= 0.35:
                return hit.value
            continue
        if not long_ok:
            continue
        if cued and hit.start <= 60:
            return hit.value
        if opens and re.match(r"\s*(?:[-–—|:(]|$)", n[hit.end:]):
            return hit.value
        if hit.start <= 45 and re.fullmatch(r"[a-z][\w' .-]{1,40},\s+(?:le\s+)?", before):
            return hit.value
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
