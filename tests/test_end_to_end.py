"""End to end over corpus/: the three tables, their columns, and their invariants."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from pipeline.contract import CONTRACT as TABLES
from pipeline.runner import RunOptions, run
from pipeline.write import iter_csv_rows

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, corpus_dir):
    out = tmp_path_factory.mktemp("e2e")
    res = run(RunOptions(inputs=(corpus_dir,), out=out, workers=1, progress="none"))
    return out, res


def test_every_corpus_article_has_one_ok_row(outputs, corpus_dir):
    out, res = outputs
    rows = list(iter_csv_rows(out / "articles.csv"))
    ids = sorted(p.stem for p in corpus_dir.glob("*.txt"))
    assert sorted(r["article_id"] for r in rows) == ids
    assert {r["status"] for r in rows} == {"ok"}
    assert res.counts == {"ok": len(ids)}
    assert all(r["processing"] == "full" and r["language"] == "fr" for r in rows)
    assert all(int(r["body_chars"]) > 500 and int(r["lines_dropped"]) >= 0 for r in rows)


@pytest.mark.parametrize("table", list(TABLES))
def test_columns_match_the_contract_in_csv_and_parquet(outputs, table):
    out, _ = outputs
    with open(out / f"{table}.csv", encoding="utf-8-sig") as fh:
        header = fh.readline().strip().split(",")
    assert header == TABLES[table].names()
    assert pq.read_table(out / f"{table}.parquet").column_names == TABLES[table].names()


def test_mentions_slice_the_body_and_cover_every_kind(outputs):
    out, _ = outputs
    bodies = {r["article_id"]: r["body"] for r in pq.read_table(out / "articles.parquet").to_pylist()}
    mentions = pq.read_table(out / "mentions.parquet").to_pylist()
    assert mentions
    for m in mentions:
        assert bodies[m["article_id"]][m["start"]:m["end"]] == m["text"], m
    kinds = {m["kind"] for m in mentions}
    assert {"actor", "country", "date", "money", "sector"} <= kinds
    countries = {m["value"] for m in mentions if m["kind"] == "country"}
    assert all(len(c) == 2 and c.isupper() for c in countries)
    assert {"RW", "MA", "GB"} <= countries


def test_events_are_typed_sentences_of_the_body(outputs):
    out, _ = outputs
    bodies = {r["article_id"]: r["body"] for r in pq.read_table(out / "articles.parquet").to_pylist()}
    events = pq.read_table(out / "events.parquet").to_pylist()
    assert events
    plover = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
              "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    for e in events:
        assert e["event_type"] in plover
        assert bodies[e["article_id"]][e["start"]:e["end"]] == e["sentence"]
        assert e["date_source"] in (None, "text", "published")
    assert len({e["event_id"] for e in events}) == len(events)


def test_event_ids_are_stable_across_runs(outputs, tmp_path, corpus_dir):
    out, _ = outputs
    run(RunOptions(inputs=(corpus_dir,), out=tmp_path, workers=1, progress="none", force=True))
    first = [r["event_id"] for r in iter_csv_rows(out / "events.csv")]
    second = [r["event_id"] for r in iter_csv_rows(tmp_path / "events.csv")]
    assert first == second


def test_manifest(outputs):
    import json

    out, _ = outputs
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["model"] == "fr_core_news_md" and manifest["status_counts"] == {"ok": 5}
    assert manifest["rules_hash"] and manifest["spacy"].startswith("3.8")
    timings = manifest["timings"]
    assert set(timings) == {"prepass", "process", "postpass", "export", "xlsx", "report"}
    assert all(v >= 0 for v in timings.values())
    assert sum(timings.values()) <= manifest["seconds"] + 0.01
