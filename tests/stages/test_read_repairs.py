"""Readers, round two: what scraped dumps really hold, and what users really name things.

Each case is a record that used to kill the run, drop the rest of its file, or come out
empty or garbled; now it is repaired (and noted) or rejected alone, with its line number.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.read import iter_records, list_inputs
from pipeline.read.readers import looks_binary, sniff_unicode

TEXT = "Le Maroc et le Sénégal ont signé à Dakar un accord de coopération portuaire."


def _lines(path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


# -- 1. lone UTF-16 surrogates ------------------------------------------------------------

def test_a_lone_surrogate_is_replaced_and_noted(tmp_path):
    # json.dumps keeps a lone surrogate as the escape "\ud83d", as broken scrapers write it
    _lines(tmp_path / "feed.jsonl", [json.dumps({"id": "emoji\ud83d", "text": TEXT + " \ud83d fin"}),
                                     json.dumps({"id": "pair", "text": TEXT + " \ud83d\ude00"})])
    bad, pair = iter_records([tmp_path])
    assert bad.article_id == "emoji\ufffd" and bad.text.endswith(" \ufffd fin")
    assert "text: 1 lone UTF-16 surrogate(s) replaced by U+FFFD" in bad.notes
    assert "id: 1 lone UTF-16 surrogate(s) replaced by U+FFFD" in bad.notes
    bad.text.encode("utf-8")  # encodable now
    assert pair.text.endswith(" \U0001F600") and pair.notes == ()  # a valid pair is decoded by json itself


def test_a_file_name_that_is_not_utf8_gives_an_encodable_id(tmp_path):
    name = b"d\xe9p\xeache.txt"  # latin-1 bytes in a file name: Python sees lone surrogates
    try:
        (tmp_path / name.decode("utf-8", "surrogateescape")).write_text(TEXT, encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses non-UTF-8 names")
    (rec,) = iter_records([tmp_path])
    rec.article_id.encode("utf-8")
    rec.source.encode("utf-8")
    assert rec.article_id == "d\ufffdp\ufffdche" and rec.text == TEXT
    assert any(n.startswith("id: ") for n in rec.notes)


# -- 4. odd JSON lines ------------------------------------------------------------------------

def test_odd_json_lines_are_rejected_alone_with_their_line_number(tmp_path):
    path = tmp_path / "odd.jsonl"
    _lines(path, [json.dumps({"id": "a", "text": TEXT}),
                  '{"id": "big", "n": ' + "7" * 5000 + "}",  # over Python's int digit limit
                  '{"id": "deep", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
                  json.dumps({"id": "b", "text": TEXT})])
    recs = list(iter_records([tmp_path]))
    assert [r.article_id for r in recs] == ["a", "odd:2", "odd:3", "b"]
    assert recs[1].error.startswith(f"unreadable JSON at {path}:2: Exceeds the limit")
    assert recs[2].error == f"unreadable JSON at {path}:3: nested too deeply"
    assert recs[0].error is None and recs[3].error is None


def test_non_string_fields_are_errors_or_notes_never_a_python_repr(tmp_path):
    _lines(tmp_path / "types.jsonl", [
        json.dumps({"id": 17, "text": TEXT, "title": 2024}),
        json.dumps({"id": "obj", "text": {"fr": TEXT}}),
        json.dumps({"id": "list", "text": TEXT, "url": ["https://a.example", "https://b.example"]}),
        json.dumps({"id": "flag", "text": TEXT, "published": True}),
    ])
    num, obj, lst, flag = iter_records([tmp_path])
    assert (num.article_id, num.title, num.error) == ("17", "2024", None)
    assert num.notes == ("title: a number in the input (2024), read as text",)
    assert obj.article_id == "obj" and obj.text is None
    assert obj.error == f"bad field at {tmp_path / 'types.jsonl'}:2: 'text' is an object, expected a string"
    assert lst.error.endswith("'url' is a list, expected a string") and lst.article_id == "list"
    assert flag.error.endswith("'published' is a boolean, expected a string")


# -- 8. UTF-16 and UTF-32 ---------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_text_files_are_read_with_or_without_bom(tmp_path, encoding):
    # "utf-16"/"utf-32" write a BOM; the -le/-be forms write none (the NUL pattern tells them)
    (tmp_path / "win.txt").write_bytes(f"{TEXT}\r\nÉté 2025 à Québec.".encode(encoding))
    (rec,) = iter_records([tmp_path])
    assert rec.error is None, rec.error
    assert rec.text.startswith("Le Maroc") and "Été 2025 à Québec." in rec.text
    assert rec.encoding.startswith(encoding.split("-")[0] + "-" + encoding.split("-")[1])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_jsonl_and_csv_keep_their_lines(tmp_path, encoding):
    jl = "".join(json.dumps({"id": f"j{i}", "text": f"{TEXT} ({i})"}, ensure_ascii=False) + "\n" for i in range(3))
    (tmp_path / "a.jsonl").write_bytes(jl.encode(encoding))
    (tmp_path / "b.csv").write_bytes(f'id,text\nc1,"{TEXT}"\nc2,Été à Lyon\n'.encode(encoding))
    recs = list(iter_records([tmp_path]))
    assert [r.article_id for r in recs] == ["j0", "j1", "j2", "c1", "c2"]
    assert all(r.error is None for r in recs), [r.error for r in recs]
    assert recs[2].text.endswith("(2)") and recs[4].text == "Été à Lyon"
    assert recs[2].source.endswith("a.jsonl:3")


def test_sniffing_tells_utf16_from_binary():
    assert sniff_unicode("Bonjour à tous".encode("utf-16-le")) == ("utf-16-le", 0)
    assert sniff_unicode("Bonjour à tous".encode("utf-16-be")) == ("utf-16-be", 0)
    assert sniff_unicode(b"\xff\xfeB\x00") == ("utf-16-le", 2)
    assert sniff_unicode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))) == (None, 0)
    assert sniff_unicode("plain ASCII".encode()) == (None, 0)


# -- 9. misnamed columns, unterminated quotes ---------------------------------------------------

def test_column_names_match_in_any_case(tmp_path):
    (tmp_path / "export.csv").write_text(f'ID,Text,TITLE,Published\nx1,"{TEXT}",Un titre,2025-03-04\n',
                                         encoding="utf-8")
    pd.DataFrame({"Id": ["p1"], " TEXT ": [TEXT], "Url": ["https://example.org/p1"]}).to_parquet(
        tmp_path / "export2.parquet")
    a, b = iter_records([tmp_path])
    assert (a.article_id, a.text, a.title, a.published) == ("x1", TEXT, "Un titre", "2025-03-04")
    assert (b.article_id, b.text, b.url) == ("p1", TEXT, "https://example.org/p1")


def test_no_text_column_names_the_columns_found_and_expected(tmp_path):
    (tmp_path / "wrong.csv").write_text(f'identifier,body\nx1,"{TEXT}"\nx2,autre\n', encoding="utf-8")
    pd.DataFrame({"content": [TEXT]}).to_parquet(tmp_path / "wrong2.parquet")
    recs = list(iter_records([tmp_path]))
    assert [r.source.rsplit("/", 1)[1] for r in recs] == ["wrong.csv:2", "wrong.csv:3", "wrong2.parquet:1"]
    for r in recs:
        assert r.error.startswith("no text column at "), r.error
        assert "expected 'text' or 'html'" in r.error
    assert "columns found 'identifier', 'body'" in recs[0].error
    assert "columns found 'content'" in recs[2].error


def test_an_unterminated_quote_is_one_error_row_and_the_rows_after_it_are_read(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text(f'id,text\nq1,"{TEXT}"\nq2,"Le maire a dit : « non\nq3,"{TEXT}"\nq4,Un autre texte\n',
                    encoding="utf-8")
    recs = list(iter_records([tmp_path]))
    assert [r.article_id for r in recs] == ["q1", "quote:3", "q3", "q4"]
    assert recs[1].error == (f"malformed CSV row at {path}:3 (line 3): a quote opened in this row runs on to "
                             f"line 4 (',' expected after '\"'); reading resumes on line 4")
    assert recs[2].text == TEXT and recs[3].text == "Un autre texte"
    path.write_text(f'id,text\nq1,"{TEXT}"\nq2,{TEXT}\nq3,"Le maire a dit : « non\n', encoding="utf-8")
    recs = list(iter_records([tmp_path]))
    assert [r.article_id for r in recs] == ["q1", "q2", "quote:4"]
    assert recs[2].error.endswith(":4 (line 4): a quote opened in this row is never closed; reading resumes on line 5")


# -- 10. NUL bytes ------------------------------------------------------------------------------

def test_a_few_nul_bytes_are_stripped_and_noted_not_a_binary_verdict(tmp_path):
    rows = "".join(f'r{i},"{TEXT} ({i})"\n' for i in range(100))
    data = ("id,text\n" + rows).encode("utf-8").replace(b"(3)", b"(\x003)").replace(b"(90)", b"(9\x000)")
    (tmp_path / "nul.csv").write_bytes(data)
    recs = list(iter_records([tmp_path]))
    assert len(recs) == 100 and all(r.error is None for r in recs)
    assert recs[3].text.endswith("(3)") and recs[3].notes == ("text: 1 NUL character(s) removed",)
    assert recs[90].text.endswith("(90)") and "\x00" not in recs[90].text
    assert recs[4].notes == ()
    (tmp_path / "nul.csv").unlink()
    (tmp_path / "late.txt").write_bytes(TEXT.encode() * 300 + b"\x00" + TEXT.encode())
    (rec,) = iter_records([tmp_path])
    assert "\x00" not in rec.text and rec.notes == ("text: 1 NUL character(s) removed",)


def test_binary_is_decided_by_the_share_of_control_bytes():
    assert not looks_binary(TEXT.encode() * 10 + b"\x00")
    assert looks_binary(b"\x00\x01\x02\x03abcd" * 100)
    assert looks_binary(bytes(range(256)) * 4)


# -- 11. the output folder inside an input folder ------------------------------------------------

def test_a_run_output_folder_inside_the_input_folder_is_not_read(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "outputs"
    out.mkdir()
    (out / "articles.csv").write_text("article_id,body\na,x\n", encoding="utf-8")
    (out / ".frnews-store.sqlite").write_bytes(b"")
    other = tmp_path / "old-run"
    other.mkdir()
    (other / "events.csv").write_text("event_id\n1\n", encoding="utf-8")
    assert list_inputs([tmp_path]) == [tmp_path / "a.txt", other / "events.csv"]
    assert list_inputs([tmp_path], skip=[other]) == [tmp_path / "a.txt"]
