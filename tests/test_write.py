"""Writers: Excel-safe CSV (BOM, formula injection neutralised), exact Parquet, atomic files."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from pipeline.contract import CONTRACT
from pipeline.write import csv_safe, export_chunks, iter_csv_rows


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+33 1 23", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell):
    out = csv_safe(cell)
    assert out == "'" + cell


@pytest.mark.parametrize("value,expected", [(None, ""), (3, "3"), (1.5, "1.5"), (2.0, "2"), (True, "true"),
                                            ("Texte normal", "Texte normal"), (-4, "-4")])
def test_plain_values(value, expected):
    assert csv_safe(value) == expected


def names(table):
    return CONTRACT[table].names()


def export_table(table, rows, out_dir, **kw):
    """Export dict rows as one chunk of tuples in the table's column order."""
    return export_chunks(CONTRACT[table], [[tuple(r[c] for c in names(table)) for r in rows]], out_dir, **kw)


def _row(**kw):
    row = {c: None for c in names("mentions")}
    row.update(kw)
    return row


def test_export_writes_bom_csv_and_exact_parquet(tmp_path):
    rows = [_row(article_id="a", kind="actor", text="=HYPERLINK(1)", start=0, end=13, value="Élysée", rule="r"),
            _row(article_id="a", kind="money", text="1 dollar", start=20, end=28, value="1 USD", amount=1.0,
                 currency="USD", approx=False, rule="m")]
    n = export_table("mentions", iter(rows), tmp_path)
    assert n == 2
    raw = (tmp_path / "mentions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    got = list(iter_csv_rows(tmp_path / "mentions.csv"))
    assert list(got[0]) == names("mentions")
    assert got[0]["text"] == "'=HYPERLINK(1)" and got[0]["value"] == "Élysée"
    assert got[1]["amount"] == "1" and got[1]["approx"] == "false"
    tbl = pq.read_table(tmp_path / "mentions.parquet").to_pylist()
    assert tbl[0]["text"] == "=HYPERLINK(1)" and tbl[1]["amount"] == 1.0 and tbl[1]["start"] == 20


def test_export_replaces_previous_files_and_leaves_no_temporaries(tmp_path):
    export_table("events", iter([]), tmp_path)
    export_table("events", iter([{c: None for c in names("events")} | {"event_id": "e"}]), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "events.parquet"]
    assert [r["event_id"] for r in iter_csv_rows(tmp_path / "events.csv")] == ["e"]
    assert pq.read_table(tmp_path / "events.parquet").num_rows == 1


def test_empty_table_still_has_schema(tmp_path):
    export_table("articles", iter([]), tmp_path)
    tbl = pq.read_table(tmp_path / "articles.parquet")
    assert tbl.num_rows == 0 and tbl.column_names == names("articles")


def test_stored_booleans_and_chunk_boundaries_give_the_same_files(tmp_path):
    """The run store hands over booleans as 0/1, in chunks: same CSV bytes and Parquet rows as Python
    booleans in one chunk, and Parquet parts of N rows."""
    cols = names("mentions")
    rows = [_row(article_id=f"a{i}", kind="money", text=["=1+1", "+33", "ok", "-x", "@a"][i % 5], start=i,
                 end=i + 3, value="1 EUR", amount=[1.0, 2.5, 1e20, None][i % 4], currency="EUR",
                 approx=[True, False, None][i % 3], rule="m") for i in range(7)]
    export_table("mentions", iter(rows), tmp_path / "dicts", rows_per_part=3)
    stored = [tuple(int(r[c]) if isinstance(r[c], bool) else r[c] for c in cols) for r in rows]
    n = export_chunks(CONTRACT["mentions"], [stored[:4], [], stored[4:]], tmp_path / "chunks", rows_per_part=3)
    assert n == 7
    assert (tmp_path / "dicts" / "mentions.csv").read_bytes() == (tmp_path / "chunks" / "mentions.csv").read_bytes()
    parts = sorted(p.name for p in (tmp_path / "chunks" / "mentions.parquet").iterdir())
    assert parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    got = pq.read_table(tmp_path / "chunks" / "mentions.parquet").to_pylist()
    assert got == pq.read_table(tmp_path / "dicts" / "mentions.parquet").to_pylist()
    assert [r["approx"] for r in got] == [r["approx"] for r in rows]
    csv_rows = list(iter_csv_rows(tmp_path / "chunks" / "mentions.csv"))
    assert [r["text"] for r in csv_rows] == [csv_safe(r["text"]) for r in rows]
    assert [r["amount"] for r in csv_rows] == [csv_safe(r["amount"]) for r in rows]
    assert [r["approx"] for r in csv_rows] == [csv_safe(r["approx"]) for r in rows]
