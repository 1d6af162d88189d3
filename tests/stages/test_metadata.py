"""Metadata stage: title, publication date (header/byline lines only) and language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.rulebook import RuleFileError
from pipeline.stages.clean import clean
from pipeline.stages.metadata import (
    date_from_text,
    date_in_line,
    detect_language,
    detect_metadata,
    detect_title,
    is_meta_line,
    load_rules,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "clean"

PARA = ("Le ministre de l'Économie a présenté mercredi un projet de loi qui doit réformer en profondeur "
        "la fiscalité des entreprises, avec une baisse progressive du taux de l'impôt sur les sociétés.")
PARA2 = ("Selon les estimations du ministère, la mesure coûterait environ deux milliards d'euros par an "
         "aux finances publiques, une somme que l'opposition juge excessive dans le contexte actuel.")


def _meta(text: str, **kw):
    return detect_metadata(text, clean(text), **kw)


# -- language ---------------------------------------------------------------------------

def test_detect_language():
    assert detect_language(PARA + " " + PARA2)[0] == "fr"
    lang, score = detect_language("The central bank kept its key interest rate unchanged on Thursday, "
                                  "citing persistent inflation in services.")
    assert lang == "en" and 0.5 < score <= 1.0
    assert detect_language("Die Bundesregierung hat am Mittwoch ein neues Förderprogramm beschlossen.")[0] == "de"
    assert detect_language("") == ("und", 0.0)
    assert detect_language("  12 ; 45 ") == ("und", 0.0)
    assert detect_language("ok") == ("und", 0.0)


def test_detect_language_classifies_a_bounded_sample_of_long_text(monkeypatch):
    """The cost must not grow with the article: only a sample of at most ``lang_sample_chars``
    is classified (checked on what reaches the classifier, not with a clock)."""
    from pipeline.settings import defaults
    from pipeline.text import language

    seen: list[int] = []
    classify = language._classify_sample
    monkeypatch.setattr(language, "_classify_sample", lambda sample: seen.append(len(sample)) or classify(sample))
    text = "\n".join([PARA, PARA2] * 400)
    assert detect_language(text + "\nFin.")[0] == "fr"
    assert seen and seen[0] <= defaults()["metadata"].lang_sample_chars < len(text) // 10


# -- dates on lines -----------------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("Publié le jeudi 17 novembre 2022", date(2022, 11, 17)),
    ("2026-01-28 par la rédaction", date(2026, 1, 28)),
    ("Jeudi 28 Aout 2025", date(2025, 8, 28)),
    ("date 2025-08-13", date(2025, 8, 13)),
    ("17/11/2022", date(2022, 11, 17)),
    ("Rédigé par le Jeudi 28 Aout 2025", date(2025, 8, 28)),
    ("Published on March 3, 2024", date(2024, 3, 3)),
    ("Mis en ligne le 1er février 2023 à 08h15", date(2023, 2, 1)),
    ("Veröffentlicht am 3. März 2024", date(2024, 3, 3)),
    ("Publicado el 3 de marzo de 2024", date(2024, 3, 3)),
    ("Thursday, March 3, 2022", date(2022, 3, 3)),
    ("Par Jeanne Martin | 05/03/2024 | Économie", date(2024, 3, 5)),
    ("Publié le 3 mars 2024, mis à jour le 4 mars 2024", date(2024, 3, 3)),
    ("Mise à jour : 28 octobre 2025", None),
    ("Updated March 4, 2024", None),
    ("Modifié le 04/03/2024", None),
    ("Dernière mise à jour le lundi 4 mars 2024", None),
    ("Élections du 12 juin 2024 : les premiers résultats", None),  # a headline, not a dateline
    ("31/02/2024", None),  # not a calendar date
    ("Il y a 3 heures", None),
    # a weekday name before a date opening the line
    ("Mer 6 mars 2024 14.30 CET", date(2024, 3, 6)),
    ("Sat 9 Nov 2024 07.15 GMT Last modified on Sun 10 Nov 2024", date(2024, 11, 9)),
    # a clock time after the date, past a separator or a preposition: a timestamp
    ("Une saison difficile 2024. 03. 06. 14:30", date(2024, 3, 6)),
    ("5. Mai 2023 um 09:12 Uhr", date(2023, 5, 5)),
    # a date closing a breadcrumb after a separator
    ("Accueil › Économie • 6 mars 2024", date(2024, 3, 6)),
    ("Startseite | Sport | 14.02.2023", date(2023, 2, 14)),
    # "von X am <date>": a German byline
    ("Eingereicht von redaktion am 14. Februar 2023 - 10:05", date(2023, 2, 14)),
    # a date printed twice glued together (a dump joins a time element's two renderings): a byline
    ("Jeanne Martin Société 4 mars 20244 mars 2024santé, budget", date(2024, 3, 4)),
    # ... but a date inside a short headline is still not a dateline
    ("Le sommet du 6 mars 2024 s'ouvre à Bruxelles", None),
    ("Accueil • Le sommet du 6 mars 2024 à Bruxelles", None),
    # a blog theme's stamp: the weekday between the day and the month
    ("14 Mittwoch Feb 2024", date(2024, 2, 14)),
    ("7 jeudi mars 2024", date(2024, 3, 7)),
    # a date a version, a copyright or a citation introduces is no publication date
    ("Version 2, 5 avril 2021", None),
    ("Copyright © 12.03.2021 - 10:14 h by Exemple SARL", None),
    ("Consulté le 3 mars 2024.", None),
    ("Retrieved 2019-05-14.", None),
    # publication and update cues of other languages (CJK and Cyrillic too)
    ("Opublikowano: 2 kwietnia 2021, 10:15 Aktualizacja: 3 kwietnia 2021", date(2021, 4, 2)),
    ("Aktualizacja: 3 kwietnia 2021, 08:30", None),
    ("Gepubliceerd op 5 april 2021", date(2021, 4, 5)),
    ("Bijgewerkt op 6 april 2021", None),
    ("Опубликовано: 7 апреля 2021", date(2021, 4, 7)),
    ("发布时间：2021-04-08 09:00 来源：本站", date(2021, 4, 8)),
    ("更新日：2021/04/09", None),
])
def test_date_in_line(line, expected):
    assert date_in_line(line) == expected


def test_two_digit_numeric_dates_follow_the_languages_short_pattern():
    from pipeline.text.datelines import line_dates, reads_month_first

    rules = load_rules()
    # English's CLDR short pattern is M/d/yy; French, German and Spanish read day first
    assert reads_month_first("en") and not any(reads_month_first(x) for x in ("fr", "de", "es", None, "xx"))
    assert line_dates("4/10/21 9:30AM", rules, short_line=120, lang="en") == [(date(2021, 4, 10), "date")]
    assert line_dates("4/10/21 9:30", rules, short_line=120) == [(date(2021, 10, 4), "date")]
    # a four-digit year is the British and European use: day first whatever the language
    assert line_dates("04/10/2021", rules, short_line=120, lang="en") == [(date(2021, 10, 4), "date")]
    # a day above 12 settles it either way
    assert line_dates("25/10/21", rules, short_line=120, lang="en") == [(date(2021, 10, 25), "date")]


def test_an_english_page_reads_a_two_digit_year_month_first():
    para = ("The city council approved the new budget on Tuesday after a long debate about the cost "
            "of public transport and the repair of several school buildings across the district.")
    text = "\n".join(["Council approves the new city budget", "4/10/21 9:30AM", para, para])
    m = _meta(text)
    assert (m.language, m.published) == ("en", date(2021, 4, 10))
    fr = "\n".join(["Le conseil adopte le budget de la ville", "4/10/21 9:30", PARA, PARA2])
    assert _meta(fr).published == date(2021, 10, 4)


def test_long_lines_need_a_cue():
    assert date_in_line("date 2025-08-13 " + PARA) == date(2025, 8, 13)
    assert date_in_line("PARIS, le 12 mars 2024 - " + PARA) == date(2024, 3, 12)
    assert date_in_line("Les 1er et 2 juillet 2025, " + PARA) is None
    assert date_in_line(PARA + " Le texte sera examiné le 3 avril 2025 au Sénat.") is None


def test_date_from_text_reads_only_header_and_footer_lines():
    body_date = "Le sommet s'est tenu le 14 mai 2024 à Genève. " + PARA
    text = "\n".join(["Un titre d'article", body_date, PARA2] + [PARA] * 10 + ["Jeudi 28 Aout 2025"])
    assert date_from_text(text) == date(2025, 8, 28)  # short date line at the very end
    assert date_from_text("\n".join(["Un titre d'article", body_date, PARA2])) is None
    # a date line deep inside the body is not a header line
    deep = "\n".join(["Un titre d'article"] + [PARA] * 9 + ["17/11/2022"] + [PARA] * 9)
    assert date_from_text(deep) is None


# -- detect_metadata --------------------------------------------------------------------------

def test_published_precedence():
    text = "Un titre d'article sur la fiscalité\nPublié le 3 mars 2024\n" + PARA
    m = _meta(text)
    assert (m.published, m.published_source) == (date(2024, 3, 3), "text")
    m = _meta(text, html_published="2024-03-02")
    assert (m.published, m.published_source) == (date(2024, 3, 2), "html")
    m = _meta(text, published="2024-03-01T08:00:00Z", html_published="2024-03-02")
    assert (m.published, m.published_source) == (date(2024, 3, 1), "input")
    m = _meta(text, published="pas une date")  # unreadable input falls through
    assert m.published_source == "text"
    m = _meta("Un titre d'article sur la fiscalité\n" + PARA)
    assert (m.published, m.published_source) == (None, "none")


def test_update_date_only_when_no_publication_date_is_printed():
    text = "Un titre d'article sur la fiscalité\nPar la rédaction | Mise à jour : 28 octobre 2025\n" + PARA
    m = _meta(text)
    assert (m.published, m.published_source) == (date(2025, 10, 28), "text-updated")
    both = ("Un titre d'article sur la fiscalité\nPar la rédaction | Publié le 27/10/2025 à 18h05 "
            "• Mis à jour le 28/10/2025\n" + PARA)
    m = _meta(both)
    assert (m.published, m.published_source) == (date(2025, 10, 27), "text")


def _page(*lines: str) -> str:
    return "\n".join(lines)


NAV = ["Accueil", "Politique", "Économie", "Sport", "Culture", "Contact"]


def test_a_page_without_a_date_near_its_headline_falls_back_to_the_first_date_line():
    # the date sits in a sidebar above the article, away from the headline the cleaner chose
    text = _page(*NAV, "Rubrique Société", "12/03/2024 à 10h15", *NAV,
                 "Un titre d'article sur la fiscalité", PARA, PARA2, PARA)
    m = _meta(text)
    assert (m.published, m.published_source) == (date(2024, 3, 12), "text")
    # a publication cue anywhere on the page comes before a plain date line
    cued = _page(*NAV, "08/03/2024", *NAV, "Un titre d'article sur la fiscalité", PARA, PARA2,
                 "Publié le 12 mars 2024", PARA)
    assert _meta(cued).published == date(2024, 3, 12)


def test_a_weekday_led_date_at_the_top_gives_way_to_an_earlier_date_in_the_zone():
    # the site prints the date of the day at its top; the article's own date follows
    text = _page("Un titre d'article sur la fiscalité", "Mercredi 13 mars 2024", "Économie", "12 mars 2024",
                 PARA, PARA2)
    assert _meta(text).published == date(2024, 3, 12)
    # alone in the zone, it is still the page's date
    alone = _page("Un titre d'article sur la fiscalité", "Mercredi 13 mars 2024", PARA, PARA2)
    assert _meta(alone).published == date(2024, 3, 13)
    # a later date is no reason to leave it (a correction, a date in the future)
    later = _page("Un titre d'article sur la fiscalité", "Mercredi 13 mars 2024", "Économie", "14 mars 2024",
                  PARA, PARA2)
    assert _meta(later).published == date(2024, 3, 13)


def test_the_page_fallback_skips_banners_comments_and_citation_tails():
    from pipeline.stages.clean import clean
    from pipeline.stages.metadata import date_on_page

    # the site's date of the day, weekday first, at the top of the page
    banner = _page("Mercredi 13 mars 2024", *NAV, "Un titre d'article sur la fiscalité", PARA, PARA2)
    assert date_on_page(banner, clean(banner))[0] is None
    # a reader's signature below the article's last paragraph dates the comment, not the article
    signed = _page(*NAV, "Un titre d'article sur la fiscalité", PARA, PARA2, "Commentaires",
                   "Camille - Le 14/03/2024 à 09:12:40", "Très bon article.")
    assert date_on_page(signed, clean(signed))[0] is None
    # ... a line opening with a full stop, or after a line ending with a citation cue, is a reference's tail
    refs = _page(*NAV, "Un titre d'article sur la fiscalité", PARA, PARA2, PARA,
                 "Dupont, « Un livre » (2019)", ". 4 mai 2021.", "Archived from the original", "on 2019-11-05.", PARA)
    assert date_on_page(refs, clean(refs))[0] is None
    # an update date counts when nothing else is printed
    upd = _page(*NAV, "Un titre d'article sur la fiscalité", PARA, PARA2, "Dernière mise à jour : 15/03/2024")
    assert date_on_page(upd, clean(upd))[:2] == (date(2024, 3, 15), "text-updated")


def test_title_precedence_and_detection():
    text = "Rubrique\nRéforme fiscale : le gouvernement dévoile son projet\nPar Jeanne Martin\n" + PARA + "\n" + PARA2
    assert _meta(text).title == "Réforme fiscale : le gouvernement dévoile son projet"
    assert _meta(text, html_title="Titre HTML").title == "Titre HTML"
    assert _meta(text, title="Titre donné", html_title="Titre HTML").title == "Titre donné"
    # an article that starts straight with a paragraph has no title
    assert _meta(PARA + "\n" + PARA2).title is None
    assert _meta("date 2025-08-13 " + PARA + "\n" + PARA2).title is None


def test_fixture_metadata():
    cases = {
        "english_article.txt": ("Kenya opens bidding for its first offshore wind farm", date(2024, 3, 3), "en"),
        "german_article.txt": ("Bundesregierung beschließt neues Förderprogramm für Wärmepumpen",
                               date(2024, 2, 14), "de"),
        "short_article.txt": ("Grève à la SNCF : un train sur trois jeudi", None, "fr"),
        "french_blog.txt": ("Le Sénégal mise sur le solaire pour électrifier ses villages", date(2024, 3, 5), "fr"),
    }
    for name, (title, published, lang) in cases.items():
        m = _meta((FIXTURES / name).read_text(encoding="utf-8"))
        assert (m.title, m.published, m.language) == (title, published, lang), name
        assert m.language_score > 0.9


def test_meta_lines():
    assert is_meta_line("Par Jeanne Martin")
    assert is_meta_line("By Sarah Otieno")
    assert is_meta_line("Mis à jour le 6 mars 2024")
    assert not is_meta_line("Par ailleurs, le ministre a démissionné jeudi soir.")
    assert not is_meta_line("Un calendrier serré")


def test_meta_lines_glued_byline_mark_and_yearless_cjk_stamp():
    # a dump glued the byline's mark to the name; not a word that only starts like one
    assert is_meta_line("PorMarta Exemplo")
    assert is_meta_line("VonAnna Beispiel")
    assert not is_meta_line("ByteWorks rachète une jeune pousse lyonnaise")
    assert not is_meta_line("Parfums de printemps au marché")
    # month/day, the weekday in brackets and a clock time: a Japanese portal's stamp with no year
    assert is_meta_line("テック通信 4/12(火) 9:30配信")
    assert is_meta_line("5/3（金）21:05")
    assert not is_meta_line("新しい図書館の建設が始まる")


def test_detect_title_skips_bylines():
    from pipeline.records import Cleaned, LineDecision

    lines = (LineDecision(0, "Par Jeanne Martin", True, "x"), LineDecision(1, "Un vrai titre d'article", True, "x"))
    assert detect_title(Cleaned(body="", lines=lines)) == "Un vrai titre d'article"


# -- rule files ----------------------------------------------------------------------------------

def test_metadata_rules_load_and_reject_bad_rows(tmp_path):
    rules = load_rules()
    assert rules.months["aout"] == 8 and rules.months["march"] == 3
    (tmp_path / "calendar.tsv").write_text("lang\tkind\tvalue\tname\nfr\tmonth\t13\ttreize\n", encoding="utf-8")
    (tmp_path / "date_cues.tsv").write_text(
        "id\tkind\tlang\tpattern\texample\nmetadata.cue.x\tpublished\tfr\tpublie\tRien à voir\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_rules(tmp_path)
    assert "calendar.tsv:2" in str(err.value)
    (tmp_path / "calendar.tsv").write_text("lang\tkind\tvalue\tname\nfr\tmonth\t8\taout\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_rules(tmp_path)
    assert "date_cues.tsv:2" in str(err.value) and "does not match" in str(err.value)


def test_detect_metadata_never_raises_on_odd_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["Publié le", "31/02/2024", "2024-13-45", "Jeudi", "mars", "1er", "Par", "|",
                              "Mise à jour", "\n", " ", "2099", "le 3 mars 2024", "Updated", "\u2028"])

    @settings(max_examples=80, deadline=None)
    @given(st.lists(st.one_of(pieces, st.text(max_size=20)), max_size=30), st.one_of(st.none(), st.text(max_size=12)))
    def run(parts, published):
        text = " ".join(parts)
        m = detect_metadata(text, clean(text), published=published)
        assert m.published_source in {"input", "html", "text", "text-updated", "none"}
        assert (m.published is None) == (m.published_source == "none")

    run()


# -- registry stage -----------------------------------------------------------------------------

def test_run_reads_its_declared_fields_and_writes_meta_published_language_notes():
    from pipeline.context import Context, ReadGuard
    from pipeline.records import RawRecord
    from pipeline.settings import defaults
    from pipeline.stages.metadata import run

    text = "Un titre d'article sur la réforme\nPublié le 3 mars 2024\n" + PARA + "\n" + PARA2
    cleaned = clean(text)
    reads = ("raw", "text", "cleaned", "html_title", "html_published")
    cases = [({}, None, None), ({"title": "Donné", "published": "2024-01-02"}, None, None),
             ({}, "Titre HTML", "2023-05-06")]
    for raw_kw, html_title, html_published in cases:
        raw = RawRecord(article_id="a", source="t", text=text, **raw_kw)
        ctx = Context(article_id="a", raw=raw, text=text, cleaned=cleaned, html_title=html_title,
                      html_published=html_published, chrome=frozenset(), clean_text=True, notes=[], body="x")
        out = run(ReadGuard(ctx, reads, "metadata"), load_rules(), defaults()["metadata"])
        meta = detect_metadata(text, cleaned, title=raw.title, published=raw.published, html_title=html_title,
                               html_published=html_published)
        assert out == {"meta": meta, "published": meta.published, "language": meta.language, "notes": []}
    assert out["meta"].title == "Titre HTML" and out["published"] == date(2023, 5, 6)
    assert out["language"] == "fr"


def test_settings_are_threaded_through():
    from pipeline.settings import defaults

    text = "\n".join(["Un titre d'article sur la réforme", *["Ligne de menu"] * 8, "Publié le 3 mars 2024",
                      *[PARA, PARA2] * 3])
    assert date_from_text(text) is None  # the date is the 10th line: past the header lines
    wider = defaults()["metadata"].model_copy(update={"header_lines": 10})
    assert date_from_text(text, settings=wider) == date(2024, 3, 3)
    assert detect_metadata(text, clean(text), settings=wider).published == date(2024, 3, 3)
    tiny = defaults()["metadata"].model_copy(update={"lang_min_letters": 10_000})
    assert detect_metadata(text, clean(text), settings=tiny).language == "und"


def test_explain_names_the_line_the_date_came_from(tmp_path):
    from pipeline.explain import explain

    page = tmp_path / "page.txt"
    page.write_text(_page(*NAV, "Rubrique Société", "12/03/2024 à 10h15", *NAV,
                          "Un titre d'article sur la fiscalité", PARA, PARA2, PARA), encoding="utf-8")
    line = next(ln for ln in explain(str(page)).splitlines() if ln.startswith("published:"))
    assert line.startswith("published: 2024-03-12 (from text)")
    assert "away from the headline" in line and "raw line 8 '12/03/2024 à 10h15'" in line
