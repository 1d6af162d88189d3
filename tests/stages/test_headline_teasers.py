"""The headline past a run of other stories' teasers or a poll (``headline_teasers.py``).

Examples written for the project (invented sites, headlines, names and paragraphs), one block per
line as a scraper dumps a page.
"""

from __future__ import annotations

import pytest
from pageparts import NAV as NAV_ALL  # tests/pageparts.py
from pageparts import P1, P2, P3, TITLE
from pageparts import page_title as _title

NAV = NAV_ALL[:8]

#: four teasers of a "latest news" box, each a section label, a headline, an author and an age
LATEST = ["Société", "Un nouveau marché couvert ouvrira ses portes dans le quartier de la gare", "Lucie Perrin",
          "il y a 12 minutes",
          "Sport", "Le club de handball remporte son troisième match de suite à domicile", "Marc Olivier",
          "il y a 25 minutes",
          "Société", "Les travaux du pont Saint-Michel prendront fin avant la rentrée scolaire", "Lucie Perrin",
          "il y a 40 minutes",
          "Culture", "Le festival de jazz annonce une programmation entièrement gratuite cet été", "Marc Olivier",
          "il y a une heure"]


def test_a_run_of_dated_teasers_between_the_headline_and_its_text_is_passed_over():
    # the headline, a "latest" box of four teasers (each with its own author and age), then the article
    page = [*NAV, "Politique / Municipales", TITLE, "Dernières infos", *LATEST, "Voir plus",
            P1, "Claire Dubois", "4 novembre 2021", P2, P3]
    assert _title(page) == TITLE


def test_the_last_teaser_of_the_run_is_no_headline_by_its_age_either():
    # same page with no headline printed over the box: the last teaser, with its age under it, is not chosen
    page = [*NAV, "Dernières infos", *LATEST, "Voir plus", P1, "Claire Dubois", "4 novembre 2021", P2, P3]
    assert _title(page) != LATEST[-3]


def test_teasers_each_over_the_same_link_are_a_run():
    # "Lire la suite" under each of three teasers between the headline and the text
    teasers = []
    for t in ("Cinq idées de balades à vélo autour du lac ce week-end",
              "Les meilleures adresses pour un brunch en terrasse en ville",
              "Comment bien préparer son jardin avant les premières gelées"):
        teasers += [t, "Lire la suite"]
    page = [*NAV, TITLE, "À lire aussi sur notre site", *teasers, P1, P2, P3]
    assert _title(page) == TITLE


def test_a_paragraph_over_a_teaser_run_ends_the_search():
    # the text opens above a run of teasers that splits it: a line over that paragraph is not reached
    # through the run (a widget's notice stands there, the article's headline is found elsewhere)
    notice = "Votre sélection n'a pas pu être enregistrée, réessayez plus tard"
    page = [*NAV, notice, "Signaler", P1, "Sur le même thème", *LATEST, P2, P3]
    assert _title(page) != notice


def test_a_poll_question_between_the_headline_and_its_text_is_no_headline():
    poll = ["Sondage", "Faut-il rendre le centre-ville entièrement piéton le dimanche ?", "Oui", "Non",
            "Voir les résultats"]
    page = [*NAV, TITLE, *poll, "Par Claire Dubois", "4 novembre 2021", P1, P2, P3]
    assert _title(page) == TITLE


def test_a_question_headline_over_short_labels_is_still_the_headline():
    # no poll's word over the question or among the short lines under it: a question headline
    question = "Faut-il rendre le centre-ville entièrement piéton le dimanche ?"
    page = [*NAV, "Le blog de la rédaction", question, "Chronique", "Urbanisme", "Vie locale", "Signaler",
            P1, P2, P3]
    assert _title(page) == question


def test_the_widget_words_have_a_poll_word_in_several_languages():
    from pipeline.stages.clean.headline_teasers import load_widget_words

    words = load_widget_words()["poll"]
    assert {"sondage", "poll", "umfrage", "encuesta"} <= words


def test_a_malformed_widget_words_row_names_its_file_and_line(tmp_path):
    from pipeline.rulebook import RuleFileError
    from pipeline.stages.clean.headline_teasers import load_widget_words

    bad = tmp_path / "widget_words.tsv"
    bad.write_text("kind\tlang\twords\npoll\tfr\tsondage\npoll\tfr\tRésultats\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"widget_words.tsv:3"):
        load_widget_words.__wrapped__(bad)


RELATED = ["Le tramway de la ligne nord circulera de nouveau dès lundi matin",
           "Une exposition de photographies anciennes ouvre au musée du port",
           "Les inscriptions pour le semi-marathon d'automne sont ouvertes"]
STANDFIRST = "Les élus ont tranché après deux ans de débats."
#: a review box between the byline and the text: scores, a buy button, points for and against
BOX = ["Note de la rédaction", "8,5", "Acheter", "Points forts", "Un grand plateau de lecture au calme",
       "Des horaires élargis le soir", "Points faibles", "Un parking toujours trop petit", "Verdict"]


def test_the_headline_under_a_list_of_other_headlines_with_its_standfirst_and_byline():
    # three other stories' headlines one a line, then the headline, its standfirst and byline, a
    # review box between them and the text: the headline, not a line of the box
    page = [*NAV, *RELATED, TITLE, STANDFIRST, "Claire Dubois", "4 novembre 2021", "Commentaires",
            *BOX, P1, P2, P3]
    assert _title(page) == TITLE


def test_two_headlines_in_a_row_over_a_standfirst_are_a_headline_and_its_deck():
    # one headline-like line over the headline is no list: the lower is no pair of its own
    from pipeline.stages.clean.density import Line
    from pipeline.stages.clean.headline_teasers import under_list

    def ln(text: str) -> Line:
        return Line(0, text, "short", "density", 0.0)

    lines = [ln(RELATED[0]), ln(TITLE), ln(STANDFIRST)]
    assert not under_list(lines, 0, 2, lambda x: x.text in RELATED or x.text == TITLE)
    lines = [ln(t) for t in RELATED] + [ln(TITLE), ln(STANDFIRST)]
    assert under_list(lines, 2, 4, lambda x: x.text in RELATED or x.text == TITLE)
    # the line under is another headline: the next item of the list
    assert not under_list(lines, 2, 4, lambda x: True)
