"""Incremental runs: only new or changed articles are processed; tables equal one full run."""

from __future__ import annotations

import json
import re
import zipfile

import pyarrow.parquet as pq
import pytest

from pipeline.contract import CONTRACT as TABLES
from pipeline.runner import RunOptions, run

pytestmark = pytest.mark.slow

PARAS = [
    "Le gouvernement sénégalais a signé mardi un accord avec la Banque mondiale pour financer des écoles.",
    "La ministre kényane de la Santé a annoncé un programme de 12 millions de dollars pour les hôpitaux.",
    "Le Maroc et la Tunisie ont conclu un partenariat sur l'énergie solaire le 3 mars 2025 à Rabat.",
    "L'Union africaine a réuni ses membres à Addis-Abeba pour discuter de la sécurité alimentaire.",
    "Une entreprise nigériane lève 5 millions d'euros pour développer les paiements mobiles au Ghana.",
    "Le Cameroun prévoit d'investir 200 milliards de FCFA dans les routes d'ici 2027.",
]


def _write(path, start, n):
    with path.open("a", encoding="utf-8") as fh:
        for i in range(start, start + n):
            text = f"Titre numéro {i} sur l'actualité africaine\n\n{PARAS[i % len(PARAS)]}\n\n" \
                   f"{PARAS[(i + 2) % len(PARAS)]} Paragraphe {i}."
            fh.write(json.dumps({"id": f"art-{i}", "text": text}, ensure_ascii=False) + "\n")


def _tables(out):
    return {t: pq.read_table(out / f"{t}.parquet").to_pylist() for t in TABLES}


def test_second_run_processes_only_new_articles_and_equals_a_single_run(tmp_path):
    dump = tmp_path / "dump.jsonl"
    _write(dump, 0, 6)
    inc = tmp_path / "inc"
    first = run(RunOptions(inputs=(dump,), out=inc, workers=1, progress="none"))
    assert (first.processed, first.cached) == (6, 0)
    _write(dump, 6, 4)
    second = run(RunOptions(inputs=(dump,), out=inc, workers=1, progress="none"))
    assert (second.processed, second.cached) == (4, 6)
    full = tmp_path / "full"
    run(RunOptions(inputs=(dump,), out=full, workers=1, progress="none"))
    assert _tables(inc) == _tables(full)
    for t in TABLES:
        assert (inc / f"{t}.csv").read_bytes() == (full / f"{t}.csv").read_bytes()


def test_changed_article_is_reprocessed_and_removed_one_disappears(tmp_path):
    dump = tmp_path / "dump.jsonl"
    _write(dump, 0, 4)
    out = tmp_path / "out"
    run(RunOptions(inputs=(dump,), out=out, workers=1, progress="none"))
    lines = dump.read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[1])
    rec["text"] += "\n\nLe Japon a promis 3 milliards de yens."
    lines[1] = json.dumps(rec, ensure_ascii=False)
    dump.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")  # drop the last article
    res = run(RunOptions(inputs=(dump,), out=out, workers=1, progress="none"))
    assert (res.processed, res.cached) == (1, 2)
    arts = pq.read_table(out / "articles.parquet").to_pylist()
    assert [a["article_id"] for a in arts] == ["art-0", "art-1", "art-2"]
    money = [m for m in pq.read_table(out / "mentions.parquet").to_pylist() if m["kind"] == "money"]
    assert any(m["currency"] == "JPY" and m["article_id"] == "art-1" for m in money)


def test_force_redoes_everything(tmp_path):
    dump = tmp_path / "dump.jsonl"
    _write(dump, 0, 3)
    out = tmp_path / "out"
    run(RunOptions(inputs=(dump,), out=out, workers=1, progress="none"))
    res = run(RunOptions(inputs=(dump,), out=out, workers=1, progress="none", force=True))
    assert (res.processed, res.cached) == (3, 0)


def test_exact_duplicates_are_processed_once_and_flagged(tmp_path):
    dump = tmp_path / "dump.jsonl"
    _write(dump, 0, 2)
    rec = json.loads(dump.read_text(encoding="utf-8").splitlines()[0])
    rec["id"] = "copy-of-0"
    with dump.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    run(RunOptions(inputs=(dump,), out=out, workers=1, progress="none"))
    arts = {a["article_id"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    assert arts["copy-of-0"]["duplicate_of"] == "art-0" and arts["copy-of-0"]["status"] == "ok"
    assert arts["copy-of-0"]["body"] == arts["art-0"]["body"]
    mentions = pq.read_table(out / "mentions.parquet").to_pylist()
    assert not [m for m in mentions if m["article_id"] == "copy-of-0"]
    assert [m for m in mentions if m["article_id"] == "art-0"]


def test_two_workers_give_the_same_tables_as_one(tmp_path):
    dump = tmp_path / "dump.jsonl"
    _write(dump, 0, 10)
    run(RunOptions(inputs=(dump,), out=tmp_path / "w1", workers=1, batch_size=3, progress="none"))
    run(RunOptions(inputs=(dump,), out=tmp_path / "w2", workers=2, batch_size=3, progress="none"))
    assert _tables(tmp_path / "w1") == _tables(tmp_path / "w2")
    # with 2 workers the workbook and the report come from a side process: the same files
    assert _workbook_parts(tmp_path / "w1") == _workbook_parts(tmp_path / "w2")
    assert _report_text(tmp_path / "w1") == _report_text(tmp_path / "w2")


def _workbook_parts(out):
    """Every part of frnews.xlsx but its creation time."""
    with zipfile.ZipFile(out / "frnews.xlsx") as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _report_text(out):
    """report.html without its 'generated at' minute."""
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "", (out / "report.html").read_text(encoding="utf-8"))


def test_dask_engine_on_a_local_cluster_gives_the_same_tables(tmp_path):
    pytest.importorskip("dask.distributed")
    dump = tmp_path / "dump.jsonl"
    _write(dump, 0, 6)
    run(RunOptions(inputs=(dump,), out=tmp_path / "local", workers=1, batch_size=2, progress="none"))
    run(RunOptions(inputs=(dump,), out=tmp_path / "dask", workers=2, batch_size=2, engine="dask",
                   progress="none"))
    assert _tables(tmp_path / "local") == _tables(tmp_path / "dask")


def test_an_article_reprinted_in_the_dump_is_not_mistaken_for_site_chrome(tmp_path):
    dump = tmp_path / "dump.jsonl"
    _write(dump, 0, 5)
    reprint = {"text": "La Côte d'Ivoire inaugure un nouveau port à San-Pédro\n\n" + PARAS[0] + "\n\n" + PARAS[1]}
    with dump.open("a", encoding="utf-8") as fh:
        for i in range(3):
            fh.write(json.dumps({"id": f"reprint-{i}", **reprint}, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    run(RunOptions(inputs=(dump,), out=out, workers=1, progress="none"))
    arts = {a["article_id"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    assert arts["reprint-0"]["body"].startswith("La Côte d'Ivoire inaugure un nouveau port")
    assert arts["reprint-1"]["duplicate_of"] == "reprint-0"


def test_duplicate_lookups_are_one_index_probe_not_a_walk_over_earlier_rows(tmp_path):
    """Each record asks "earliest earlier row with this hash?": the plan must search the hash
    index (run, hash, seq), not walk every earlier row of the run (quadratic in the dump size)."""
    from pipeline.store import Store

    store = Store(tmp_path / "s.sqlite")
    seen: list[str] = []
    store.db.set_trace_callback(seen.append)
    store.first_with("run", "content_hash", "h", 10)
    store.first_raw("run", "h", 10)
    store.db.set_trace_callback(None)
    lookups = [q for q in seen if q.lstrip().upper().startswith("SELECT")]
    assert len(lookups) == 2
    for q in lookups:
        plan = " ".join(str(r[-1]) for r in store.db.execute("EXPLAIN QUERY PLAN " + q).fetchall())
        assert "hash=? AND seq<?" in plan, plan
    store.close()


def _assert_equal_tables(inc, full):
    got, want = _tables(inc), _tables(full)
    for t in TABLES:
        assert len(got[t]) == len(want[t]), t
        for a, b in zip(got[t], want[t]):
            assert a == b, (t, {k: (a[k], b[k]) for k in a if a[k] != b[k]})
        assert (inc / f"{t}.csv").read_bytes() == (full / f"{t}.csv").read_bytes(), t


def test_provenance_and_copies_follow_the_dump_after_lines_move_and_files_are_renamed(tmp_path):
    """Every column of an incremental run equals a fresh run's: ``source`` (file and line)
    after a line is removed and the dump renamed, and which record is the first copy when
    the first copy leaves the dump or an earlier copy enters it."""
    inp = tmp_path / "in"
    inp.mkdir()
    dump = inp / "monday.jsonl"
    _write(dump, 0, 5)
    lines = dump.read_text(encoding="utf-8").splitlines()
    copy = json.loads(lines[2])
    copy["id"] = "copy-of-art-2"  # an exact copy of art-2's content under another id
    retitled = json.loads(lines[3])
    retitled.update(id="retitled-art-3", title="Un autre titre")  # same body, another raw record
    lines += [json.dumps(copy, ensure_ascii=False), json.dumps(retitled, ensure_ascii=False)]
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "inc"
    run(RunOptions(inputs=(inp,), out=out, workers=1, progress="none"))
    before = {a["article_id"]: a for a in _tables(out)["articles"]}
    assert before["copy-of-art-2"]["duplicate_of"] == "art-2"
    assert before["retitled-art-3"]["duplicate_of"] == "art-3"

    # drop the first line and both first copies; the copies now come first; the file is renamed
    kept = [line for i, line in enumerate(lines) if i not in (0, 2, 3)]
    dump.unlink()
    (inp / "tuesday.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
    res = run(RunOptions(inputs=(inp,), out=out, workers=1, progress="none"))
    assert res.cached == 2 and res.processed == 2  # art-1 and art-4 reused; both copies redone
    full = tmp_path / "full"
    run(RunOptions(inputs=(inp,), out=full, workers=1, progress="none"))
    _assert_equal_tables(out, full)
    arts = {a["article_id"]: a for a in _tables(out)["articles"]}
    assert arts["art-1"]["source"] == f"{inp / 'tuesday.jsonl'}:1"
    assert arts["copy-of-art-2"]["duplicate_of"] is None and arts["copy-of-art-2"]["processing"] == "full"

    # an earlier copy enters the dump again: the later one becomes its copy
    (inp / "sunday.jsonl").write_text(lines[2] + "\n", encoding="utf-8")
    run(RunOptions(inputs=(inp,), out=out, workers=1, progress="none"))
    fresh = tmp_path / "fresh"
    run(RunOptions(inputs=(inp,), out=fresh, workers=1, progress="none"))
    _assert_equal_tables(out, fresh)
    assert {a["article_id"]: a for a in _tables(out)["articles"]}["copy-of-art-2"]["duplicate_of"] == "art-2"
