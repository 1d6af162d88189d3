"""The clean stage's learned line classifier: its data file, its vetoes and what it revises."""

from __future__ import annotations

import json

import pytest

from pipeline.settings import defaults
from pipeline.stages.clean import clean, judge, load_rules
from pipeline.stages.clean.model import (
    FEATURES,
    MODEL_FILE,
    STANDFIRST_WORDS,
    LineModel,
    ModelError,
    _announced,
    apply_model,
    decided,
    drop_reprints,
    features,
    load_model,
    parse_model,
)

PAGE = "\n".join([
    "Accueil | Économie | Sport | Culture",
    "Le conseil municipal vote le budget de la rénovation des écoles",
    "Par Claire Dubois",
    "Publié le 12 mars 2025 à 18h05",
    "Réunis lundi soir, les élus ont adopté à une large majorité le budget consacré à la rénovation "
    "des trois écoles primaires de la commune, après un long débat sur le coût des travaux.",
    "Les travaux commenceront pendant les vacances d'été et devraient durer deux ans, selon "
    "l'adjoint chargé de l'urbanisme, qui a présenté le calendrier aux parents d'élèves.",
    "Un chantier suivi par les parents",
    "L'association des parents d'élèves a salué une décision attendue depuis plusieurs années et "
    "demandé à être associée au suivi du chantier, notamment pour la sécurité des enfants.",
    "Plus d'informations sur le site de la mairie.",
    "Partager",
    "mairie, budget, écoles, travaux, conseil municipal, rénovation",
    "Vous aimerez aussi",
    "Un nouveau marché couvert ouvre ses portes samedi",
    "La piscine municipale fermée pour travaux jusqu'en juin",
])


def _model(**over) -> dict:
    n = len(FEATURES)
    doc = {"format": 1, "version": "test", "features": list(FEATURES), "means": [0.0] * n, "scales": [1.0] * n,
           "coefs": [0.0] * n, "intercept": 0.0, "drop_below": 0.2, "keep_above": 0.5}
    doc.update(over)
    return doc


def test_shipped_model_loads_and_names_the_features_of_the_code():
    m = load_model()
    assert isinstance(m, LineModel) and m.version
    doc = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert tuple(doc["features"]) == FEATURES
    # the file carries its cross-validated figures next to the in-sample ones
    assert {"rules_only", "in_sample"} <= set(doc["figures"]) and any(k.startswith("cv_") for k in doc["figures"])


@pytest.mark.parametrize("change, message", [
    ({"format": 99}, "format"),
    ({"features": list(FEATURES[:-1])}, "features differ"),
    ({"features": list(reversed(FEATURES))}, "features differ"),
    ({"scales": [0.0] * len(FEATURES)}, "scales must be positive"),
    ({"coefs": [0.0]}, "values each"),
    ({"drop_below": 0.6, "keep_above": 0.5}, "drop_below"),
])
def test_a_model_file_built_for_other_features_or_malformed_is_an_error(change, message):
    with pytest.raises(ModelError, match=message):
        parse_model(_model(**change), "x.json")


def test_a_model_file_missing_a_key_names_the_file():
    doc = _model()
    del doc["intercept"]
    with pytest.raises(ModelError, match="x.json: malformed"):
        parse_model(doc, "x.json")


def test_features_have_one_value_per_name_for_every_line():
    j = judge(PAGE, load_rules(), frozenset(), defaults()["clean"])
    feats = features(j.lines, j.pre, j.block, j.head, j.has_stoplist)
    assert len(feats) == len(j.lines)
    assert all(len(x) == len(FEATURES) for x in feats)


def test_rules_headline_precise_cues_and_subheadings_are_final():
    j = judge(PAGE, load_rules(), frozenset(), defaults()["clean"])
    by_text = {ln.text: i for i, ln in enumerate(j.lines)}
    for text in ("Partager", "Accueil | Économie | Sport | Culture",
                 "mairie, budget, écoles, travaux, conseil municipal, rénovation",
                 "Le conseil municipal vote le budget de la rénovation des écoles",  # the headline
                 "Un chantier suivi par les parents",  # a subheading over its paragraph
                 "Plus d'informations sur le site de la mairie."):  # the closing line after the block
        assert decided(j.lines, by_text[text], j.head, j.block), text
    # a paragraph and the teasers after the article are the model's to judge
    assert not decided(j.lines, by_text["Un nouveau marché couvert ouvre ses portes samedi"], j.head, j.block)


def test_a_confident_model_revises_only_the_undecided_lines():
    s = defaults()["clean"]
    # a model that drops everything (a strongly negative intercept)...
    drop_all = parse_model(_model(intercept=-20.0))
    j = judge(PAGE, load_rules(), frozenset(), s)
    final = [decided(j.lines, i, j.head, j.block) for i in range(len(j.lines))]
    before = [ln.cls for ln in j.lines]
    apply_model(j.lines, j.pre, j.block, j.head, j.has_stoplist, drop_all)
    for ln, was, fixed in zip(j.lines, before, final):
        if fixed:
            assert ln.cls == was
        else:
            assert ln.cls != "good"
            assert ln.reason.startswith("model:") or was != "good"
    # ... and one that keeps everything keeps no rule-dropped line
    keep_all = parse_model(_model(intercept=20.0))
    j = judge(PAGE, load_rules(), frozenset(), s)
    apply_model(j.lines, j.pre, j.block, j.head, j.has_stoplist, keep_all)
    kept = {ln.text for ln in j.lines if ln.cls == "good"}
    assert "Partager" not in kept and "Vous aimerez aussi" not in kept


def test_the_shipped_model_keeps_this_article_and_drops_its_chrome():
    c = clean(PAGE)
    kept = [d.text for d in c.lines if d.keep]
    assert kept[0] == "Le conseil municipal vote le budget de la rénovation des écoles"
    assert "Un chantier suivi par les parents" in kept
    assert any(t.startswith("Réunis lundi soir") for t in kept)
    assert any(t.startswith("L'association des parents") for t in kept)
    for chrome in ("Accueil | Économie | Sport | Culture", "Partager", "Vous aimerez aussi",
                   "mairie, budget, écoles, travaux, conseil municipal, rénovation"):
        assert chrome not in kept


def test_the_model_can_be_switched_off():
    s = defaults()["clean"].model_copy(update={"line_model": False})
    c = clean(PAGE, settings=s)
    assert not any(d.reason.startswith("model:") for d in c.lines)


def test_a_short_article_keeps_its_sentences_and_the_model_never_empties_a_body():
    text = "Alerte\n\nLe conseil a rejeté jeudi la demande de la région, selon un communiqué."
    c = clean(text)
    assert any(d.keep and d.text.startswith("Le conseil a rejeté") for d in c.lines)
    # even a model that drops everything leaves the rules' body in place
    j = judge(text, load_rules(), frozenset(), defaults()["clean"])
    kept = [ln.text for ln in j.lines if ln.cls == "good"]
    apply_model(j.lines, j.pre, j.block, j.head, j.has_stoplist, parse_model(_model(intercept=-20.0)))
    assert [ln.text for ln in j.lines if ln.cls == "good"] == kept


def test_chrome_vocabulary_features_read_a_line_s_first_words():
    from pipeline.stages.clean.rules import load_chrome_words

    words = load_chrome_words()
    assert words["teilen"] == "share" and words["komentarze"] == "comment" and words["publicidad"] == "ad"
    page = "\n".join(["Kommentare teilen Drucken", "Die Stadt baut eine neue Brücke über den Fluss, "
                      "die im Frühjahr für den Verkehr freigegeben werden soll, sagte der Bürgermeister.",
                      "Mehr unter www.example.de"])
    j = judge(page, load_rules(), frozenset(), defaults()["clean"])
    rows = [dict(zip(FEATURES, x)) for x in features(j.lines, j.pre, j.block, j.head, j.has_stoplist)]
    assert rows[0]["voc_short"] == 1.0 and rows[0]["voc_kinds"] == 2 / 3
    assert rows[1]["voc_short"] == 0.0 and rows[1]["voc_share"] == 0.0
    assert rows[2]["web_ref"] == 1.0


def test_a_malformed_chrome_words_row_names_its_file_and_line(tmp_path):
    from pipeline.rulebook import RuleFileError
    from pipeline.stages.clean.rules import load_chrome_words

    bad = tmp_path / "chrome_words.tsv"
    bad.write_text("kind\tlang\twords\nshare\tde\tteilen\nshare\tes\tCompartír\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"chrome_words.tsv:3"):
        load_chrome_words.__wrapped__(bad)


P_FIRE = ("Les pompiers sont intervenus mardi matin dans un entrepôt de la zone industrielle, où un incendie "
          "s'était déclaré peu avant six heures, sans faire de blessé selon la préfecture.")
P_CAUSE = ("L'exploitant a expliqué que le feu avait pris dans un local technique, et une enquête a été ouverte "
           "pour en établir l'origine exacte, a précisé le parquet dans un communiqué.")
NOTE = ("[1] Le rapport annuel de la préfecture recense une quarantaine d'incendies industriels dans le "
        "département l'an dernier, un chiffre en légère baisse.")
POST = ("Encore un incendie dans cette zone, il serait temps que la mairie et les entreprises revoient "
        "sérieusement les contrôles de sécurité avant qu'un drame n'arrive.")
FIRE_PAGE = "\n".join(["La Gazette du Val", "Accueil", "Faits divers",
                       "Incendie dans un entrepôt de la zone industrielle", "Par Claire Dubois", P_FIRE, P_CAUSE,
                       "Partager", "2 commentaires", "Paul le 3 mars 2025 à 09:15", POST,
                       "Lucie le 3 mars 2025 à 11:40", POST.replace("Encore", "Toujours"), NOTE])


def test_section_label_over_the_headline_posts_under_a_comment_header_and_notes_are_final():
    s = defaults()["clean"]
    j = judge(FIRE_PAGE, load_rules(), frozenset(), s)
    by_text = {ln.text: i for i, ln in enumerate(j.lines)}
    label, site, note = by_text["Faits divers"], by_text["La Gazette du Val"], by_text[NOTE]
    posts = [i for i, ln in enumerate(j.lines) if ln.text.endswith("drame n'arrive.")]
    assert len(posts) == 2 and all(j.lines[i].reason.startswith("comments:thread:") for i in posts)
    for i in (label, note, *posts):
        assert decided(j.lines, i, j.head, j.block), j.lines[i].text
    # a longer line higher up (the site's name) is still the model's to judge
    assert not decided(j.lines, site, j.head, j.block)
    # whatever the model says, the label and the posts stay dropped and the note stays
    for intercept in (20.0, -20.0):
        j = judge(FIRE_PAGE, load_rules(), frozenset(), s)
        apply_model(j.lines, j.pre, j.block, j.head, j.has_stoplist, parse_model(_model(intercept=intercept)))
        kept = {ln.text for ln in j.lines if ln.cls == "good"}
        assert "Faits divers" not in kept and POST not in kept and NOTE in kept


TEASER = "Un nouveau marché couvert ouvre ses portes samedi"
SUBHEAD = "Un chantier suivi par les parents"
HEADLINE = "Le conseil municipal vote le budget de la rénovation des écoles"
STEP = "Ajoutez 200 g de farine et mélangez."
P_VOTE = ("Réunis lundi soir, les élus ont adopté à une large majorité le budget consacré à la rénovation "
          "des trois écoles primaires de la commune, après un long débat sur le coût des travaux.")
P_WORKS = ("Les travaux commenceront pendant les vacances d'été et devraient durer deux ans, selon "
           "l'adjoint chargé de l'urbanisme, qui a présenté le calendrier aux parents d'élèves.")
P_PARENTS = ("L'association des parents d'élèves a salué une décision attendue depuis plusieurs années et "
             "demandé à être associée au suivi du chantier, notamment pour la sécurité des enfants.")
REPRINT_PAGE = "\n".join([
    "Accueil | Économie | Sport | Culture", "Écoles", STEP, HEADLINE, "Par Claire Dubois",
    "Publié le 12 mars 2025 à 18h05", P_VOTE, P_WORKS, SUBHEAD, P_PARENTS, TEASER, STEP, "Partager",
    "Vous aimerez aussi", TEASER, SUBHEAD, HEADLINE, "La piscine municipale fermée pour travaux jusqu'en juin"])


def test_a_line_kept_outside_the_block_and_dropped_at_its_other_print_is_chrome():
    j = judge(REPRINT_PAGE, load_rules(), frozenset(), defaults()["clean"])
    at = {}
    for i, ln in enumerate(j.lines):
        at.setdefault(ln.text, []).append(i)
    assert j.head == at[HEADLINE][0] and j.block == (at[P_VOTE][0], at[P_PARENTS][0])
    # the headline, the block and, below it, the teaser and the step kept; their other prints dropped
    keep = [False] * len(j.lines)
    for i in (j.head, *range(j.block[0], j.block[1] + 1), at[TEASER][0], at[STEP][1]):
        keep[i] = True
    assert j.lines[at[STEP][0]].reason.startswith("head:")
    # the teaser goes; the subheading (in the block) and the headline stay, printed again or not;
    # the step stays: its other print was dropped only for standing above the headline
    final = {i for i in range(len(j.lines)) if decided(j.lines, i, j.head, j.block)}
    assert j.head in final
    assert drop_reprints(j.lines, keep, j.block, final) == [at[TEASER][0]]
    assert drop_reprints(j.lines, keep, None, final) == []
    # a line final before the model stays, printed again or not
    assert drop_reprints(j.lines, keep, j.block, final | {at[TEASER][0]}) == []


def test_the_model_s_kept_reprint_is_dropped_with_its_reason():
    # a model keeping the upper part of the page: the teaser's first print (below the block) is kept,
    # its print in the "related" list dropped
    coefs = [0.0] * len(FEATURES)
    coefs[FEATURES.index("rel_pos")] = -40.0
    j = judge(REPRINT_PAGE, load_rules(), frozenset(), defaults()["clean"])
    apply_model(j.lines, j.pre, j.block, j.head, j.has_stoplist, parse_model(_model(coefs=coefs, intercept=28.0)))
    teasers = [ln for ln in j.lines if ln.text == TEASER]
    assert all(ln.cls == "bad" for ln in teasers)
    assert teasers[0].reason.startswith("reprint:")


MENU_RUN = ("Rezepte Backen Kochen Grillen Vegetarisch Vegan Fitness Training Laufen Yoga Reisen Städtereisen "
            "Strandurlaub Wandern Familie Garten Wohnen Deko")
MENU_PAGE = "\n".join(["Accueil", HEADLINE, "Par Claire Dubois", P_VOTE, P_WORKS, P_PARENTS, "Partager",
                       MENU_RUN, "Mentions légales"])


def test_a_menu_run_written_as_one_long_line_stays_dropped():
    s = defaults()["clean"]
    j = judge(MENU_PAGE, load_rules(), frozenset(), s)
    menu = next(i for i, ln in enumerate(j.lines) if ln.text == MENU_RUN)
    assert j.lines[menu].cls == "bad" and j.lines[menu].stop < 0.15
    assert decided(j.lines, menu, j.head, j.block)
    # a model keeping every line does not revive it; the article's paragraphs stay
    apply_model(j.lines, j.pre, j.block, j.head, j.has_stoplist, parse_model(_model(intercept=20.0)))
    kept = {ln.text for ln in j.lines if ln.cls == "good"}
    assert MENU_RUN not in kept and P_VOTE in kept
    # a long line with stop words, or ending like a sentence, is still the model's to judge
    for text in (MENU_RUN + ".", "Les " + MENU_RUN.replace(" ", " et les ", 3)):
        page = MENU_PAGE.replace(MENU_RUN, text)
        j = judge(page, load_rules(), frozenset(), s)
        k = next(i for i, ln in enumerate(j.lines) if ln.text == text)
        assert not decided(j.lines, k, j.head, j.block), text


def test_a_label_over_the_first_paragraph_of_a_page_without_headline_is_final():
    page = "\n".join(["Rubrique", P_VOTE, P_WORKS])
    j = judge(page, load_rules(), frozenset(), defaults()["clean"])
    assert j.head is None and j.block == (1, 2)
    assert decided(j.lines, 0, j.head, j.block)
    for intercept in (20.0, -20.0):
        j = judge(page, load_rules(), frozenset(), defaults()["clean"])
        apply_model(j.lines, j.pre, j.block, j.head, j.has_stoplist, parse_model(_model(intercept=intercept)))
        assert j.lines[0].cls != "good" and j.lines[1].cls == "good"


INTRO = "Pour préparer le gâteau de la fête du quartier, il vous faudra :"
ITEMS = ["200 g de farine", "3 œufs frais", "100 g de sucre roux", "un sachet de levure"]
LIST_PAGE = "\n".join(["Accueil | Cuisine | Desserts", HEADLINE, "Par Claire Dubois", P_VOTE, P_WORKS,
                       INTRO, *ITEMS, P_PARENTS, "Partager"])


def test_the_items_of_a_list_a_kept_sentence_announces_with_a_colon_are_final():
    s = defaults()["clean"]
    j = judge(LIST_PAGE, load_rules(), frozenset(), s)
    at = {ln.text: i for i, ln in enumerate(j.lines)}
    items = [at[t] for t in ITEMS]
    assert all(j.lines[i].cls == "good" for i in items)
    assert all(decided(j.lines, i, j.head, j.block) for i in items)
    # whatever the model says, the items stay
    j = judge(LIST_PAGE, load_rules(), frozenset(), s)
    apply_model(j.lines, j.pre, j.block, j.head, j.has_stoplist, parse_model(_model(intercept=-20.0)))
    kept = {ln.text for ln in j.lines if ln.cls == "good"}
    assert set(ITEMS) <= kept
    # a label of a few words ("Lire aussi :") announces no list; nor does the sentence announce a lone
    # short line under it (a subheading's case, judged elsewhere)
    for page in (LIST_PAGE.replace(INTRO, "À lire aussi :"),
                 "\n".join(["Accueil | Cuisine | Desserts", HEADLINE, "Par Claire Dubois", P_VOTE, P_WORKS,
                            INTRO, ITEMS[0], P_PARENTS, "Partager"])):
        j = judge(page, load_rules(), frozenset(), s)
        k = next(i for i, ln in enumerate(j.lines) if ln.text == ITEMS[0])
        assert not _announced(j.lines, k)
    j = judge(LIST_PAGE.replace(INTRO, "À lire aussi :"), load_rules(), frozenset(), s)
    assert not any(decided(j.lines, i, j.head, j.block) for i, ln in enumerate(j.lines) if ln.text in ITEMS[1:])


STANDFIRST = ("Les élus ont adopté lundi un budget de douze millions d'euros pour rénover les trois écoles "
              "primaires de la commune")


def test_the_standfirst_right_under_the_headline_is_final():
    assert STANDFIRST_WORDS == defaults()["clean"].standfirst_min_words
    s = defaults()["clean"]
    page = "\n".join(["Accueil | Économie | Sport", HEADLINE, STANDFIRST, "Par Claire Dubois", P_VOTE, P_WORKS,
                      P_PARENTS, "Partager"])
    j = judge(page, load_rules(), frozenset(), s)
    k = next(i for i, ln in enumerate(j.lines) if ln.text == STANDFIRST)
    assert k == j.head + 1 and j.lines[k].cls == "good" and decided(j.lines, k, j.head, j.block)
    apply_model(j.lines, j.pre, j.block, j.head, j.has_stoplist, parse_model(_model(intercept=-20.0)))
    assert j.lines[k].cls == "good"
    # a shorter line there (a label, a caption's few words), or the standfirst below the byline, is the
    # model's to judge
    short = "Le vote a eu lieu lundi soir."
    for lines, text in (([HEADLINE, short, "Par Claire Dubois"], short),
                        ([HEADLINE, "Par Claire Dubois", STANDFIRST], STANDFIRST)):
        page = "\n".join(["Accueil | Économie | Sport", *lines, P_VOTE, P_WORKS, P_PARENTS, "Partager"])
        j = judge(page, load_rules(), frozenset(), s)
        assert j.lines[j.head].text == HEADLINE
        k = next(i for i, ln in enumerate(j.lines) if ln.text == text)
        assert j.lines[k].cls == "good" and not decided(j.lines, k, j.head, j.block), text
