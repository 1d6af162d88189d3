"""Readers: every supported format streams RawRecords; bad data becomes an error record."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from pipeline.stages.read import InputError, decode_bytes, iter_records, list_inputs


def test_txt_id_is_file_name(tmp_path):
    (tmp_path / "a-1.txt").write_text("Bonjour le monde.", encoding="utf-8")
    (rec,) = iter_records([tmp_path])
    assert rec.article_id == "a-1" and rec.text == "Bonjour le monde." and rec.encoding == "utf-8"


def test_folder_is_recursive_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b.txt").write_text("B", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("A", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("C", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert [r.article_id for r in iter_records([tmp_path])] == ["b", "a"]


def test_cp1252_is_detected_and_decoded(tmp_path):
    text = "L’été à Yaoundé, où l’économie accélère : déjà 5 000 entreprises créées cette année."
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1252"))
    (rec,) = iter_records([tmp_path])
    assert rec.error is None
    assert "Yaoundé" in rec.text and "été" in rec.text
    assert rec.encoding and rec.encoding.lower() in {"cp1252", "windows-1252", "latin_1", "iso8859_15",
                                                     "iso-8859-1", "latin-1"}


def test_binary_file_is_an_error_record(tmp_path):
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (rec,) = iter_records([tmp_path])
    assert rec.error == "binary file: not text"


def test_empty_file_gives_an_empty_record(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (rec,) = iter_records([tmp_path])
    assert rec.article_id == "empty" and rec.text == "" and rec.error is None


def test_jsonl_fields_and_malformed_line_named(tmp_path):
    p = tmp_path / "dump.jsonl"
    p.write_text(json.dumps({"id": "x1", "text": "Un texte.", "title": "T", "published": "2025-01-02"}) + "\n"
                 + "{not json\n" + json.dumps({"text": "Sans id."}) + "\n", encoding="utf-8")
    recs = list(iter_records([p]))
    assert [r.article_id for r in recs] == ["x1", "dump:2", "dump:3"]
    assert recs[0].title == "T" and recs[0].published == "2025-01-02"
    assert recs[1].error.startswith(f"malformed JSON at {p}:2")
    assert recs[2].text == "Sans id." and recs[2].error is None


def test_jsonl_gz(tmp_path):
    p = tmp_path / "dump.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g", "html": "<p>Bonjour</p>"}) + "\n")
    (rec,) = iter_records([p])
    assert rec.article_id == "g" and rec.html == "<p>Bonjour</p>"


def test_csv_and_parquet(tmp_path):
    df = pd.DataFrame({"id": ["c1", "c2"], "text": ["Premier, avec virgule.", "Deuxième"], "url": ["u", None]})
    df.to_csv(tmp_path / "d.csv", index=False)
    df.to_parquet(tmp_path / "d.parquet")
    recs = list(iter_records([tmp_path / "d.csv", tmp_path / "d.parquet"]))
    assert [r.article_id for r in recs] == ["c1", "c2", "c1", "c2"]
    assert recs[0].text == "Premier, avec virgule." and recs[3].url is None


def test_html_file_goes_to_html_field(tmp_path):
    (tmp_path / "page.html").write_text("<html><body><p>Texte</p></body></html>", encoding="utf-8")
    (rec,) = iter_records([tmp_path])
    assert rec.html and rec.text is None


def test_missing_and_unsupported_inputs_are_usage_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list_inputs([tmp_path / "nope"])
    (tmp_path / "x.docx").write_bytes(b"PK")
    with pytest.raises(InputError, match="unsupported input type"):
        list_inputs([tmp_path / "x.docx"])


def test_decode_strips_bom():
    text, enc, err = decode_bytes("\ufeffÉté".encode("utf-8"))
    assert (text, enc, err) == ("Été", "utf-8", None)
