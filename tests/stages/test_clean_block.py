"""The article's block and what the context keeps around it (clean stage, before the line model).

Examples written for the project: whole pages as a scraper dumps them, one block per line.
"""

from __future__ import annotations

from pageparts import NAV as NAV_ALL  # tests/pageparts.py
from pageparts import P1, P2, P3, TITLE

from pipeline.settings import or_defaults
from pipeline.stages.clean import judge, load_rules

P4 = ("Le maire a promis une nouvelle réunion publique avant l'été, où les plans définitifs seront "
      "présentés aux habitants et aux commerçants de la rue principale qui bordent le futur chantier.")
NAV = NAV_ALL[:6]


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


# -- a block of items (a gallery's captions, a directory of sites) weighs less ----------------------

def _blurb(k: int) -> str:
    return (f"Le service numéro {k} du groupe réunit chaque semaine des conseils pratiques, des entretiens "
            f"et des guides pour les lecteurs qui veulent en savoir davantage sur leur région.")


def test_a_directory_of_labels_each_over_one_blurb_does_not_outweigh_the_article():
    # name, blurb, name, blurb... in the footer holds more paragraph characters than a short article
    # but every paragraph stands alone under its label: a list of items, weighed at half
    directory = [x for k in range(1, 9) for x in (f"Service {k}", _blurb(k))]
    page = "\n".join([*NAV, TITLE, P1, P2, P3, "Partager", "Mentions légales", *NAV, *NAV, *directory, "Contact"])
    j = judge(page, load_rules(), frozenset(), or_defaults("clean", None))
    assert sum(len(x) for x in (P1, P2, P3)) < sum(len(x) for x in directory if len(x) > 100) / 2
    assert (j.lines[j.block[0]].text, j.lines[j.block[1]].text) == (P1, P3)
    assert j.lines[j.head].text == TITLE


def test_paragraphs_run_one_under_another_are_an_article_not_items():
    # the same weight printed as running paragraphs (a subheading over two of them) is the body
    body = [_blurb(k) for k in range(1, 9)]
    page = "\n".join([*NAV, TITLE, P1, P2, P3, "Partager", "Mentions légales", *NAV, *NAV,
                      "Nos services", *body[:4], "Sur le terrain", *body[4:], "Contact"])
    j = judge(page, load_rules(), frozenset(), or_defaults("clean", None))
    assert j.lines[j.block[1]].text == body[-1]


def test_markup_printed_as_text_is_no_paragraph():
    from pipeline.stages.clean.density import markup

    code = ('<div class="notice"><p>Le site fonctionne mieux avec <em>JavaScript</em> activé.</p>'
            '<a href="/aide">Aide</a></div>')
    assert markup(code)
    assert not markup("Les ventes ont progressé de 3 % (< 5 % attendus) au troisième trimestre.")
    assert not markup("Il a écrit <b>en gras</b> le titre de son rapport sur la gestion de l'eau dans la région.")
    page = "\n".join([*NAV, code, TITLE, P1, P2, P3])
    got = _context(page)
    assert got[code] == "bad" and got[P1] == "good"


def test_a_long_cookie_notice_in_another_language_does_not_set_the_page_language():
    # the longest line of the page is an English consent notice; the article under it is Spanish:
    # the language sample takes more than that one line, so the Spanish stoplist judges the body
    from pipeline.stages.clean.density import article_stoplists, stoplist

    notice = ("We and our partners store small files on your device when you visit this site. Some of them "
              "are needed for the pages to load and for your account to stay signed in, so they are always "
              "on. Others count how many readers open each story and which pages they read next, so that "
              "the editors can see what works. A third group lets advertisers show you offers that match "
              "what you looked at elsewhere. You can turn the second and third groups off at any time in "
              "the settings below; the site will still work, but some videos may not play for you.")
    es = ["El ayuntamiento aprobó el martes por la noche el presupuesto de la nueva biblioteca, cuyas obras "
          "comenzarán en primavera después de dos años de debates entre el gobierno local y la oposición.",
          "Según la concejala de cultura, el edificio tendrá también una sala de conciertos y un espacio "
          "digital abierto a las asociaciones del barrio, con un coste total de doce millones de euros.",
          "Los vecinos, reunidos en un colectivo desde el año pasado, piden que el aparcamiento previsto en "
          "la plaza se reduzca a la mitad y que se conserven los árboles durante toda la obra."]
    assert all(len(notice) > len(p) for p in es) and len(notice) > 500
    page = "\n".join(["Inicio", "Noticias", "El ayuntamiento aprueba el presupuesto de la biblioteca", *es,
                      "Your privacy", notice])
    lang, lists = article_stoplists(page, load_rules(), or_defaults("clean", None))
    assert lang == "es" and lists == (stoplist("es", load_rules()),)


def test_a_page_in_one_language_is_not_sampled_again():
    # every long line reads as the detected language: the first (shared, cached) sample decides alone
    from pipeline.stages.clean.density import _foreign_sample, stoplist

    page = "\n".join([*NAV, TITLE, P1, P2, P3, P4])
    assert not _foreign_sample(page, stoplist("fr", load_rules()), or_defaults("clean", None))
    assert _foreign_sample(page, stoplist("de", load_rules()), or_defaults("clean", None))
