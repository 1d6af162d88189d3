"""Clean stage: rules + density + context keep the body and drop the chrome, in any language."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.context import Context, ReadGuard
from pipeline.passes.chrome import ChromeLearner, touched
from pipeline.records import Cleaned
from pipeline.settings import defaults
from pipeline.stages.clean import clean, plain_lines, run
from pipeline.text.lines import line_key

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "clean"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _kept(c: Cleaned) -> list[str]:
    return [d.text for d in c.lines if d.keep]


def _dropped(c: Cleaned) -> list[str]:
    return [d.text for d in c.lines if not d.keep]


def _check_consistency(text: str, c: Cleaned) -> None:
    raw = text.splitlines()
    assert [d.index for d in c.lines] == [i for i, ln in enumerate(raw) if ln.strip()]
    for d in c.lines:
        assert d.text == raw[d.index].strip()
    kept = [d for d in c.lines if d.keep]
    assert len(c.offsets) == len(kept)
    assert c.body == "\n\n".join(d.text for d in kept)
    for (idx, start), d in zip(c.offsets, kept):
        assert idx == d.index
        assert c.body[start:start + len(d.text)] == d.text


# -- whole fixtures ------------------------------------------------------------------

def test_english_article_keeps_body_and_drops_chrome():
    text = _fixture("english_article.txt")
    c = clean(text)
    _check_consistency(text, c)
    kept = _kept(c)
    assert kept[0] == "Kenya opens bidding for its first offshore wind farm"  # the headline is body
    assert "Financing and risks" in kept  # a subheading between paragraphs stays
    assert any(t.startswith('"We want to show') for t in kept)
    assert len([t for t in kept if len(t) > 100]) == 5
    for chrome in ("Skip to content", "Advertisement", "Share on Facebook", "Related Articles",
                   "Leave a Reply", "Back to top", "© 2024 East Africa Daily. All rights reserved."):
        assert chrome in _dropped(c), chrome
    assert not any(t.startswith(("Read more", "Your email", "Sign up", "We use cookies")) for t in kept)


def test_german_article_uses_german_stoplist():
    text = _fixture("german_article.txt")
    c = clean(text)
    _check_consistency(text, c)
    kept = _kept(c)
    assert kept[0].startswith("Bundesregierung beschließt")
    assert "Kritik aus der Opposition" in kept
    assert sum(1 for t in kept if len(t) > 100) == 3
    for chrome in ("Anzeige", "Teilen", "Newsletter abonnieren", "Alle Rechte vorbehalten.", "Nach oben",
                   "Startseite > Wirtschaft > Energie"):
        assert chrome in _dropped(c), chrome
    assert not any(t.startswith("Lesen Sie auch") for t in kept)
    # body paragraphs were judged by density, with a high German stop-word share
    body = [d for d in c.lines if d.keep and len(d.text) > 100]
    assert all(d.reason.startswith("density:") and d.score > 0.5 for d in body)


def test_short_article_with_three_short_paragraphs_keeps_them():
    text = _fixture("short_article.txt")
    c = clean(text)
    _check_consistency(text, c)
    assert _kept(c) == [
        "Grève à la SNCF : un train sur trois jeudi",
        "Le trafic sera très perturbé jeudi sur l'ensemble du réseau.",
        "Les syndicats appellent à la mobilisation contre la réforme.",
        "La direction prévoit un train sur trois en Île-de-France.",
    ]


def test_french_blog_layout():
    text = _fixture("french_blog.txt")
    c = clean(text)
    _check_consistency(text, c)
    kept = _kept(c)
    assert kept[0] == "Le Sénégal mise sur le solaire pour électrifier ses villages"
    assert "Un calendrier serré" in kept
    assert sum(1 for t in kept if len(t) > 100) == 4
    reasons = {d.text: d.reason for d in c.lines}
    assert reasons["ÉconomieAfriqueInternational"].startswith("nav:")  # glued nav labels
    assert reasons["Partager sur Facebook"] == "boilerplate.cta.partager"
    assert reasons["Laisser un commentaire"] == "boilerplate.comment.laisser_reponse"
    assert reasons["Lire aussi : La Côte d’Ivoire inaugure sa plus grande centrale solaire"] \
        == "boilerplate.related.lire_aussi"
    seo = next(t for t in reasons if t.startswith("énergie solaire Sénégal,"))
    assert reasons[seo].startswith("keywords:")  # SEO keyword line
    assert reasons["Publié le mardi 5 mars 2024 à 10h32"].startswith("meta:")  # dateline
    assert not any("cookies" in t or "@" in t or t.endswith("*") for t in kept)


# -- context --------------------------------------------------------------------------

PARA = ("Le ministre de l'Économie a présenté mercredi un projet de loi qui doit réformer en profondeur "
        "la fiscalité des entreprises, avec une baisse progressive du taux de l'impôt sur les sociétés.")
PARA2 = ("Selon les estimations du ministère, la mesure coûterait environ deux milliards d'euros par an "
         "aux finances publiques, une somme que l'opposition juge excessive dans le contexte actuel.")


def test_short_line_between_paragraphs_stays_and_amid_chrome_goes():
    text = "\n".join([
        "Réforme fiscale : le gouvernement dévoile son projet",
        PARA, "Un calendrier serré", PARA2,
        "Partager", "Économie", "Politique", "Tous droits réservés",
    ])
    c = clean(text)
    kept = _kept(c)
    assert kept == ["Réforme fiscale : le gouvernement dévoile son projet", PARA, "Un calendrier serré", PARA2]
    assert {d.text: d.keep for d in c.lines}["Économie"] is False


def test_first_line_paragraph_means_no_headline_promotion():
    text = "\n".join(["Rubrique", PARA, PARA2])
    c = clean(text)
    assert _kept(c) == [PARA, PARA2]
    assert c.lines[0].reason.startswith(("context:", "head:"))


def test_all_caps_label_and_link_lines_dropped():
    text = "\n".join(["Titre de l'article sur la réforme fiscale", PARA, "NOS SERVICES",
                      "@journal #economie #fiscalite https://exemple.fr", PARA2, "EN CONTINU"])
    c = clean(text)
    d = {x.text: x for x in c.lines}
    assert not d["@journal #economie #fiscalite https://exemple.fr"].keep
    assert d["@journal #economie #fiscalite https://exemple.fr"].reason.startswith("links:")
    assert not d["EN CONTINU"].keep


def test_empty_and_blank_text():
    for text in ("", "\n\n  \n", "   "):
        c = clean(text)
        assert c.body == "" and c.lines == () and c.offsets == ()


def test_reason_and_score_on_every_line():
    c = clean(_fixture("french_blog.txt"))
    for d in c.lines:
        assert d.reason
        assert 0.0 <= d.score <= 1.0
        if d.reason.startswith("boilerplate."):
            assert not d.keep and d.score == 0.0


# -- dump repetition -------------------------------------------------------------------

FOOTER = [
    "Retrouvez toute l'actualité de la région dans notre édition du matin.",
    "Journal Exemple, 12 rue des Lilas, 75000 Paris",
    "Conditions de vente et informations pratiques",
]

BODIES = [
    ("Hausse des prix de l'énergie en Europe", [PARA, PARA2]),
    ("Le port de Dakar agrandit son terminal",
     ["Le port autonome de Dakar a lancé lundi les travaux d'extension de son terminal à conteneurs, "
      "un chantier de trois ans destiné à doubler sa capacité d'accueil des navires."]),
    ("Les agriculteurs manifestent à Bruxelles",
     ["Plusieurs centaines d'agriculteurs venus de toute l'Europe ont manifesté jeudi devant le Parlement "
      "européen pour protester contre la baisse de leurs revenus et les nouvelles normes."]),
    ("Un nouveau satellite pour l'observation du climat",
     ["L'agence spatiale a placé en orbite mardi un satellite chargé de mesurer la température des océans, "
      "une donnée essentielle pour les modèles de prévision du climat."]),
    ("La Banque centrale maintient ses taux",
     ["La Banque centrale a décidé de maintenir ses taux directeurs inchangés pour le troisième mois "
      "consécutif, estimant que l'inflation reste au-dessus de son objectif."]),
]


def _dump() -> list[str]:
    return ["\n".join([title, *paras, *FOOTER]) for title, paras in BODIES]


def test_footer_recurring_across_five_articles_is_dropped():
    texts = _dump()
    counter = ChromeLearner()
    for t in texts:
        counter.add(t)
    chrome = counter.result()
    assert {line_key(f) for f in FOOTER} <= chrome
    for text, (title, paras) in zip(texts, BODIES):
        c = clean(text, chrome=chrome)
        _check_consistency(text, c)
        assert _kept(c) == [title, *paras]
        for d in c.lines:
            if d.text in FOOTER:
                assert d.reason == "dump.repeated" and not d.keep
        # without the dump knowledge the first footer sentence looks like body
        assert FOOTER[0] in _kept(clean(text))


def _learner(**changes) -> ChromeLearner:
    return ChromeLearner(defaults()["clean"].model_copy(update=changes))


def test_chrome_thresholds_and_long_paragraphs():
    s = defaults()["clean"]
    assert (s.chrome_min_articles, s.chrome_min_share, s.max_chrome_chars) == (3, 0.3, 300)
    counter, stricter = ChromeLearner(s), _learner(chrome_min_share=0.5)
    long_para = PARA + " " + PARA2  # > 300 chars: never counted
    for i in range(10):
        lines = [f"Article numéro {i} sur un sujet", long_para]
        if i < 3:
            lines.append("Ligne présente dans trois articles")
        lines.append("Pied de page commun")
        counter.add("\n".join(lines))
        stricter.add("\n".join(lines))
    chrome = counter.result()
    assert line_key("Pied de page commun") in chrome
    assert line_key("Article numéro 1 sur un sujet") in chrome  # digits are ignored by the key
    assert line_key("Ligne présente dans trois articles") in chrome  # 3 of 10 = 30 %
    assert line_key("Ligne présente dans trois articles") not in stricter.result()
    assert line_key(long_para) not in chrome
    assert counter.articles == 10


def test_chrome_counter_memory_is_bounded():
    counter = _learner(chrome_max_keys=50)
    for i in range(200):
        counter.add(f"Ligne unique {'x' * (i % 7)} {chr(0x41 + i % 26)}{i}\nPied de page commun")
    assert len(counter.counts) <= 51
    assert line_key("Pied de page commun") in counter.result()


def test_touched_lists_the_chrome_keys_of_a_text_sorted():
    texts = _dump()
    counter = ChromeLearner()
    for t in texts:
        counter.add(t)
    chrome = counter.result()
    keys = touched(texts[0], chrome)
    assert keys == sorted({line_key(f) for f in FOOTER})
    assert touched(texts[0], frozenset()) == [] and touched("", chrome) == [] and touched(None, chrome) == []
    assert touched("Un texte sans rien de commun", chrome) == []


def test_line_key_normalises_case_accents_digits_and_punctuation():
    assert line_key("Publicité — 2024") == line_key("PUBLICITE 2025")
    assert line_key("Lire la suite…") == line_key("lire la suite")
    assert line_key("") == line_key("  !! ") == ""
    assert line_key("Économie") != line_key("Politique")


# -- invariants -------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=80), st.sampled_from([PARA, PARA2, "Partager", "spot_img", ""])),
                max_size=12))
def test_clean_never_raises_and_is_consistent(lines):
    text = "\n".join(lines)
    _check_consistency(text, clean(text))


def test_site_name_above_headline_and_related_list_below_body():
    c = clean(_fixture("english_related_list.txt"))
    kept = _kept(c)
    assert kept[0].startswith("Brazil unveils plan")  # not the site name "The Daily Planet"
    assert "The Daily Planet" in _dropped(c)
    assert kept[-1].startswith("Environmental groups welcomed")
    for headline in ("Peru signs new trade deal with China", "Argentina's inflation slows for third month"):
        assert headline in _dropped(c)


def test_spanish_article():
    c = clean(_fixture("spanish_article.txt"))
    assert _kept(c)[0] == "El Gobierno aprueba un plan de vivienda para jóvenes"
    assert len(_kept(c)) == 3
    assert "Compartir" in _dropped(c) and "Todos los derechos reservados" in _dropped(c)


def test_hard_wrapped_article_keeps_every_fragment():
    text = _fixture("hard_wrapped.txt")
    c = clean(text)
    assert _kept(c) == [ln for ln in text.splitlines() if ln and not ln.startswith("Par ")]


def test_trending_bar_above_the_headline_is_dropped():
    c = clean(_fixture("trending_bar.txt"))
    kept = _kept(c)
    assert kept[0] == "Ghana's central bank raises its key rate to a record high"
    assert len(kept) == 3
    assert "Oil prices jump after OPEC announces new production cuts" in _dropped(c)


def test_language_without_stoplist_is_judged_by_length():
    c = clean(_fixture("chinese_article.txt"))
    kept = _kept(c)
    # the headline (words counted per two characters in a script without spaces) and the two paragraphs
    assert kept[0] == "中国宣布新的可再生能源计划"
    assert len(kept) == 3 and all(t.endswith("。") for t in kept[1:])
    assert "分享" in _dropped(c) and "新闻" in _dropped(c)


def test_reprinted_article_in_a_small_dump_keeps_its_body():
    story = "\n".join(["Le port de Dakar agrandit son terminal", *BODIES[1][1], *FOOTER])
    texts = [story] * 3 + _dump()[:1]
    counter = ChromeLearner()
    for t in texts:
        counter.add(t)
    chrome = counter.result()
    c = clean(story, chrome=chrome)
    assert BODIES[1][1][0] in _kept(c)
    assert FOOTER[1] not in _kept(c) and FOOTER[2] not in _kept(c)


# -- registry stage ------------------------------------------------------------------------

def _ctx(text: str, *, chrome: frozenset[str] = frozenset(), clean_text: bool = True) -> ReadGuard:
    ctx = Context(article_id="a", text=text, chrome=chrome, clean_text=clean_text, notes=[], raw=None)
    return ReadGuard(ctx, ("text", "chrome", "clean_text"), "clean")


def test_run_reads_text_chrome_and_clean_text_and_writes_cleaned_and_body():
    from pipeline.stages.clean import load_rules

    text = "\n".join(["Réforme fiscale : le gouvernement dévoile son projet", PARA, "Partager", PARA2])
    out = run(_ctx(text), load_rules(), defaults()["clean"])
    assert set(out) == {"cleaned", "body"}
    assert out["cleaned"] == clean(text) and out["body"] == clean(text).body
    texts = _dump()
    counter = ChromeLearner()
    for t in texts:
        counter.add(t)
    chrome = counter.result()
    assert run(_ctx(texts[0], chrome=chrome), load_rules(), defaults()["clean"])["cleaned"] == \
        clean(texts[0], chrome=chrome)


def test_run_without_cleaning_keeps_every_non_empty_line():
    from pipeline.stages.clean import load_rules

    text = "Partager\n\n  " + PARA + "  \n\nTous droits réservés\n"
    out = run(_ctx(text, clean_text=False), load_rules(), defaults()["clean"])
    c = out["cleaned"]
    assert c == plain_lines(text)
    assert out["body"] == "\n\n".join(["Partager", PARA, "Tous droits réservés"])
    assert [(d.index, d.keep, d.reason, d.score) for d in c.lines] == [
        (0, True, "no-clean", 1.0), (2, True, "no-clean", 1.0), (4, True, "no-clean", 1.0)]
    _check_consistency(text, c)


def test_settings_are_threaded_through():
    text = "\n".join(["Réforme fiscale : le gouvernement dévoile son projet", PARA, PARA2])
    assert clean(text).lines[0].reason == "headline"
    no_headline = defaults()["clean"].model_copy(update={"headline_window": 0, "headline_above": 0})
    assert clean(text, settings=no_headline).lines[0].reason != "headline"
    # every line is short for these thresholds: the paragraphs are kept as a short article's
    long_lines = defaults()["clean"].model_copy(update={"length_low": 10_000, "length_high": 20_000})
    assert [d.reason for d in clean(text).lines[1:]] == ["density:stop=0.67,len=189", "density:stop=0.48,len=184"]
    assert [d.reason for d in clean(text, settings=long_lines).lines[1:]] == [
        "short-article:density:stop=0.67,len=189", "short-article:density:stop=0.48,len=184"]


def test_a_sentence_ends_before_an_emoji_or_a_broken_character():
    from pipeline.stages.clean.density import sentence_end

    assert sentence_end("Merci à tous les bénévoles ! 🎉")
    assert sentence_end("La séance est levée. ❤️")
    assert sentence_end("Le vote aura lieu jeudi. \ufffd")
    assert not sentence_end("Nos bons plans 🎉")
    assert not sentence_end("Prix : 12 €")


AUTHOR_BIO = ("Claire Dubois est journaliste au service société depuis 2015. Elle a auparavant couvert "
              "l'éducation et la santé pour plusieurs quotidiens régionaux.")
TOWN_NEWS = ("Saint Rémy inaugure samedi sa nouvelle école maternelle, dont les travaux ont duré deux ans "
             "et coûté 3 millions d'euros à la commune.")


def test_an_author_box_is_dropped_before_or_after_the_article():
    article = [
        "Réunis lundi soir, les élus ont adopté à une large majorité le budget consacré à la rénovation "
        "des trois écoles primaires de la commune, après un long débat sur le coût des travaux.",
        "Les travaux commenceront pendant les vacances d'été et devraient durer deux ans, selon "
        "l'adjoint chargé de l'urbanisme, qui a présenté le calendrier aux parents d'élèves.",
    ]
    head = ["Accueil", "Le conseil municipal vote le budget des écoles", "Par Claire Dubois, le 12 mars 2025"]
    for page in ([*head, *article, "Claire Dubois", AUTHOR_BIO, "Partager"],
                 [*head, "Claire Dubois", AUTHOR_BIO, *article, "Partager"]):
        c = clean("\n".join(page))
        assert all(p in _kept(c) for p in article)
        assert AUTHOR_BIO not in _kept(c) and "Claire Dubois" not in _kept(c)
        assert any(d.reason.startswith("author-box:") for d in c.lines if d.text == AUTHOR_BIO)
    # a town's name heading a paragraph that opens with it (a round-up of the towns' news), printed
    # nowhere else, is the article's
    c = clean("\n".join([*head, *article, "Saint Rémy", TOWN_NEWS, "Partager"]))
    assert not any(d.reason.startswith("author-box:") for d in c.lines) and TOWN_NEWS in _kept(c)
