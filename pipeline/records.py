"""Typed records passed between stages.

Hot-path records are frozen, slotted dataclasses; pydantic is used only at the
edges (rule files, settings, output checks).  Every extracted value carries its
character offsets into the cleaned ``body`` and the id of the rule (or model)
that produced it, so that ``frnews explain`` can show why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One input record as read from disk, before any processing.

    ``error`` is set by a reader that could not decode the record (malformed
    JSON line, binary file...); such a record is written to the articles table
    with status ``error`` and never reaches the other stages.
    """

    article_id: str
    source: str
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    encoding: str | None = None
    error: str | None = None
    #: what the reader repaired in this record (NULs removed, broken surrogates replaced...)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LineDecision:
    """The boilerplate verdict on one raw line (``index`` is 0-based)."""

    index: int
    text: str
    keep: bool
    reason: str
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Output of the clean stage: the body text and the verdict per raw line.

    ``body`` is the kept lines joined by a blank line ("\\n\\n"); ``offsets``
    gives, for each kept line, its ``(raw_index, body_start)``.
    """

    body: str
    lines: tuple[LineDecision, ...]
    offsets: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Metadata:
    """Title, publication date and language of one article."""

    title: str | None
    published: date | None
    published_source: str  # input | html | text | text-updated | none
    language: str  # ISO 639-1 code, or "und"
    language_score: float = 0.0


@dataclass(frozen=True, slots=True)
class Mention:
    """One extracted value with its span in ``body``.

    Only the fields that apply to ``kind`` are filled:

    - actor: ``value`` canonical name (or ``GOV:XX``), ``actor_type`` (PER, GOV,
      IGO, ORG), ``country``, ``role``.
    - country: ``value`` ISO 3166-1 alpha-2, ``alpha3``, ``name_fr``, ``name_en``.
    - region: ``value`` a region slug (``africa``, ``maghreb``, ``eu``...).
    - date: ``value`` EDTF, ``date_start`` / ``date_end`` ISO days.
    - money: ``value`` "<amount> <ISO 4217>", ``amount``, ``currency`` and
      ``amount_max`` / ``approx`` / ``per`` for ranges, approximations, rates.
    - sector: ``value`` sector slug, ``keyword`` the lexicon entry matched.
    """

    kind: str
    text: str
    start: int
    end: int
    value: str
    rule: str
    actor_type: str | None = None
    country: str | None = None
    role: str | None = None
    alpha3: str | None = None
    name_fr: str | None = None
    name_en: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    amount: Decimal | None = None
    amount_max: Decimal | None = None
    currency: str | None = None
    approx: bool | None = None
    per: str | None = None
    keyword: str | None = None
    #: values for contract columns that have no field here: ``(("column", value), ...)``
    extra: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    """One event: a sentence reporting an action, typed with a PLOVER root."""

    event_id: str
    article_id: str
    event_type: str
    sentence: str
    start: int
    end: int
    trigger: str
    rule: str
    date: str | None = None
    date_source: str | None = None  # text | published | None
    actors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    money: tuple[str, ...] = ()
    #: values for contract columns that have no field here: ``(("column", value), ...)``
    extra: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """A processed article: what the three output tables are written from."""

    article_id: str
    source: str
    status: str  # ok | skipped | error
    error: str | None = None
    title: str | None = None
    published: str | None = None
    published_source: str = "none"
    language: str = "und"
    language_score: float = 0.0
    processing: str | None = None  # full | rules-only | None (not processed)
    encoding: str | None = None
    url: str | None = None
    body: str = ""
    raw_chars: int = 0
    body_chars: int = 0
    content_hash: str | None = None
    duplicate_of: str | None = None
    notes: str | None = None
    lines: tuple[LineDecision, ...] = ()
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = field(default=())
    #: values for contract columns that have no field here: ``(("column", value), ...)``
    extra: tuple[tuple[str, object], ...] = ()
