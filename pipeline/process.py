"""One article through every stage: raw record in, processed :class:`Article` out.

``prepare`` runs the model-free stages (decode, HTML, clean, metadata);
``analyse`` runs the extraction stages given the spaCy ``Doc`` (or ``None`` for
an article processed by language-independent rules only).  ``process_batch``
ties them together around one ``nlp.pipe`` call, inside a spaCy memory zone so
that the vocabulary does not grow over a long run (the first texts of a process
are tokenized before the zone, to fill spaCy's bounded tokenizer cache: see
``nlp.TokenizerWarmth``).

A failure inside a stage never stops the batch: the article gets status
``error`` with the stage's name and the exception in ``error``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from pipeline import __version__
from pipeline.records import Article, Cleaned, Event, LineDecision, Mention, Metadata, RawRecord
from pipeline.rulebook import rules_hash
from pipeline.stages import actors, clean, countries, dates, events, metadata, money, sectors
from pipeline.stages.nlp import DEFAULT_MODEL, MAX_CHARS, split_for_model, warmth

log = logging.getLogger(__name__)

#: Languages the French model is run on; "und" (too short to tell) counts as French.
MODEL_LANGUAGES = frozenset({"fr", "und"})
#: Bodies longer than this are truncated (the row says so); below it, bodies
#: longer than ``MAX_CHARS`` are split into chunks for the model.
MAX_BODY_CHARS = 1_000_000


def pipeline_version(model: str = DEFAULT_MODEL) -> str:
    """Code version + rules hash + model: part of every incremental-run key."""
    return f"{__version__}+rules.{rules_hash()}+{model}"


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article after the model-free stages, waiting for the model (or not)."""

    article: Article
    cleaned: Cleaned | None = None
    meta: Metadata | None = None

    @property
    def use_model(self) -> bool:
        return (self.article.status == "ok" and self.meta is not None
                and self.meta.language in MODEL_LANGUAGES and bool(self.article.body.strip()))


def _fail(article: Article, stage: str, exc: BaseException) -> Article:
    log.warning("article %s: stage %s failed", article.article_id, stage, exc_info=exc)
    return replace(article, status="error", error=f"internal error in stage {stage}: "
                                                   f"{type(exc).__name__}: {exc}"[:500])


def _plain_lines(text: str) -> Cleaned:
    """The ``--no-clean`` path: every non-empty line is body."""
    lines, offsets, parts, pos = [], [], [], 0
    for i, line in enumerate(text.splitlines()):
        s = line.strip()
        if not s:
            continue
        if parts:
            pos += 2
        lines.append(LineDecision(index=i, text=s, keep=True, reason="no-clean", score=1.0))
        offsets.append((i, pos))
        parts.append(s)
        pos += len(s)
    return Cleaned(body="\n\n".join(parts), lines=tuple(lines), offsets=tuple(offsets))


def prepare(raw: RawRecord, *, chrome: frozenset[str] = frozenset(), clean_text: bool = True) -> Prepared:
    """Decode, extract HTML, remove boilerplate and read metadata."""
    article = Article(article_id=raw.article_id, source=raw.source, status="ok", encoding=raw.encoding,
                      url=raw.url)
    if raw.error:
        return Prepared(replace(article, status="error", error=raw.error))
    html_published = html_title = None
    text = raw.text or ""
    if raw.html and not text.strip():
        try:
            hdoc = clean.html_to_text(raw.html, url=raw.url)
        except Exception as exc:  # noqa: BLE001 - recorded on the article's row
            return Prepared(_fail(article, "html", exc))
        text, html_published, html_title = hdoc.text, hdoc.published, hdoc.title
    if not text.strip():
        return Prepared(replace(article, status="skipped", error="no text: the record is empty"
                                if not raw.html else "no text: the HTML has no main text"))
    notes = []
    if len(text) > MAX_BODY_CHARS:
        notes.append(f"truncated from {len(text)} to {MAX_BODY_CHARS} characters")
        text = text[:MAX_BODY_CHARS]
    article = replace(article, raw_chars=len(text))
    try:
        cleaned = clean.clean(text, chrome=chrome) if clean_text else _plain_lines(text)
    except Exception as exc:  # noqa: BLE001
        return Prepared(_fail(article, "clean", exc))
    try:
        meta = metadata.detect_metadata(text, cleaned, title=raw.title, published=raw.published,
                                        html_published=html_published, html_title=html_title)
    except Exception as exc:  # noqa: BLE001
        return Prepared(_fail(article, "metadata", exc))
    article = replace(
        article, body=cleaned.body, body_chars=len(cleaned.body), lines=cleaned.lines,
        title=meta.title, published=meta.published.isoformat() if meta.published else None,
        published_source=meta.published_source, language=meta.language,
        language_score=round(meta.language_score, 3),
        content_hash=body_hash(cleaned.body), notes="; ".join(notes) or None,
    )
    if not cleaned.body.strip():
        return Prepared(replace(article, status="skipped", error="no body: every line was boilerplate"),
                        cleaned, meta)
    return Prepared(article, cleaned, meta)


STAGE_ORDER = ("countries", "actors", "dates", "money", "sectors", "events")


def extract(article_id: str, body: str, doc, *, published: date | None,
            language: str = "fr") -> tuple[list[Mention], list, list[str]]:
    """Every extraction stage over one body (or one chunk of it).

    Returns ``(mentions, events, notes)``.  ``doc`` is a spaCy Doc over exactly
    ``body``, or ``None`` for language-independent rules only.
    """
    notes: list[str] = []
    found_countries = countries.find_countries(body, doc=doc)
    country_codes = frozenset(m.value for m in found_countries if m.kind == "country")
    found_actors = actors.find_actors(body, doc, countries=found_countries)
    skipped: list[str] = []
    found_dates = dates.find_dates(body, published=published, skipped=skipped)
    if skipped:
        notes.append(f"{len(skipped)} relative date(s) left out: no publication date")
    found_money = money.find_money(body, countries=country_codes, language=language)
    found_sectors = sectors.find_sectors(body, doc)
    mentions = [*found_countries, *found_actors, *found_dates, *found_money, *found_sectors]
    mentions.sort(key=lambda m: (m.start, m.end, m.kind))
    found_events = events.find_events(article_id, body, doc, mentions, published=published)
    return mentions, found_events, notes


def _shift(m, offset: int, article_id: str | None = None):
    """A chunk's mention or event moved to its place in the whole body.

    An event's id hashes its span, so it is recomputed on the body's offsets: otherwise two
    chunks with an event at the same place would give the same id.
    """
    if not offset:
        return m
    if isinstance(m, Event):
        start, end = m.start + offset, m.end + offset
        return replace(m, start=start, end=end,
                       event_id=events.stable_event_id(article_id or m.article_id, start, end, m.event_type))
    return replace(m, start=m.start + offset, end=m.end + offset)


def analyse(prep: Prepared, docs: Sequence | None) -> Article:
    """Run the extraction stages; ``docs`` holds one Doc per model chunk, or None."""
    article = prep.article
    if article.status != "ok":
        return article
    meta = prep.meta
    published = meta.published if meta else None
    chunks = split_for_model(article.body, MAX_CHARS)
    notes = [article.notes] if article.notes else []
    if len(chunks) > 1:
        notes.append(f"split into {len(chunks)} chunks of at most {MAX_CHARS} characters for the model")
    all_mentions: list[Mention] = []
    all_events: list = []
    try:
        for i, (offset, chunk) in enumerate(chunks):
            doc = docs[i] if docs is not None else None
            ms, evs, ns = extract(article.article_id, chunk, doc, published=published,
                                  language=article.language)
            all_mentions.extend(_shift(m, offset) for m in ms)
            all_events.extend(_shift(e, offset, article.article_id) for e in evs)
            notes.extend(n for n in ns if n not in notes)
    except Exception as exc:  # noqa: BLE001 - recorded on the article's row
        return _fail(article, "extract", exc)
    processing = "full" if docs is not None else "rules-only"
    return replace(article, mentions=tuple(all_mentions), events=tuple(all_events), processing=processing,
                   notes="; ".join(notes) or None)


def process_batch(records: Iterable[RawRecord], *, nlp=None, chrome: frozenset[str] = frozenset(),
                  clean_text: bool = True, batch_size: int = 16) -> list[Article]:
    """Process a batch of raw records in order; one ``nlp.pipe`` call for the batch."""
    preps = [prepare(r, chrome=chrome, clean_text=clean_text) for r in records]
    texts: list[str] = []
    owners: list[int] = []
    for i, p in enumerate(preps):
        if p.use_model:
            for _, chunk in split_for_model(p.article.body, MAX_CHARS):
                texts.append(chunk)
                owners.append(i)
    if nlp is None and texts:
        from pipeline.stages.nlp import load_nlp

        nlp = load_nlp()
    out: list[Article] = []
    use_zone = nlp is not None and hasattr(nlp, "memory_zone")
    zone = nlp.memory_zone() if use_zone else _null()
    # outside the zone: the first texts of a process fill spaCy's tokenizer cache
    inputs = warmth(nlp).prepare(nlp, texts) if use_zone and texts else texts
    with zone:
        docs_by_article: dict[int, list] = {}
        if texts:
            for i, doc in zip(owners, nlp.pipe(inputs, batch_size=batch_size)):
                docs_by_article.setdefault(i, []).append(doc)
        for i, p in enumerate(preps):
            out.append(analyse(p, docs_by_article.get(i) if p.use_model else None))
    return out


#: A short article that goes through every stage (title, byline date, body with an actor,
#: a country, a date, an amount, a sector and an event): processing it loads every rule
#: table, lexicon and model that an article can need.
_WARM_UP_TEXT = ("Un accord de coopération signé\n\nPar la rédaction, le 3 mars 2024\n\n"
                 "Le gouvernement sénégalais et la Banque mondiale ont signé un accord de 20 millions "
                 "d'euros pour les écoles de Dakar, a annoncé lundi le ministre de l'Éducation. "
                 "Le financement couvrira aussi des hôpitaux en 2025.")


def warm_up(model: str = DEFAULT_MODEL, *, chrome: frozenset[str] = frozenset(), clean_text: bool = True) -> None:
    """Load the model and every lazily loaded table of this process now.

    Called in the parent before a fork-based worker pool starts, so that the
    workers inherit one copy instead of each loading its own.
    """
    from pipeline.stages.nlp import load_nlp

    nlp = load_nlp(model)
    process_batch([RawRecord(article_id="warm-up", source="warm-up", text=_WARM_UP_TEXT)], nlp=nlp,
                  chrome=chrome, clean_text=clean_text)


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False
