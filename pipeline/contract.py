"""The output contract: every table's columns, types, docs and how each cell is filled.

This module is the single source of the output.  From it come the row builders
(:meth:`Table.rows`), the run store's schema and its version (:func:`Contract.digest`:
a hash of the columns, so a changed contract never reads an old store), the CSV and
Parquet writers, the rows of exact duplicates (:meth:`Table.duplicate_row`: columns of
``origin="record"`` are the duplicate's own, the rest are the first copy's) and the
README data dictionary (:meth:`Contract.markdown`, checked by ``tests/test_docs.py``).

Adding a column is one :class:`Column` here plus the code that fills it: a column reads
the attribute of its name from the record (:class:`~pipeline.records.Article`,
``Mention`` or ``Event``), or from the record's ``extra`` pairs (``(("name", value), ...)``),
where a stage can put a new value without touching ``records.py``; ``get`` overrides that.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from operator import attrgetter
from typing import Any


def _attr(name: str) -> Callable[[Any, Any], object]:
    def get(rec, article):
        try:
            return getattr(rec, name)
        except AttributeError:
            return dict(rec.extra).get(name)
    return get


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # string | int | float | bool
    doc: str
    #: ``get(record, article) -> value``; default: the record's attribute (or ``extra`` entry) of this name
    get: Callable[[Any, Any], object] | None = None
    #: articles: ``record`` = from the input record (a duplicate keeps its own), ``content`` = from processing
    origin: str = "content"
    #: how a spreadsheet shows the cell: ``date`` (a full ISO day becomes a real date, any other
    #: value, such as a partial EDTF date, stays text), ``url`` (an ``http(s)`` link), or plain
    kind: str = ""

    def getter(self) -> Callable[[Any, Any], object]:
        return self.get or _attr(self.name)


def _num(value) -> float | None:
    return None if value is None else float(value)


def _joined(name: str) -> Callable[[Any, Any], str]:
    return lambda e, a: "; ".join(getattr(e, name))


def _article_id(rec, article) -> str:
    return article.article_id


def _kept(article, _a) -> int:
    return sum(1 for ln in article.lines if ln.keep)


def _dropped(article, _a) -> int:
    return sum(1 for ln in article.lines if not ln.keep)


def _sectors(article, _a) -> str:
    """The article's sectors (mentions of kind ``sector``) with their score, best first."""
    scores: dict[str, float] = {}
    for m in article.mentions:
        if m.kind == "sector" and m.value not in scores:
            scores[m.value] = float(dict(m.extra).get("score") or 0.0)
    return "; ".join(f"{slug} {score:g}" for slug, score in sorted(scores.items(), key=lambda kv: -kv[1]))


ARTICLES = (
    Column("article_id", "string", "Input id: file name without extension, or the record's `id` (else `file:line`).",
           origin="record"),
    Column("source", "string", "Where the record came from: file path, with `:line` for JSONL/CSV/Parquet rows.",
           origin="record"),
    Column("status", "string", "`ok` (processed), `skipped` (nothing to process, see `error`) or `error`."),
    Column("error", "string", "Why the article was skipped or failed; empty when `status` is `ok`."),
    Column("title", "string", "Headline: given by the input, read from the HTML, or detected in the text."),
    Column("published", "string", "Publication date, ISO 8601 (YYYY-MM-DD).", kind="date"),
    Column("published_source", "string", "Where `published` came from: `input`, `html`, `text`, `text-updated` "
           "(an update date: the page prints no publication date) or `none`."),
    Column("language", "string", "Detected language of the body, ISO 639-1 (`und` when undetermined)."),
    Column("language_score", "float", "Confidence of the language detection, 0 to 1."),
    Column("processing", "string", "`full` (French model + rules) or `rules-only` (language-independent rules: "
                                   "countries by name, dates, money, sectors); empty when not processed."),
    Column("encoding", "string", "Text encoding the input was decoded from (e.g. `utf-8`, `cp1252`).",
           origin="record"),
    Column("url", "string", "URL given by the input, if any.", origin="record", kind="url"),
    Column("raw_chars", "int", "Characters in the raw text (or HTML-extracted text)."),
    Column("body_chars", "int", "Characters in the cleaned body."),
    Column("lines_kept", "int", "Raw lines kept as body by the boilerplate stage.", get=_kept),
    Column("lines_dropped", "int", "Raw lines dropped as boilerplate.", get=_dropped),
    Column("content_hash", "string", "SHA-256 (16 hex) of the cleaned body; equal bodies are duplicates."),
    Column("duplicate_of", "string", "For an exact duplicate body, the `article_id` processed in its place."),
    Column("notes", "string", "Processing notes: truncation for the model, relative dates left out, etc."),
    Column("sectors", "string", "The article's sectors with their score (the sum of their evidence weights), best "
                                "first: `education 15.75; environment 2`; raise the threshold on the score to keep "
                                "the main topics only (evidence: `mentions` of kind `sector` and `sector_hit`).",
           get=_sectors),
    Column("body", "string", "The cleaned article text; every mention's `start`/`end` slice it."),
)

MENTIONS = (
    Column("article_id", "string", "The article the mention is in.", get=_article_id),
    Column("kind", "string", "`actor`, `country`, `region`, `date`, `money`, `sector` (a keyword hit of one of the "
                            "article's sectors) or `sector_hit` (a keyword hit of a sector whose score is too low "
                            "or that is only a passing mention)."),
    Column("text", "string", "The mention as written in `body`."),
    Column("start", "int", "Start offset (characters) in `body`."),
    Column("end", "int", "End offset (exclusive) in `body`; `body[start:end] == text`."),
    Column("value", "string", "Normalised value: actor canonical name or `GOV:XX`; ISO 3166-1 alpha-2; region "
                              "slug; EDTF date; `<amount> <ISO 4217>`; sector slug."),
    Column("actor_type", "string", "Actors: `PER`, `GOV`, `IGO` or `ORG`."),
    Column("country", "string", "Actors: ISO alpha-2 of the actor's country when the text ties one."),
    Column("role", "string", "Persons: role from an apposition (\"ministre rwandaise des TIC\")."),
    Column("alpha3", "string", "Countries: ISO 3166-1 alpha-3."),
    Column("name_fr", "string", "Countries: French name (CLDR)."),
    Column("name_en", "string", "Countries: English name (CLDR)."),
    Column("date_start", "string", "Dates: first day covered, ISO 8601.", kind="date"),
    Column("date_end", "string", "Dates: last day covered, ISO 8601.", kind="date"),
    Column("amount", "float", "Money: the amount as a number (lower bound of a range).",
           get=lambda m, a: _num(m.amount)),
    Column("amount_max", "float", "Money: upper bound of a range (\"entre 10 et 20 millions\").",
           get=lambda m, a: _num(m.amount_max)),
    Column("currency", "string", "Money: ISO 4217 code."),
    Column("approx", "bool", "Money: the amount is approximate (\"près de\", \"environ\", \"plus de\")."),
    Column("per", "string", "Money: the amount is a rate, per these units (\"an; agence\")."),
    Column("keyword", "string", "Sectors: the lexicon keyword that triggered the sector."),
    Column("weight", "float", "Sectors: evidence weight of this keyword hit (headline, lede, label line, name, repeat: "
                              "`pipeline/rules/sectors/README.md`)."),
    Column("score", "float", "Sectors: the article's score of this sector, the sum of its hits' weights; `sector` "
                             "rows have `score` >= `[sectors] min_score` (raise it to be stricter) and are a topic "
                             "of the article (`[sectors] topic_share`, two keywords, a list of domains or a "
                             "topic cue)."),
    Column("rule", "string", "Id of the rule or model that produced the mention (e.g. `ner+repair`, "
                             "`countries.demonym`, `money.scale.milliard`)."),
)

EVENTS = (
    Column("event_id", "string", "Stable id: hash of article id, sentence span and type (same across runs)."),
    Column("article_id", "string", "The article the event is in.", get=_article_id),
    Column("event_type", "string", "PLOVER root category (AGREE, COOPERATE, CONSULT, AID, ...)."),
    Column("sentence", "string", "The sentence reporting the event."),
    Column("start", "int", "Start offset of the sentence in the article `body`."),
    Column("end", "int", "End offset of the sentence in the article `body`."),
    Column("date", "string", "EDTF date of the event.", kind="date"),
    Column("date_source", "string", "`text` (a date in the sentence) or `published` (publication date used)."),
    Column("actors", "string", "Actors in the sentence (canonical names / `GOV:XX`), joined by `; `.", get=_joined("actors")),
    Column("countries", "string", "ISO alpha-2 codes in the sentence, joined by `; `.", get=_joined("countries")),
    Column("sectors", "string", "Sector slugs in the sentence, joined by `; `.", get=_joined("sectors")),
    Column("money", "string", "Money values (`<amount> <ISO 4217>`) in the sentence, joined by `; `.", get=_joined("money")),
    Column("trigger", "string", "The words that triggered the event."),
    Column("rule", "string", "Id of the trigger rule."),
    Column("source_actors", "string", "Actors that act (the clause's subject, the passive's \"par\" agent), "
                                      "joined by `; `; a part of `actors`."),
    Column("target_actors", "string", "Actors acted on (object, passive subject, \"à\" / \"avec\" / \"contre\" "
                                      "complement), joined by `; `; a part of `actors`."),
    Column("polarity", "string", "`affirmed` or `negated` (\"n'a pas signé\")."),
    Column("modality", "string", "`asserted`, `reported` (\"selon\", \"aurait\"), `planned` (future, \"prévoit de\"), "
                                 "`possible` (conditional, \"pourrait\", \"envisage\") or `requested` (\"appelle à …\"). "
                                 "Only affirmed asserted or reported events count in `frnews eval`."),
    Column("cluster_id", "string", "The same real event across articles: shared by the events of the dump that "
                                   "report it (see the `clusters` table); filled by the `clusters` post-pass."),
)

CLUSTERS = (
    Column("cluster_id", "string", "Id of the cluster: a hash of its earliest-id event (the same in every run)."),
    Column("event_type", "string", "PLOVER root shared by the cluster's events."),
    Column("date_first", "string", "Earliest event date in the cluster (ISO 8601 / EDTF)."),
    Column("date_last", "string", "Latest event date in the cluster."),
    Column("actors", "string", "Actors of its events, most reported first, joined by `; `."),
    Column("countries", "string", "Countries of its events, most reported first, joined by `; `."),
    Column("n_events", "int", "Events in the cluster."),
    Column("n_articles", "int", "Articles reporting it."),
    Column("n_sources", "int", "Distinct sources reporting it (the URL's site, else the input file)."),
    Column("first_seen", "string", "Earliest publication date of an article reporting it."),
    Column("article_ids", "string", "The articles reporting it, joined by `; `."),
)



@dataclass(frozen=True)
class Table:
    """One output table: its columns and the records its rows come from."""

    name: str
    columns: tuple[Column, ...]
    #: which records give the rows: ``articles`` (one per article), ``mentions``, ``events``, or
    #: ``dump`` (rows written for the whole dump by a post-pass, none per article)
    records: str

    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @cached_property
    def _row(self) -> Callable[[Any, Any], tuple]:
        """One row from a record: the plain attribute columns read at once (``attrgetter``, in
        C), then the columns with a ``get``; a record lacking an attribute (a column filled from
        ``extra``) falls back to each column's getter."""
        cols = self.columns
        plain = [i for i, c in enumerate(cols) if c.get is None]
        custom = [(i, c.get) for i, c in enumerate(cols) if c.get is not None]
        fetch = attrgetter(*(cols[i].name for i in plain)) if plain else (lambda rec: ())
        single = len(plain) == 1
        slow = [c.getter() for c in cols]

        def row(rec, article) -> tuple:
            try:
                values = fetch(rec)
            except AttributeError:
                return tuple(g(rec, article) for g in slow)
            out = [None] * len(cols)
            for i, v in zip(plain, (values,) if single else values):
                out[i] = v
            for i, g in custom:
                out[i] = g(rec, article)
            return tuple(out)

        return row

    def rows(self, article) -> list[tuple]:
        """The rows one :class:`~pipeline.records.Article` contributes to this table."""
        row = self._row
        if self.records == "articles":
            return [row(article, article)]
        if self.records == "dump":
            return []
        return [row(r, article) for r in getattr(article, self.records)]

    def duplicate_row(self, first: tuple, own: tuple, first_id: str, note: str) -> tuple:
        """An exact duplicate's articles row: the first copy's values, its own ``origin="record"``
        columns, ``duplicate_of`` the first copy (or the one it duplicates) and ``notes`` ``note``."""
        out = []
        for c, f, o in zip(self.columns, first, own):
            if c.name == "duplicate_of":
                out.append(f or first_id)
            elif c.name == "notes":
                out.append(note)
            else:
                out.append(o if c.origin == "record" else f)
        return tuple(out)


@dataclass(frozen=True)
class Contract:
    tables: dict[str, Table] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    def __iter__(self):
        return iter(self.tables)

    def digest(self) -> str:
        """Hash of every table's columns and types: the run store's schema version."""
        spec = "|".join(f"{t.name}:" + ",".join(f"{c.name}/{c.type}" for c in t.columns)
                        for t in self.tables.values())
        return hashlib.sha256(spec.encode()).hexdigest()[:16]

    def with_column(self, table: str, column: Column) -> Contract:
        """A copy with one more column at the end of ``table`` (tests, extensions)."""
        t = self.tables[table]
        return Contract({**self.tables, table: replace(t, columns=(*t.columns, column))})

    def markdown(self) -> str:
        """The data dictionary as Markdown (pasted into README.md; checked by tests/test_docs.py)."""
        out = []
        for name, t in self.tables.items():
            out.append(f"### `{name}`\n\n| column | type | meaning |\n| --- | --- | --- |")
            out.extend(f"| `{c.name}` | {c.type} | {c.doc} |" for c in t.columns)
            out.append("")
        return "\n".join(out)


CONTRACT = Contract({
    "articles": Table("articles", ARTICLES, "articles"),
    "mentions": Table("mentions", MENTIONS, "mentions"),
    "events": Table("events", EVENTS, "events"),
    "clusters": Table("clusters", CLUSTERS, "dump"),
})


if __name__ == "__main__":
    print(CONTRACT.markdown())
