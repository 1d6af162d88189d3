"""Readers: every supported format streams RawRecords; bad data becomes an error record."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from pipeline.read import HtmlDoc, InputError, decode_bytes, html_to_text, iter_records, list_inputs


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


# -- HTML ---------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Le Sénégal lance un plan solaire | Journal Exemple</title>
<meta property="article:published_time" content="2024-03-05T10:00:00+00:00">
<script>var tracking = "ne doit pas apparaître";</script><style>p { color: red }</style></head>
<body><nav><a href="/">Accueil</a><a href="/eco">Économie</a></nav>
<article><h1>Le Sénégal lance un plan solaire</h1>
<p>Le gouvernement sénégalais a présenté mardi un plan visant à installer cinq cents mégawatts de
capacité solaire d'ici à 2030 dans les régions rurales du pays.</p>
<p>Selon le ministre de l'Énergie, le programme sera financé en partie par la Banque africaine de
développement et par des investisseurs privés.</p>
<p>Les premiers chantiers doivent démarrer au second semestre, a précisé le ministère dans un
communiqué publié à Dakar.</p></article>
<footer>© 2024 Journal Exemple. Tous droits réservés.</footer></body></html>"""


def test_html_to_text_extracts_main_text_title_and_date():
    doc = html_to_text(HTML, url="https://exemple.sn/eco/solaire")
    assert isinstance(doc, HtmlDoc)
    assert "cinq cents mégawatts" in doc.text
    assert "tracking" not in doc.text and "color: red" not in doc.text
    assert any(ln.startswith("Selon le ministre") for ln in doc.text.splitlines())
    assert doc.title and doc.title.startswith("Le Sénégal lance un plan solaire")
    assert doc.published == "2024-03-05"
    assert doc.language == "fr"


def test_html_date_falls_back_to_htmldate():
    html = HTML.replace('<meta property="article:published_time" content="2024-03-05T10:00:00+00:00">', "")
    html = html.replace("<h1>", '<p class="date">Publié le <time datetime="2023-11-17">17/11/2023</time></p><h1>')
    assert html_to_text(html).published == "2023-11-17"


@pytest.mark.parametrize("junk", ["", "pas du html", "<<<>>><div", "\x00\x01<p>", "<html><body></body></html>",
                                  "<p>" * 500, "<?xml version='1.0'?><rss></rss>"])
def test_html_to_text_never_raises(junk):
    doc = html_to_text(junk)
    assert isinstance(doc, HtmlDoc)
    assert isinstance(doc.text, str)
