"""Decode stage: text as given, HTML to its main text, empty records skipped, huge texts truncated."""

from __future__ import annotations

import pytest

from pipeline.context import Context, ReadGuard, Skip
from pipeline.read.html import html_to_text
from pipeline.records import RawRecord
from pipeline.settings import defaults
from pipeline.stages.decode import run

HTML = ("<html lang='fr'><head><title>Le Sénégal lance un plan solaire</title>"
        "<meta property='article:published_time' content='2024-03-05T10:00:00+00:00'></head><body><article>"
        "<h1>Le Sénégal lance un plan solaire</h1>"
        "<p>Le gouvernement sénégalais a présenté mardi un plan visant à installer cinq cents mégawatts de "
        "capacité solaire d'ici à 2030 dans les régions rurales du pays.</p>"
        "<p>Selon le ministre de l'Énergie, le programme sera financé en partie par la Banque africaine de "
        "développement et par des investisseurs privés.</p></article></body></html>")


def _run(settings=None, **raw):
    rec = RawRecord(article_id="a", source="t", **raw)
    ctx = ReadGuard(Context(article_id="a", raw=rec, chrome=frozenset(), clean_text=True, notes=[]),
                    ("raw",), "decode")
    return run(ctx, None, settings if settings is not None else defaults()["decode"])


def test_text_is_kept_as_given():
    out = _run(text="  Un titre\n\nUn paragraphe.  ", html="<p>ignorée</p>")
    assert out == {"text": "  Un titre\n\nUn paragraphe.  ", "html_title": None, "html_published": None,
                   "notes": []}


def test_html_gives_text_title_and_date():
    out = _run(html=HTML, url="https://exemple.sn/solaire")
    doc = html_to_text(HTML, url="https://exemple.sn/solaire")
    assert out == {"text": doc.text, "html_title": doc.title, "html_published": doc.published, "notes": []}
    assert "cinq cents mégawatts" in out["text"] and out["html_published"] == "2024-03-05"
    # blank text counts as none: the HTML is used
    assert _run(text=" \n ", html=HTML)["text"] == doc.text


@pytest.mark.parametrize("raw, reason", [
    ({}, "no text: the record is empty"),
    ({"text": "  \n\t "}, "no text: the record is empty"),
    ({"html": "<html><body></body></html>"}, "no text: the HTML has no main text"),
])
def test_no_text_is_skipped(raw, reason):
    with pytest.raises(Skip) as err:
        _run(**raw)
    assert str(err.value) == reason


def test_long_text_is_truncated_with_a_note():
    assert defaults()["decode"].max_body_chars == 1_000_000
    small = defaults()["decode"].model_copy(update={"max_body_chars": 10})
    out = _run(small, text="x" * 25)
    assert out["text"] == "x" * 10
    assert out["notes"] == ["truncated from 25 to 10 characters"]
    assert _run(small, text="y" * 10)["notes"] == []


def test_accents_typed_as_combining_marks_become_one_character():
    decomposed = "Le pre\u0301fet de l'Ise\u0300re a re\u0301uni les e\u0301lus."
    out = _run(text=decomposed)
    assert out["text"] == "Le préfet de l'Isère a réuni les élus."
    assert len(out["text"]) == len(decomposed) - 4


def test_invisible_characters_that_cut_words_are_dropped():
    out = _run(text="La municipalité a vo\u200bté le bud\u2060get.\ufeff")
    assert out["text"] == "La municipalité a voté le budget."
    # a soft hyphen is part of the line as printed (it shows where the line breaks)
    assert _run(text="La mu\u00adni\u00adci\u00adpa\u00adli\u00adté.")["text"] == "La mu\u00adni\u00adci\u00adpa\u00adli\u00adté."


def test_ascii_text_and_visible_characters_are_untouched():
    text = "Un titre\n\nLe 14-Juillet, 3\u00a0000 personnes \u2014 selon la mairie \u2014 ont défilé."
    assert _run(text=text)["text"] == text
    assert _run(text="Plain ASCII text.\r\n")["text"] == "Plain ASCII text.\r\n"


def test_an_html_title_is_normalised_too():
    html = HTML.replace("<title>Le Sénégal", "<title>Le Se\u0301ne\u0301gal")
    assert _run(html=html)["html_title"] == html_to_text(HTML).title
