"""Metadata stage: title, publication date and language of one article.

Precedence is *given* > *html* > *text*:

- title: the ``title`` input, else the title found in the HTML, else the headline
  the clean stage chose (the best headline-like line just above the article's main
  run of paragraphs; ``None`` when there is none: never a wrong line on purpose);
- published: the ``published`` input (source ``input``), else the HTML date
  (``html``), else a date printed in the zone around that headline (the date line,
  the byline, the dateline: ``text``), else an update date printed there ("Mis à
  jour le", "Updated": ``text-updated``), else ``None`` (``none``).  A date must be
  introduced by a publication cue ("Publié le", "Posted on"), sit on a byline/date
  line, or open the line; a teaser's, a comment's or a footer's date lies outside
  the zone.  A page without a headline falls back to its first and short last lines;
- language: py3langid over a sample of the cleaned body.

Month/weekday names and date cues are data: ``pipeline/rules/metadata/`` (loaded and
matched by :mod:`pipeline.text.datelines`, which the clean stage shares).  Dates are read
with precompiled regexes and the month table; no free-text date search is ever run over
an article.  Thresholds: the ``[metadata]`` table of ``pipeline/defaults.toml``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.records import Cleaned, Metadata
from pipeline.rulebook import Layers
from pipeline.settings import StageSettings, or_defaults
from pipeline.text import datelines, language, lines
from pipeline.text.datelines import METADATA_DIR, CalendarRow, CueRow, DateHit, DateRules  # noqa: F401
from pipeline.text.fold import fold_words

__all__ = ["CalendarRow", "CueRow", "DateHit", "DateRules", "METADATA_DIR", "Settings", "date_from_text",
           "date_in_line", "date_on_page", "detect_language", "detect_metadata", "detect_title", "header_lines",
           "headline_like", "is_meta_line", "load_rules", "parse_date", "run"]




class Settings(StageSettings):
    """``[metadata]``: where the date is looked for, the title window, the language sample."""

    #: non-empty raw lines at the top that are header candidates for the date
    header_lines: int
    #: non-empty raw lines at the end that are footer candidates (short ones only)
    footer_lines: int
    #: a header line longer than this is a paragraph: only a cue-introduced date counts
    short_line: int
    #: non-empty lines above the headline searched for the publication date
    zone_before: int
    #: non-empty lines below the headline searched for the publication date
    zone_after: int
    #: ... up to this many paragraphs of the body (kept lines longer than short_line)
    zone_paragraphs: int
    #: away from the headline, a date line with another date this few non-empty lines away is a list item
    list_gap: int
    #: kept lines at the top searched for the headline (title)
    title_max_lines: int
    #: characters sampled for language identification (taken from the longest lines)
    lang_sample_chars: int
    #: lines shorter than this are left out of the language sample (unless all are)
    lang_min_line: int
    #: fewer letters than this: the language is "und"
    lang_min_letters: int


def load_rules(rules_dir: Path | Layers = METADATA_DIR) -> DateRules:
    """Load and validate the calendar and the date cues (cached for the packaged folder)."""
    return datelines.load_date_rules(rules_dir)


# -- dates ----------------------------------------------------------------------

def date_in_line(line: str, *, rules: DateRules | None = None, long_ok: bool = True,
                 settings: Settings | None = None) -> date | None:
    """The publication date stated on one header/byline line (see :mod:`pipeline.text.datelines`)."""
    return datelines.date_in_line(line, rules or load_rules(), short_line=or_defaults("metadata", settings).short_line,
                                  long_ok=long_ok)


def parse_date(value: str | None, *, rules: DateRules | None = None) -> date | None:
    """A date from an input/HTML value: ISO first, else any date written in it."""
    return datelines.parse_date(value, rules or load_rules())


def header_lines(raw_text: str, settings: Settings | None = None) -> list[str]:
    """Header candidates (first non-empty lines), then short footer lines."""
    s = or_defaults("metadata", settings)
    found = [ln for ln in raw_text.splitlines() if ln.strip()]
    head = found[:s.header_lines]
    tail = found[max(s.header_lines, len(found) - s.footer_lines):]
    foot = [ln for ln in tail if len(ln.strip()) <= s.short_line]
    return head + foot


def date_near_headline(raw_text: str, cleaned: Cleaned, *, rules: DateRules | None = None,
                       settings: Settings | None = None, lang: str | None = None) -> tuple[date | None, str, int | None]:
    """The publication date printed near the headline: ``(date, source, raw line index)``.

    The zone is the ``zone_before`` non-empty lines above the headline the clean stage chose
    and the ``zone_after`` below it, up to the ``zone_paragraphs``-th paragraph of the body (a kept
    line longer than ``short_line``; a standfirst and a photo caption may come first): the date line,
    the byline and the dateline sit there, while teasers, comments and footers (with their
    own dates) do not; a line above the headline right under another headline-like line (a
    teaser's date; not the headline printed twice) does not count.  Below the headline first, nearest first; an update date ("Mis à
    jour le", "Updated") only when no other date is printed (source ``text-updated``).
    A date line opening with a weekday name among the page's top ``header_lines`` lines may be
    the site's date of the day (a banner): an earlier date further in the zone is preferred to it.
    Without a headline the zone is around the first kept line.  ``(None, "none", None)``
    without a date in the zone.  ``lang``: the page's language, which orders numeric dates
    with a two-digit year (:func:`~pipeline.text.datelines.reads_month_first`).
    """
    rules = rules or load_rules()
    s = or_defaults("metadata", settings)
    decisions = cleaned.lines
    head = next((k for k, d in enumerate(decisions) if d.reason == "headline"), None)
    if head is None:  # no headline: the zone is around the article's first kept line
        head = next((k for k, d in enumerate(decisions) if d.keep), None)
    if head is None:
        return None, "none", None
    raw = raw_text.splitlines()
    after, paragraphs = [], 0
    for d in decisions[head + 1:head + 1 + s.zone_after]:
        after.append(d.index)
        if d.keep and len(d.text) >= s.short_line:
            paragraphs += 1
            if paragraphs >= s.zone_paragraphs:
                break
    before = []
    for k in range(head - 1, max(-1, head - 1 - s.zone_before), -1):
        # a date right under another headline-like line is that story's (a teaser's)
        above = decisions[k - 1].text if k > 0 else ""
        if above.strip() != decisions[head].text.strip() and lines.headline_like(above, rules, short_line=s.short_line):
            continue
        before.append(decisions[k].index)
    updated = banner = None
    top = {d.index for d in decisions[:s.header_lines]}
    for idx in [decisions[head].index, *after, *before]:
        for value, kind in datelines.line_dates(raw[idx], rules, short_line=s.short_line, lang=lang):
            if kind == "updated":
                updated = updated or (value, "text-updated", idx)
            elif banner is not None:  # past the site's date of the day: an earlier date is the article's
                if value < banner[0]:
                    return value, "text", idx
            elif kind == "date" and idx in top and datelines.weekday_led(raw[idx], rules):
                banner = (value, "text", idx)
            else:
                return value, "text", idx
    return banner or updated or (None, "none", None)


def date_from_text(raw_text: str, *, rules: DateRules | None = None,
                   settings: Settings | None = None, lang: str | None = None) -> date | None:
    """The publication date read from the header/byline lines of a raw text."""
    rules = rules or load_rules()
    s = or_defaults("metadata", settings)
    for ln in header_lines(raw_text, s):
        for value, kind in datelines.line_dates(ln, rules, short_line=s.short_line, lang=lang):
            if kind != "updated":
                return value
    return None


def date_on_page(raw_text: str, cleaned: Cleaned | None = None, *, rules: DateRules | None = None,
                 settings: Settings | None = None, lang: str | None = None) -> tuple[date | None, str, int | None]:
    """The publication date when the zone around the headline prints none: ``(date, source, raw line index)``.

    Only lines with a four-digit year or a numeric date are read.  The first date a
    publication cue introduces anywhere on the page ("Veröffentlicht am",
    "DATE :"), else the first date line (a short line the date opens, stamps or fills) above
    the body's last paragraph (below it: comments, signatures, footers, each with its own
    date), else the first update date (source ``text-updated``).  A date line among the
    page's top ``header_lines`` lines that opens with a weekday name is the site's date of the
    day (a banner); a line opening with a full stop or a comma, or right after a line ending
    with an ``other`` cue ("Archived from the original" / "on 2019-11-05."), is the tail of a
    citation: neither counts.  ``(None, "none", None)`` when the page prints no such date.
    """
    rules = rules or load_rules()
    s = or_defaults("metadata", settings)
    paragraphs = [d.index for d in (cleaned.lines if cleaned else ()) if d.keep and len(d.text) >= s.short_line]
    last = paragraphs[-1] if paragraphs else None
    updated = None
    dated: list[tuple[int, date, int, bool]] = []  # (non-empty line number, date, raw index, may be the article's)
    seen, prev = 0, ""
    for idx, line in enumerate(raw_text.splitlines()):
        if not line.strip():
            continue
        seen += 1
        found = datelines.line_dates(line, rules, short_line=s.short_line, lang=lang) \
            if datelines.YEARISH.search(line, 0, 140) else []
        before, prev = prev, line
        if not found or rules.other_end.search(fold_words(before)):
            continue
        for value, kind in found:
            if kind == "published":
                return value, "text", idx
        if updated is None and found[0][1] == "updated":
            updated = (found[0][0], "text-updated", idx)
        value = next((v for v, k in found if k == "date"), None)
        if value is not None:
            ok = not (line.lstrip()[:1] in ".,;:)" or (last is not None and idx > last)
                      or (seen <= s.header_lines and datelines.weekday_led(line, rules)))
            dated.append((seen, value, idx, ok))
    for k, (pos, value, idx, ok) in enumerate(dated):
        # another date a few lines away: a list (teasers, comments, an archive), each item with its date
        near = [v for p, v, _, _ in dated[max(0, k - 1):k + 2] if 0 < abs(p - pos) <= s.list_gap and v != value]
        if ok and not near:
            return value, "text", idx
    return updated or (None, "none", None)


# -- headline -------------------------------------------------------------------

def is_meta_line(line: str, *, rules: DateRules | None = None, settings: Settings | None = None) -> bool:
    """A short byline or date line ("Par X", "Publié le 3 mars 2024", "2026-01-28 par X")."""
    return lines.is_meta_line(line, rules or load_rules(), short_line=or_defaults("metadata", settings).short_line)


def headline_like(line: str, *, rules: DateRules | None = None, settings: Settings | None = None) -> bool:
    """Whether a line could be a headline: a few words, no final period, no byline/date."""
    return lines.headline_like(line, rules or load_rules(), short_line=or_defaults("metadata", settings).short_line)


def detect_title(cleaned: Cleaned, *, rules: DateRules | None = None,
                 settings: Settings | None = None) -> str | None:
    """The headline among the first kept lines, or ``None`` when the text opens with a paragraph."""
    rules = rules or load_rules()
    s = or_defaults("metadata", settings)
    for d in cleaned.lines:
        if d.reason == "headline":
            return d.text.strip()
    for d in cleaned.lines[:s.title_max_lines]:
        if not d.keep:
            continue
        if d.reason == "headline":
            return d.text.strip()
        if lines.is_meta_line(d.text, rules, short_line=s.short_line):
            continue
        return d.text.strip() if lines.headline_like(d.text, rules, short_line=s.short_line) else None
    return None


# -- language ---------------------------------------------------------------------

def detect_language(text: str, *, settings: Settings | None = None) -> tuple[str, float]:
    """ISO 639-1 code and normalised probability of ``text``; ``("und", 0.0)`` for too little text."""
    s = or_defaults("metadata", settings)
    return language.detect_language(text, sample_chars=s.lang_sample_chars, min_line=s.lang_min_line,
                                    min_letters=s.lang_min_letters)


# -- stage ----------------------------------------------------------------------------

def detect_metadata(raw_text: str, cleaned: Cleaned, *, title: str | None = None,
                    published: str | None = None, html_published: str | None = None,
                    html_title: str | None = None, rules: DateRules | None = None,
                    settings: Settings | None = None) -> Metadata:
    """Title, publication date (with its source) and language of one article."""
    rules = rules or load_rules()
    s = or_defaults("metadata", settings)
    final_title = (title or "").strip() or (html_title or "").strip() or detect_title(cleaned, rules=rules,
                                                                                      settings=s)
    lang, score = detect_language(cleaned.body, settings=s)
    pub, source = datelines.parse_date(published, rules), "input"
    if pub is None:
        pub, source = datelines.parse_date(html_published, rules), "html"
    if pub is None:
        pub, source, _ = date_near_headline(raw_text or "", cleaned, rules=rules, settings=s, lang=lang)
    if pub is None and not any(d.reason == "headline" for d in cleaned.lines):
        pub, source = date_from_text(raw_text or "", rules=rules, settings=s, lang=lang), "text"
    if pub is None:
        pub, source, _ = date_on_page(raw_text or "", cleaned, rules=rules, settings=s, lang=lang)
    return Metadata(title=final_title or None, published=pub, published_source=source,
                    language=lang, language_score=score)


def run(ctx, rules: DateRules, settings: Settings) -> dict:
    """Registry stage ``metadata``: the article's :class:`~pipeline.records.Metadata`."""
    raw = ctx.raw
    meta = detect_metadata(ctx.text, ctx.cleaned, title=raw.title, published=raw.published,
                           html_published=ctx.html_published, html_title=ctx.html_title,
                           rules=rules, settings=settings)
    notes = []
    if (raw.published or "").strip() and meta.published_source != "input":
        notes.append(f"published: the input's value {raw.published.strip()[:40]!r} is not a date; "
                     f"{'the date was read from the ' + meta.published_source if meta.published else 'none found'}")
    return {"meta": meta, "published": meta.published, "language": meta.language, "notes": notes}
