"""The per-article driver: raw record in, processed :class:`Article` out, stage by stage.

The stages and their order come from the registry (:mod:`pipeline.stages`).  ``prepare``
runs the ``prepare`` phase (decode, clean, metadata) on one record; ``process_batch`` makes
one ``nlp.pipe`` call for a batch (the ``model`` phase), inside a spaCy memory zone so that
the vocabulary does not grow over a long run (the first texts of a process are tokenized
before the zone, to fill spaCy's bounded tokenizer cache: see ``nlp.TokenizerWarmth``);
``analyse`` runs the ``extract`` phase over each model chunk of the body.

A failure inside a stage never stops the batch: the article gets status ``error`` with
the stage's name and the exception in ``error``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from time import perf_counter

from pipeline.context import Context, ReadGuard, Skip
from pipeline.records import Article, Event, Mention, RawRecord
from pipeline.rulebook import packaged, stage_layers
from pipeline.settings import Settings, load_settings
from pipeline.stages import STAGES, Stage, phase
from pipeline.stages.events import stable_event_id
from pipeline.stages.nlp import DEFAULT_MODEL, pipe_ner, split_for_model, warmth

log = logging.getLogger(__name__)

PREPARE = phase("prepare")
EXTRACT = phase("extract")


@dataclass(frozen=True)
class Config:
    """Everything besides the input that changes an article's output (and so its cache key)."""

    clean_text: bool = True
    #: a TOML file overlaying ``pipeline/defaults.toml`` (``--config``)
    config: Path | None = None
    #: a folder of rule files overlaying ``pipeline/rules`` (``--rules``)
    rules: Path | None = None
    #: wrap each stage's context in a :class:`ReadGuard` (tests): a stage reading an undeclared field fails
    check_reads: bool = False


class Resources:
    """The settings and loaded rules of one :class:`Config`, built once per process."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.settings: Settings = load_settings(cfg.config)
        self._rules: dict[str, object] = {}
        #: CPU-side seconds spent in each stage by this process (and ``nlp`` for the model)
        self.seconds: dict[str, float] = {}

    def take_seconds(self) -> dict[str, float]:
        """The per-stage seconds since the last call (a worker sends them with each batch)."""
        out, self.seconds = self.seconds, {}
        return out

    def rules(self, st: Stage):
        if st.load_rules is None:
            return None
        if st.name not in self._rules:
            self._rules[st.name] = _load_rules(st.name, self.cfg.rules)
        return self._rules[st.name]

    def stage_settings(self, st: Stage):
        return self.settings[st.name] if st.settings is not None else None

    def run_stage(self, st: Stage, ctx: Context) -> None:
        view = ReadGuard(ctx, st.reads, st.name) if self.cfg.check_reads else ctx
        t0 = perf_counter()
        out = st.run(view, self.rules(st), self.stage_settings(st))
        self.seconds[st.name] = self.seconds.get(st.name, 0.0) + perf_counter() - t0
        if self.cfg.check_reads and set(out) != set(st.writes):
            raise AssertionError(f"stage {st.name!r} returned {sorted(out)}, declared writes {sorted(st.writes)}")
        ctx.update(out)


@lru_cache(maxsize=64)
def _load_rules(stage_name: str, overlay: Path | None):
    from pipeline.stages import BY_NAME

    st = BY_NAME[stage_name]
    if overlay is None:
        return packaged(st.load_rules)
    return st.load_rules(stage_layers(st.rules, overlay))


@lru_cache(maxsize=8)
def resources(cfg: Config = Config()) -> Resources:
    return Resources(cfg)


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article after the prepare phase, waiting for the model (or not)."""

    article: Article
    ctx: Context | None = None
    use_model: bool = False


def _fail(article: Article, stage: str, exc: BaseException) -> Article:
    log.warning("article %s: stage %s failed", article.article_id, stage, exc_info=exc)
    return replace(article, status="error", error=f"internal error in stage {stage}: "
                                                   f"{type(exc).__name__}: {exc}"[:500])


def prepare(raw: RawRecord, *, chrome: frozenset[str] = frozenset(), cfg: Config = Config()) -> Prepared:
    """Run the prepare phase (decode, clean, metadata) on one record."""
    res = resources(cfg)
    article = Article(article_id=raw.article_id, source=raw.source, status="ok", encoding=raw.encoding,
                      url=raw.url, notes="; ".join(raw.notes) or None)
    if raw.error:
        return Prepared(replace(article, status="error", error=raw.error))
    ctx = Context(article_id=raw.article_id, raw=raw, chrome=chrome, clean_text=cfg.clean_text,
                  notes=list(raw.notes))
    for st in PREPARE:
        try:
            res.run_stage(st, ctx)
        except Skip as s:
            return Prepared(replace(article, status="skipped", error=str(s)))
        except Exception as exc:  # noqa: BLE001 - recorded on the article's row
            return Prepared(_fail(replace(article, raw_chars=len(getattr(ctx, "text", "") or "")), st.name, exc))
    meta, body = ctx.meta, ctx.body
    article = replace(
        article, raw_chars=len(ctx.text), body=body, body_chars=len(body), lines=ctx.cleaned.lines,
        title=meta.title, published=meta.published.isoformat() if meta.published else None,
        published_source=meta.published_source, language=meta.language,
        language_score=round(meta.language_score, 3), content_hash=body_hash(body),
        notes="; ".join(ctx.notes) or None,
    )
    if not body.strip():
        return Prepared(replace(article, status="skipped", error="no body: every line was boilerplate"), ctx)
    return Prepared(article, ctx, use_model=ctx.language in res.settings.run.model_languages)


def _shift(m, offset: int, article_id: str):
    """A chunk's mention or event moved to its place in the whole body.

    An event's id hashes its span, so it is recomputed on the body's offsets: otherwise two
    chunks with an event at the same place would give the same id.
    """
    if not offset:
        return m
    if isinstance(m, Event):
        start, end = m.start + offset, m.end + offset
        return replace(m, start=start, end=end, event_id=stable_event_id(article_id, start, end, m.event_type))
    return replace(m, start=m.start + offset, end=m.end + offset)


def extract(ctx: Context, res: Resources) -> tuple[list[Mention], list[Event], list[str]]:
    """The extract phase over one body (or one model chunk of it): ``(mentions, events, notes)``."""
    for st in EXTRACT:
        try:
            res.run_stage(st, ctx)
        except Exception as exc:
            exc.add_note(f"frnews stage: {st.name}")
            raise
    mentions: list[Mention] = []
    events: list[Event] = []
    for st in EXTRACT:
        if st.output == "mentions":
            mentions.extend(getattr(ctx, st.writes[0]))
        elif st.output == "events":
            events.extend(getattr(ctx, st.writes[0]))
    mentions.sort(key=lambda m: (m.start, m.end, m.kind))
    return mentions, events, ctx.notes


def _stage_of(exc: BaseException) -> str:
    for note in getattr(exc, "__notes__", ()):
        if note.startswith("frnews stage: "):
            return note.removeprefix("frnews stage: ")
    return "extract"


def analyse(prep: Prepared, docs: Sequence | None, cfg: Config = Config()) -> Article:
    """Run the extract phase; ``docs`` holds one Doc per model chunk, or None (rules only)."""
    article = prep.article
    if article.status != "ok":
        return article
    res = resources(cfg)
    max_chars = res.settings.run.max_model_chars
    chunks = split_for_model(article.body, max_chars)
    notes = [article.notes] if article.notes else []
    if len(chunks) > 1:
        notes.append(f"split into {len(chunks)} chunks of at most {max_chars} characters for the model")
    all_mentions: list[Mention] = []
    all_events: list[Event] = []
    try:
        for i, (offset, chunk) in enumerate(chunks):
            ctx = prep.ctx.chunk(chunk, docs[i] if docs is not None else None)
            ms, evs, ns = extract(ctx, res)
            all_mentions.extend(_shift(m, offset, article.article_id) for m in ms)
            all_events.extend(_shift(e, offset, article.article_id) for e in evs)
            notes.extend(n for n in ns if n not in notes)
    except Exception as exc:  # noqa: BLE001 - recorded on the article's row
        return _fail(article, _stage_of(exc), exc)
    processing = "full" if docs is not None else "rules-only"
    return replace(article, mentions=tuple(all_mentions), events=tuple(all_events), processing=processing,
                   notes="; ".join(notes) or None)


def process_batch(records: Iterable[RawRecord], *, nlp=None, chrome: frozenset[str] = frozenset(),
                  cfg: Config = Config(), batch_size: int | None = None) -> list[Article]:
    """Process a batch of raw records in order; one ``nlp.pipe`` call for the batch."""
    res = resources(cfg)
    run = res.settings.run
    preps = [prepare(r, chrome=chrome, cfg=cfg) for r in records]
    texts: list[str] = []
    owners: list[int] = []
    for i, p in enumerate(preps):
        if p.use_model:
            for _, chunk in split_for_model(p.article.body, run.max_model_chars):
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
            t0 = perf_counter()
            docs = pipe_ner(nlp, inputs, batch_size=batch_size or run.nlp_batch_size,
                            context=run.ner_context)
            for i, doc in zip(owners, docs):
                docs_by_article.setdefault(i, []).append(doc)
            res.seconds["nlp"] = res.seconds.get("nlp", 0.0) + perf_counter() - t0
        for i, p in enumerate(preps):
            out.append(analyse(p, docs_by_article.get(i) if p.use_model else None, cfg))
    return out


#: A short article that goes through every stage (title, byline date, body with an actor,
#: a country, a date, an amount, a sector and an event): processing it loads every rule
#: table, lexicon and model that an article can need.
_WARM_UP_TEXT = ("Un accord de coopération signé\n\nPar la rédaction, le 3 mars 2024\n\n"
                 "Le gouvernement sénégalais et la Banque mondiale ont signé un accord de 20 millions "
                 "d'euros pour les écoles de Dakar, a annoncé lundi le ministre de l'Éducation. "
                 "Le financement couvrira aussi des hôpitaux en 2025.")


def warm_up(model: str = DEFAULT_MODEL, *, chrome: frozenset[str] = frozenset(), cfg: Config = Config()) -> None:
    """Load the model and every lazily loaded table of this process now.

    Called in the parent before a fork-based worker pool starts, so that the
    workers inherit one copy instead of each loading its own.
    """
    from pipeline.stages.nlp import load_nlp

    nlp = load_nlp(model)
    process_batch([RawRecord(article_id="warm-up", source="warm-up", text=_WARM_UP_TEXT)], nlp=nlp,
                  chrome=chrome, cfg=cfg)


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


__all__ = ["Config", "Prepared", "Resources", "STAGES", "analyse", "body_hash", "prepare", "process_batch",
           "resources", "warm_up"]
