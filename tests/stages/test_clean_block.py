"""The article's block and what the context keeps around it (clean stage, before the line model).

Examples written for the project: whole pages as a scraper dumps them, one block per line.
"""

from __future__ import annotations

from pipeline.settings import or_defaults
from pipeline.stages.clean import judge, load_rules

P1 = ("Le conseil municipal a voté mardi soir le budget de la nouvelle médiathèque, dont les travaux "
      "doivent commencer au printemps après deux années de débats entre la majorité et l'opposition.")
P2 = ("Selon l'adjoint chargé de la culture, le bâtiment accueillera aussi une salle de spectacle et "
      "un espace numérique ouvert aux associations du quartier, pour un coût total de douze millions.")
P3 = ("Les riverains, réunis en collectif depuis l'an dernier, demandent que le parking prévu sur la "
      "place soit réduit de moitié et que les arbres existants soient conservés pendant le chantier.")
P4 = ("Le maire a promis une nouvelle réunion publique avant l'été, où les plans définitifs seront "
      "présentés aux habitants et aux commerçants de la rue principale qui bordent le futur chantier.")
NAV = ["Accueil", "Actualités", "Politique", "Économie", "Sport", "Culture"]
TITLE = "La ville vote le budget de sa nouvelle médiathèque"


def _context(page: str) -> dict[str, str]:
    """Each line's class after the rules, the density test and the context (no line model)."""
    j = judge(page, load_rules(), frozenset(), or_defaults("clean", None))
    return {ln.text: ln.cls for ln in j.lines}


def test_an_ad_label_or_a_photo_button_between_paragraphs_does_not_cut_a_short_line_off():
    # inside the block, chrome a rule drops (an ad label, a video button) is no neighbour:
    # the short question between them stays with the paragraphs around it
    question = "Et la place du marché ?"
    for chrome in ("Publicité", "Voir la vidéo"):
        page = "\n".join([*NAV, TITLE, P1, chrome, question, chrome, P2, P3, "Mentions légales"])
        got = _context(page)
        assert got[chrome] == "bad"
        assert got[question] == "good", chrome


def test_a_one_or_two_word_label_in_a_share_row_stays_with_the_row():
    # "Commenter" beside the share buttons is of the row, not of the article
    page = "\n".join([*NAV, TITLE, P1, "Commenter", "Partager", "Partager", "Élections", P2, P3])
    got = _context(page)
    assert got["Commenter"] == "bad" and got["Élections"] == "bad"
    assert got[P2] == "good"


def test_chrome_between_two_comment_posts_still_separates_them():
    # a comment's "Répondre" marks a thread, not inline chrome: a short line after it is judged as before
    page = "\n".join([*NAV, TITLE, P1, P2, "Répondre", "Bien vu, merci pour cet article !", "Répondre", P3])
    assert _context(page)["Bien vu, merci pour cet article !"] == "bad"


def test_a_colon_label_over_a_paragraph_inside_the_block_is_a_heading_past_an_ad_label():
    # "Pour les personnes malvoyantes :" opens a section of the article; an ad label between it and
    # its paragraph does not cut it off (without the cue, the gallery count "3" above it drops it)
    label = "Pour les personnes malvoyantes :"
    page = "\n".join([*NAV, TITLE, P1, P2, "3", "Crédit photo : Jean Martin", label, "Publicité", P3, P4,
                      "Mentions légales"])
    j = judge(page, load_rules(), frozenset(), or_defaults("clean", None))
    ln = next(x for x in j.lines if x.text == label)
    assert (ln.cls, ln.heading) == ("good", True)
    assert ln.reason.startswith("context:heading:")


def test_a_short_sentence_right_under_the_last_paragraph_closes_the_article():
    # a sentence with few stop words (names) under the last paragraph, a contact line and links below it
    closing = "Rendez-vous samedi 14 mars, salle Jean-Moulin, avec Paul Martin et Léa Roux !"
    page = "\n".join([*NAV, TITLE, P1, P2, P3, closing, "Contact : mairie", "Liens", "Facebook", "Twitter",
                      "Accueil | Plan du site | Contact"])
    got = _context(page)
    assert got[closing] == "good"
    assert got["Contact : mairie"] == "bad" and got["Liens"] == "bad"
    # a label right under the block is no closing sentence
    page = "\n".join([*NAV, TITLE, P1, P2, P3, "Suivez-nous sur les réseaux", "Facebook", "Twitter",
                      "Accueil | Plan du site | Contact"])
    assert _context(page)["Suivez-nous sur les réseaux"] == "bad"


def test_a_list_title_over_its_first_numbered_item_is_a_heading_too():
    # paragraph, the list's title, "1. ..." over its paragraph: both titles are headings of the article
    title, item = "Nos trois adresses préférées du quartier", "1. La Table de Marthe"
    page = "\n".join([*NAV, TITLE, P1, P2, title, item, P3, "2. Le Comptoir des Halles", P4, "Mentions légales"])
    j = judge(page, load_rules(), frozenset(), or_defaults("clean", None))
    got = {x.text: x for x in j.lines}
    assert got[item].heading and got[title].heading
    assert got[title].cls == "good" and got[title].reason.startswith("context:heading:")
    # a box's label over a teaser title, under no paragraph, is no section title of the article
    box = "\n".join([*NAV, TITLE, P1, P2, "Partager", "Gardons le contact", "Sur le même thème ailleurs", P3, P4])
    j = judge(box, load_rules(), frozenset(), or_defaults("clean", None))
    assert not next(x for x in j.lines if x.text == "Gardons le contact").heading


def test_numbered_step_markers_do_not_split_the_steps_into_small_blocks():
    # a how-to: "Étape N" over each step, seven short steps between the long ones; neither the markers
    # nor a step's sentence right under its marker count in the gap between paragraphs, so the steps
    # are one block, heavier than a long blurb printed under the page's teasers (without the cue the
    # block ends at the second step)
    from pipeline.stages.clean.context import step_markers

    short = ["Salez, poivrez.", "Ajoutez 20 g de beurre, 5 cl de crème.", "Mélangez bien.", "Laissez reposer 10 min.",
             "Préchauffez le four à 180 °C.", "Beurrez le moule.", "Versez la pâte."]
    steps = [P1, P2, *short, P3, P4]
    body = []
    for n, step in enumerate(steps, 1):
        body += [f"Étape {n}", step]
    blurb = " ".join([P1, P2, P3])  # one long paragraph, printed alone at the foot of the page
    page = "\n".join([*NAV, TITLE, *body, "Recettes similaires", "Tarte aux poireaux", "Gratin de courges",
                      "Soupe à l'oignon", "Quiche lorraine", "Flan de légumes", "Velouté de potiron",
                      "Clafoutis aux cerises", "Newsletter", "Inscrivez-vous", blurb])
    j = judge(page, load_rules(), frozenset(), or_defaults("clean", None))
    texts = [x.text for x in j.lines]
    assert {texts[i] for i in step_markers(j.lines)} == {f"Étape {n}" for n in range(1, 12)}
    first, last = j.block
    assert texts[first] == P1 and texts[last] == P4
    # a word and a number printed once ("Étape 2" with no "Étape 1" or "Étape 3", "Covid 19") is no marker
    page = "\n".join([*NAV, TITLE, P1, "Covid 19", P2, "Étape 2", P3])
    assert not step_markers(judge(page, load_rules(), frozenset(), or_defaults("clean", None)).lines)


def test_a_title_over_a_paragraph_past_the_article_and_its_chrome_is_a_teaser_not_a_subheading():
    teaser_title = "Le stade municipal rouvre ses portes"
    teaser = ("Après huit mois de travaux, la pelouse synthétique est prête et les clubs de la ville "
              "reprennent leurs entraînements dès la semaine prochaine, a annoncé la mairie.")
    page = "\n".join([*NAV, TITLE, P1, P2, P3, "Partager", "Tweeter", "Envoyer", "Imprimer", "Commenter",
                      "Signaler", "Suivre", "Sur le même sujet", teaser_title, teaser, "Mentions légales"])
    j = judge(page, load_rules(), frozenset(), or_defaults("clean", None))
    ln = next(x for x in j.lines if x.text == teaser_title)
    assert not ln.heading and not ln.reason.startswith(("heading:", "context:heading:"))
    # the same title between two of the article's paragraphs is a subheading
    page = "\n".join([*NAV, TITLE, P1, P2, teaser_title, P3, P4])
    j = judge(page, load_rules(), frozenset(), or_defaults("clean", None))
    assert next(x for x in j.lines if x.text == teaser_title).heading
    # and so it is past a run of code lines that ended the block early, with no chrome after the block
    code = ["import os", "x = os.getcwd()", "y = len(x)", "print(x, y)", "z = [x] * 3", "del z", "os.exit(0)"]
    page = "\n".join([*NAV, TITLE, P1, P2, *code, teaser_title, P3, "Mentions légales"])
    j = judge(page, load_rules(), frozenset(), or_defaults("clean", None))
    assert j.block is not None and j.lines[j.block[1]].text == P2
    assert next(x for x in j.lines if x.text == teaser_title).heading


def test_a_title_right_over_the_first_step_marker_is_the_heading_of_the_steps():
    # "Préparation pas à pas" over "Étape 1" over its paragraph: the steps' heading, not a label
    title = "Préparation pas à pas"
    page = "\n".join([*NAV, TITLE, "Ajouter à ma liste de courses", title, "Étape 1", P1, "Étape 2", P2,
                      "Étape 3", P3, "Mentions légales"])
    j = judge(page, load_rules(), frozenset(), or_defaults("clean", None))
    ln = next(x for x in j.lines if x.text == title)
    assert ln.heading and ln.cls == "good"
    # a title over a lone "Étape 2" (no step before or after it) is no such heading
    page = "\n".join([*NAV, TITLE, P1, "Ajouter à ma liste de courses", title, "Étape 2", P2, P3])
    j = judge(page, load_rules(), frozenset(), or_defaults("clean", None))
    assert not next(x for x in j.lines if x.text == title).heading
