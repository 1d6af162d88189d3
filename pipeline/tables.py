"""The output contract: every table's columns, types and one-line docs.

This module is the single source for the writers, the README data dictionary
(checked by ``tests/test_docs.py``) and the end-to-end tests.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # string | int | float | bool
    doc: str


ARTICLES = (
    Column("article_id", "string", "Input id: file name without extension, or the record's `id` (else `file:line`)."),
    Column("source", "string", "Where the record came from: file path, with `:line` for JSONL/CSV/Parquet rows."),
    Column("status", "string", "`ok` (processed), `skipped` (nothing to process, see `error`) or `error`."),
    Column("error", "string", "Why the article was skipped or failed; empty when `status` is `ok`."),
    Column("title", "string", "Headline: given by the input, read from the HTML, or detected in the text."),
    Column("published", "string", "Publication date, ISO 8601 (YYYY-MM-DD)."),
    Column("published_source", "string", "Where `published` came from: `input`, `html`, `text` or `none`."),
    Column("language", "string", "Detected language of the body, ISO 639-1 (`und` when undetermined)."),
    Column("language_score", "float", "Confidence of the language detection, 0 to 1."),
    Column("processing", "string", "`full` (French model + rules) or `rules-only` (language-independent rules: "
                                   "countries by name, dates, money, sectors); empty when not processed."),
    Column("encoding", "string", "Text encoding the input was decoded from (e.g. `utf-8`, `cp1252`)."),
    Column("url", "string", "URL given by the input, if any."),
    Column("raw_chars", "int", "Characters in the raw text (or HTML-extracted text)."),
    Column("body_chars", "int", "Characters in the cleaned body."),
    Column("lines_kept", "int", "Raw lines kept as body by the boilerplate stage."),
    Column("lines_dropped", "int", "Raw lines dropped as boilerplate."),
    Column("content_hash", "string", "SHA-256 (16 hex) of the cleaned body; equal bodies are duplicates."),
    Column("duplicate_of", "string", "For an exact duplicate body, the `article_id` processed in its place."),
    Column("notes", "string", "Processing notes: truncation for the model, relative dates left out, etc."),
    Column("body", "string", "The cleaned article text; every mention's `start`/`end` slice it."),
)

MENTIONS = (
    Column("article_id", "string", "The article the mention is in."),
    Column("kind", "string", "`actor`, `country`, `region`, `date`, `money` or `sector`."),
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
    Column("date_start", "string", "Dates: first day covered, ISO 8601."),
    Column("date_end", "string", "Dates: last day covered, ISO 8601."),
    Column("amount", "float", "Money: the amount as a number (lower bound of a range)."),
    Column("amount_max", "float", "Money: upper bound of a range (\"entre 10 et 20 millions\")."),
    Column("currency", "string", "Money: ISO 4217 code."),
    Column("approx", "bool", "Money: the amount is approximate (\"près de\", \"environ\", \"plus de\")."),
    Column("per", "string", "Money: the amount is a rate, per these units (\"an; agence\")."),
    Column("keyword", "string", "Sectors: the lexicon keyword that triggered the sector."),
    Column("rule", "string", "Id of the rule or model that produced the mention (e.g. `ner+repair`, "
                             "`countries.demonym`, `money.scale.milliard`)."),
)

EVENTS = (
    Column("event_id", "string", "Stable id: hash of article id, sentence span and type (same across runs)."),
    Column("article_id", "string", "The article the event is in."),
    Column("event_type", "string", "PLOVER root category (AGREE, COOPERATE, CONSULT, AID, ...)."),
    Column("sentence", "string", "The sentence reporting the event."),
    Column("start", "int", "Start offset of the sentence in the article `body`."),
    Column("end", "int", "End offset of the sentence in the article `body`."),
    Column("date", "string", "EDTF date of the event."),
    Column("date_source", "string", "`text` (a date in the sentence) or `published` (publication date used)."),
    Column("actors", "string", "Actors in the sentence (canonical names / `GOV:XX`), joined by `; `."),
    Column("countries", "string", "ISO alpha-2 codes in the sentence, joined by `; `."),
    Column("sectors", "string", "Sector slugs in the sentence, joined by `; `."),
    Column("money", "string", "Money values (`<amount> <ISO 4217>`) in the sentence, joined by `; `."),
    Column("trigger", "string", "The words that triggered the event."),
    Column("rule", "string", "Id of the trigger rule."),
)

TABLES: dict[str, tuple[Column, ...]] = {"articles": ARTICLES, "mentions": MENTIONS, "events": EVENTS}


def names(table: str) -> list[str]:
    return [c.name for c in TABLES[table]]


def markdown() -> str:
    """The data dictionary as Markdown (pasted into README.md; checked by tests/test_docs.py)."""
    out = []
    for table, cols in TABLES.items():
        out.append(f"### `{table}`\n\n| column | type | meaning |\n| --- | --- | --- |")
        out.extend(f"| `{c.name}` | {c.type} | {c.doc} |" for c in cols)
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
