"""Metadata stage: title, publication date and language of one article.

Precedence is *given* > *html* > *text*:

- title: the ``title`` input, else the title found in the HTML, else the headline
  found by the clean stage (the first substantive kept line near the top that
  looks like a headline; ``None`` when the article starts straight with a
  paragraph);
- published: the ``published`` input (source ``input``), else the HTML date
  (``html``), else a date read from the header or byline lines of the raw text
  (``text``), else ``None`` (``none``).  Only the first lines and the short last
  lines are looked at, a date must be introduced by a publication cue ("Publié
  le", "Posted on", "date"), sit on a byline/date line, or open the line; a date
  introduced by an update cue ("Mise à jour", "Updated", "Modifié le") is never
  the publication date;
- language: py3langid over a sample of the cleaned body.

Month/weekday names and date cues are data: ``pipeline/rules/metadata/``.
Dates are read with precompiled regexes and the month table; no free-text
date search is ever run over an article.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.records import Cleaned, Metadata
from pipeline.rulebook import RULES_DIR, RuleFileError, RuleModel, check_unique, load_tsv

METADATA_DIR = RULES_DIR / "metadata"

#: How many non-empty raw lines at the top are header candidates for the date.
HEADER_LINES = 8
#: How many non-empty raw lines at the end are footer candidates (short ones only).
FOOTER_LINES = 5
#: A header line longer than this is a paragraph: only a cue-introduced date counts.
SHORT_LINE = 120
#: Characters sampled for language identification (taken from the longest lines).
LANG_SAMPLE = 600
LANG_MIN_LINE = 40
MIN_LANG_CHARS = 20


# -- text normalisation -------------------------------------------------------

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_DIGIT = re.compile(r"\d")
_ALPHA = re.compile(r"[^\W\d_]")


def fold(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes unified, spaces collapsed.

    The length can differ from the input (combining marks are dropped), so the
    result is only used for matching, never for offsets into the body.
    """
    if text.isascii():
        return " ".join(text.casefold().split())
    s = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'").replace("ʼ", "'"))
    if not s.isascii():
        s = _COMBINING.sub("", s)
    return " ".join(s.casefold().split())


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
        if fold(self.name) != self.name:
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
        if not re.search(self.pattern, fold(self.example)):
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


def load_rules(rules_dir: Path = METADATA_DIR) -> DateRules:
    """Load and validate the calendar and the date cues (cached for the default folder)."""
    if rules_dir == METADATA_DIR:
        return _default_rules()
    return _build_rules(rules_dir)


@lru_cache(maxsize=1)
def _default_rules() -> DateRules:
    return _build_rules(METADATA_DIR)


def _build_rules(rules_dir: Path) -> DateRules:
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
                problems.append((str(cal_path), lineno, "name",
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


def iter_dates(folded: str, rules: DateRules | None = None):
    """Every calendar date (day precision) written in a folded line, as :class:`DateHit`."""
    rules = rules or load_rules()
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


def date_in_line(line: str, *, rules: DateRules | None = None, long_ok: bool = True) -> date | None:
    """The publication date stated on one header/byline line, or ``None``.

    A date preceded by an update cue is skipped.  On a short line a date counts
    when a publication cue or a byline mark goes with it, when it opens the line
    or when it fills a good part of it.  On a long line (a paragraph) only a date
    introduced by a publication cue near the start, a date opening the line
    before a separator, or a "CITY, le DATE" dateline counts.
    """
    if _DIGIT.search(line) is None:
        return None
    rules = rules or load_rules()
    n = fold(line)
    short = len(n) <= SHORT_LINE
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


def parse_date(value: str | None) -> date | None:
    """A date from an input/HTML value: ISO first, else any date written in it."""
    if not value:
        return None
    s = str(value).strip()
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        pass
    for hit in iter_dates(fold(s)):
        return hit.value
    return None


def header_lines(raw_text: str) -> list[str]:
    """Header candidates (first non-empty lines), then short footer lines."""
    lines = [ln for ln in raw_text.splitlines() if ln.strip()]
    head = lines[:HEADER_LINES]
    tail = lines[max(HEADER_LINES, len(lines) - FOOTER_LINES):]
    foot = [ln for ln in tail if len(ln.strip()) <= SHORT_LINE]
    return head + foot


def date_from_text(raw_text: str, *, rules: DateRules | None = None) -> date | None:
    """The publication date read from the header/byline lines of a raw text."""
    rules = rules or load_rules()
    for ln in header_lines(raw_text):
        found = date_in_line(ln, rules=rules)
        if found is not None:
            return found
    return None


# -- headline -------------------------------------------------------------------

_BYLINE_START = re.compile(
    r"^(?:par|by|von|por|di|redige par|ecrit par|written by|posted by|publie par)\s", re.I)
_LINKISH = re.compile(r"https?://|www\.|@\w|\[email")


def is_meta_line(line: str, *, rules: DateRules | None = None) -> bool:
    """A short byline or date line ("Par X", "Publié le 3 mars 2024", "2026-01-28 par X")."""
    n = fold(line)
    if len(n) > SHORT_LINE:
        return False
    if _BYLINE_START.match(n):
        words = len(n.split())
        if words <= 10 and (words <= 5 or n.rstrip(" »\"')")[-1:] not in ".!?"):
            return True
    rules = rules or load_rules()
    if rules.upd_any.search(n) and _DIGIT.search(n):
        return True
    return date_in_line(line, rules=rules, long_ok=False) is not None


def headline_like(line: str) -> bool:
    """Whether a line could be a headline: a few words, no final period, no byline/date."""
    t = line.strip()
    words = len(t.split())
    if not (12 <= len(t) <= 250 and 3 <= words <= 40):
        return False
    if t[-1] in ".:;,|" and not t.endswith("..."):
        return False
    if not (t[0].isalnum() or t[0] in "«\"“'‘¿¡["):
        return False
    if t.split()[0].islower():  # a wrapped fragment or a sentence tail, not a headline ("iPhone" is fine)
        return False
    if t.isupper() and words < 5:
        return False
    if _LINKISH.search(t):
        return False
    return not is_meta_line(t)


def detect_title(cleaned: Cleaned, *, max_lines: int = 12) -> str | None:
    """The headline among the first kept lines, or ``None`` when the text opens with a paragraph."""
    for d in cleaned.lines[:max_lines]:
        if not d.keep:
            continue
        if d.reason == "headline":
            return d.text.strip()
        if is_meta_line(d.text):
            continue
        return d.text.strip() if headline_like(d.text) else None
    return None


# -- language ---------------------------------------------------------------------

_IDENTIFIER = None


def _identifier():
    global _IDENTIFIER
    if _IDENTIFIER is None:
        from py3langid import langid

        _IDENTIFIER = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    return _IDENTIFIER


def language_sample(text: str, size: int = LANG_SAMPLE) -> str:
    """Up to ``size`` characters taken from the longest lines of ``text``.

    Body paragraphs are the longest lines of a raw article and are kept by the
    clean stage, so the raw text and its cleaned body usually give the same
    sample (and the cached identification is reused).
    """
    lines = [ln.strip() for ln in text.splitlines()]
    longest = sorted((ln for ln in lines if len(ln) >= LANG_MIN_LINE), key=len, reverse=True)
    if not longest:
        return " ".join(ln for ln in lines if ln)[:size]
    out, used = [], 0
    for ln in longest:
        out.append(ln[:size - used])
        used += len(out[-1]) + 1
        if used >= size:
            break
    return "\n".join(out)


@lru_cache(maxsize=256)
def _classify_sample(sample: str) -> tuple[str, float]:
    lang, prob = _identifier().classify(sample)
    return str(lang), round(float(prob), 4)


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and normalised probability; ``("und", 0.0)`` for too little text.

    Only a sample of at most :data:`LANG_SAMPLE` characters (from the longest
    lines) is classified, so the cost does not grow with the article.
    """
    s = (text or "").strip()
    if len(_ALPHA.findall(s[:400])) < MIN_LANG_CHARS:
        return "und", 0.0
    sample = language_sample(s)
    if len(_ALPHA.findall(sample[:400])) < MIN_LANG_CHARS:
        return "und", 0.0
    return _classify_sample(sample)


# -- stage ----------------------------------------------------------------------------

def detect_metadata(raw_text: str, cleaned: Cleaned, *, title: str | None = None,
                    published: str | None = None, html_published: str | None = None,
                    html_title: str | None = None) -> Metadata:
    """Title, publication date (with its source) and language of one article."""
    final_title = (title or "").strip() or (html_title or "").strip() or detect_title(cleaned)
    pub, source = parse_date(published), "input"
    if pub is None:
        pub, source = parse_date(html_published), "html"
    if pub is None:
        pub, source = date_from_text(raw_text or ""), "text"
    if pub is None:
        source = "none"
    lang, score = detect_language(cleaned.body)
    return Metadata(title=final_title or None, published=pub, published_source=source,
                    language=lang, language_score=score)
