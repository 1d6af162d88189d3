"""Real pages: the headline, the publication date and the article's block on whole-page dumps.

Each cue with an example written for the project (a whole page as a scraper dumps it: menus,
teasers, share rows, comments and all, one block per line).
"""

from __future__ import annotations

from datetime import date

import pytest
from pageparts import NAV, P1, P2, P3, TITLE  # tests/pageparts.py

from pipeline.stages.clean import clean
from pipeline.stages.metadata import date_in_line, detect_metadata, load_rules
from pipeline.text.datelines import line_dates
from pipeline.text.lines import headline_like, word_count


def _meta(text: str):
    return detect_metadata(text, clean(text))


def _kept(text: str) -> list[str]:
    return [d.text for d in clean(text).lines if d.keep]


def test_headline_just_above_the_body_deep_in_the_page():
    page = "\n".join([*NAV, "Culture", TITLE, "Par Claire Dubois", "Publié le 4 novembre 2021 à 18h05",
                      "Partager", P1, P2, P3, "Mentions légales"])
    m = _meta(page)
    assert m.title == TITLE
    assert (m.published, m.published_source) == (date(2021, 11, 4), "text")
    kept = _kept(page)
    assert kept[0] == TITLE and not set(NAV) & set(kept)


def test_the_site_name_and_a_newsletter_box_at_the_top_are_not_the_headline():
    page = "\n".join(["Le Courrier du Val", "Recevez notre newsletter chaque matin dans votre boîte",
                      *NAV, TITLE, "04.11.2021", P1, P2])
    m = _meta(page)
    assert m.title == TITLE and m.published == date(2021, 11, 4)


def test_headline_stands_over_its_standfirst():
    standfirst = ("Après deux ans de débats, la majorité municipale a fait adopter le projet malgré "
                  "l'opposition d'une partie des riverains du quartier de la gare")
    page = "\n".join([*NAV, TITLE, standfirst, "Partager", "Tweeter", P1, P2, P3])
    assert _meta(page).title == TITLE


def test_photo_credit_is_neither_headline_nor_body():
    credit = "Le chantier de la future médiathèque. Photo : Jean Martin / AFP"
    page = "\n".join([*NAV, TITLE, credit, P1, P2, P3])
    c = clean(page)
    assert _meta(page).title == TITLE
    assert next(d for d in c.lines if d.text == credit).reason == "boilerplate.placeholder.credit_tail"


def test_no_headline_no_title_rather_than_a_wrong_line():
    page = "\n".join([*NAV, P1, P2, P3])
    assert _meta(page).title is None


@pytest.mark.parametrize("line, expected", [
    ("04.11.2021", date(2021, 11, 4)),
    ("04/11/2021 à 18h05", date(2021, 11, 4)),
    ("Publié le jeudi 4 novembre 2021", date(2021, 11, 4)),
    ("Publié sur 07/06/2022", date(2022, 6, 7)),
    ("2021-11-04T18:05:00+01:00", date(2021, 11, 4)),
    ("Posted on November 4, 2021 by Jane Roe", date(2021, 11, 4)),
    ("Veröffentlicht am 4. November 2021", date(2021, 11, 4)),
    ("4 listopada 2021", date(2021, 11, 4)),  # Polish month names: babel (rules/metadata/locales.tsv)
    ("2021. november 4.", date(2021, 11, 4)),  # Hungarian, year first
    ("2021. 11. 04. 18:05", date(2021, 11, 4)),
    ("2021年11月4日 18:05", date(2021, 11, 4)),
    ("Publié le 4 nov 21 à 9:21", date(2021, 11, 4)),  # a two-digit year after a publication cue
    ("4 de noviembre de 202118:05 hs", date(2021, 11, 4)),  # the year glued to the next inline element
    ("4. November 20214. November 2021", date(2021, 11, 4)),
    ("Publié le 4 novembre 20214 novembre 2021", date(2021, 11, 4)),
    ("04.nov.2021 às 18h05", date(2021, 11, 4)),
    ("Agence régionale ( 2021-11-04 18:05:12 ) source : la rédaction", date(2021, 11, 4)),  # a timestamp
    ("Posted by: Jane Roe on November 4, 2021 in Local News", date(2021, 11, 4)),
    ("4 نوفمبر 2021", date(2021, 11, 4)),  # Arabic month names: babel
])
def test_publication_date_forms(line, expected):
    assert date_in_line(line) == expected


def test_two_digit_year_needs_a_cue_and_is_not_a_clock_time():
    rules = load_rules()
    assert line_dates("le 4 novembre 20215 fois", rules, short_line=120) == []
    assert line_dates("4 nov 21", rules, short_line=120) == []
    assert line_dates("Publié le 4 novembre 20 h 30", rules, short_line=120) == []


def test_update_date_is_marked_and_second_to_the_publication_date():
    rules = load_rules()
    found = line_dates("Le Journal | 04.11.2021 à 09h41 • Mis à jour le 05.11.2021 à 17h05 | Par Claire Dubois "
                       "et Paul Petit, avec le service politique du journal", rules, short_line=120)
    assert found == [(date(2021, 11, 4), "date"), (date(2021, 11, 5), "updated")]


def test_the_site_date_bar_and_teaser_dates_are_not_the_article_date():
    teasers = ["Un incendie détruit un entrepôt dans la zone industrielle", "12 octobre 2021",
               "Le marché de Noël reviendra sur la place de la mairie", "11 octobre 2021"]
    page = "\n".join(["Mardi 1 décembre 2026", *NAV, *teasers, "Culture", TITLE, "Par Claire Dubois",
                      "Publié le 4 novembre 2021", P1, P2, P3])
    assert _meta(page).published == date(2021, 11, 4)
    # without a date near the headline, none: never the date bar's or a teaser's
    page = "\n".join(["Mardi 1 décembre 2026", *NAV, *teasers, "Culture", TITLE, "Par Claire Dubois",
                      P1, P2, P3])
    assert _meta(page).published is None


def test_comment_thread_after_the_article_is_dropped_with_its_dates():
    comments = []
    for who, day in (("Marc", 5), ("Sophie", 6), ("Karim", 7)):
        comments += [f"{who} le {day} novembre 2021 à 10:12",
                     "Je trouve que la mairie aurait pu consulter davantage les habitants du quartier avant "
                     "de lancer un chantier de cette taille, qui va durer au moins trois ans selon eux."]
    page = "\n".join([*NAV, TITLE, "Publié le 4 novembre 2021", P1, P2, "3 commentaires", *comments])
    kept = _kept(page)
    assert kept == [TITLE, P1, P2]
    assert _meta(page).published == date(2021, 11, 4)


def test_a_heavier_list_of_other_stories_after_the_article_does_not_take_its_place():
    others = []
    for k in range(4):
        others += [f"Autre sujet de la rubrique régionale numéro {k}", f"{k + 1} novembre 2021",
                   f"{P3} Un autre article de la rubrique, le numéro {k}, que le journal propose à ses lecteurs."]
    page = "\n".join([*NAV, TITLE, "Publié le 4 novembre 2021", P1, P2, "Partager", "Sur le même sujet",
                      *others])
    m = _meta(page)
    assert m.title == TITLE and m.published == date(2021, 11, 4)
    kept = _kept(page)
    assert P1 in kept and P2 in kept and not any(x in kept for x in others)


def test_words_of_scripts_without_spaces():
    assert word_count("市议会通过新图书馆的预算") == 6
    assert headline_like("市议会通过新图书馆的预算", load_rules(), short_line=120)
    assert word_count("La ville vote") == 3


def test_headline_printed_twice_with_its_date_between():
    page = "\n".join(["À la une", TITLE, "2021-11-04 par la rédaction", TITLE,
                      "Par la rédaction | Mise à jour : 5 novembre 2021", P1, P2])
    m = _meta(page)
    assert m.title == TITLE
    assert (m.published, m.published_source) == (date(2021, 11, 4), "text")


def test_live_feed_stamps_are_dropped_but_do_not_break_the_feed():
    short = "Carton jaune pour le capitaine, trop lent à jouer le coup franc."
    page = "\n".join([*NAV, TITLE, "Publié le 4 novembre 2021", P1, "88'", short, "85'", P2, "14h32", P3])
    c = clean(page)
    reasons = {d.text: d.reason for d in c.lines}
    assert reasons["88'"].startswith("stamp") and reasons["14h32"].startswith("stamp")
    assert short in _kept(page) and "88'" not in _kept(page)
    assert _meta(page).published == date(2021, 11, 4)


def test_bylines_with_a_colon_are_byline_lines():
    from pipeline.text.lines import is_meta_line

    rules = load_rules()
    for line in ("Par : Claire Dubois", "By: Jane Roe", "Par Claire Dubois"):
        assert is_meta_line(line, rules, short_line=120)
    assert not is_meta_line("Parmi les riverains, beaucoup hésitent", rules, short_line=120)


@pytest.mark.parametrize("sentence", [
    "La CNIL a infligé une amende de 150 millions d'euros à Google pour ses cookies publicitaires.",
    "Utilizamos el dinero del fondo para reparar las escuelas, explicó el alcalde ante el pleno.",
    "Le tribunal a jugé que l'œuvre ne peut être reproduite sans l'accord de ses héritiers.",
    "The senator said the bill would send tax refunds directly to households within a month.",
])
def test_news_sentences_about_cookies_or_copyright_are_body(sentence):
    from pipeline.stages.clean import load_rules as boilerplate_rules

    assert boilerplate_rules().match(sentence) is None


def test_headline_over_its_byline_wins_over_a_long_caption_above_the_body():
    # the line right above the first paragraph is a photo caption without a credit; the headline
    # is the line its byline and date follow
    title = "La médiathèque aura son budget"
    caption = ("Maquette du futur bâtiment présentée mardi soir aux habitants du quartier de la gare, "
               "salle Jean-Moulin")
    page = "\n".join([*NAV, "Culture", title, "Par Claire Dubois", "4 novembre 2021", caption, P1, P2, P3])
    assert _meta(page).title == title


@pytest.mark.parametrize("line", ["3e mandat pour le maire sortant de la commune",
                                  "15-year-old cyclist hurt in a crash on the ring road"])
def test_a_headline_may_open_with_a_number_glued_to_letters(line):
    assert headline_like(line, load_rules(), short_line=120)
    assert not headline_like("mandat pour le maire sortant de la commune", load_rules(), short_line=120)


def test_of_two_equal_candidates_the_upper_is_the_headline():
    # a headline stands over what follows it (an author line with a role, a standfirst, a caption):
    # between candidates scored alike, the upper one is the headline
    title = "La médiathèque de la gare aura son budget"
    page = "\n".join([*NAV, title, "Claire Dubois, notre correspondante à Lyon", "4 novembre 2021", P1, P2, P3])
    assert _meta(page).title == title


def test_headline_over_a_row_of_tags_above_the_body():
    # nine topic tags between the headline's date and the first paragraph (``headline_above`` = 10)
    tags = ["Médiathèque", "Budget municipal", "Conseil", "Urbanisme", "Quartier de la gare", "Riverains",
            "Travaux", "Associations", "Spectacle vivant"]
    page = "\n".join([*NAV, TITLE, "4 novembre 2021", *tags, P1, P2, P3])
    assert _meta(page).title == TITLE


MORE_NAV = ["Mentions légales", "Plan du site", "Contact", "Publicité", "Aide", "Flux RSS"]


def test_a_short_label_above_the_body_is_no_headline():
    # fewer than ``headline_min_words`` words, no byline or date beside it, printed once: a label
    page = "\n".join([*NAV, *MORE_NAV, "Toutes nos rubriques", P1, P2, P3])
    assert _meta(page).title is None


@pytest.mark.parametrize("around", [["Le budget voté", "4 novembre 2021"], ["4 novembre 2021", "Le budget voté"]])
def test_a_short_headline_with_its_date_beside_it(around):
    page = "\n".join([*NAV, *MORE_NAV, *around, P1, P2, P3])
    assert _meta(page).title == "Le budget voté"


def test_page_title_with_the_site_name_gives_way_to_the_headline_printed_alone():
    # the dump opens with the page's title ("Headline - Site"); the headline stands alone lower,
    # with its byline and date
    page = "\n".join(["Le Courrier du Val - " + TITLE, P1, P2, P3, TITLE, "Par Claire Dubois, le 4 novembre 2021"])
    m = _meta(page)
    assert (m.title, m.published) == (TITLE, date(2021, 11, 4))


@pytest.mark.parametrize("line", [
    # three sentences: a standfirst or a caption
    "« Nous ne lâcherons rien. Le projet doit aboutir. Les habitants l'attendent », a dit le maire",
    # a photo credit closing a caption
    "Le maire, Jean Dupont, devant la maquette du futur bâtiment / AFP",
    "La ministre à son arrivée à la préfecture mardi (Jean Martin/Studio Val)",
    # a sentence closed by a full-width stop (scripts without spaces)
    "市议会通过新图书馆的预算。",
])
def test_captions_and_standfirsts_are_no_headline(line):
    assert not headline_like(line, load_rules(), short_line=120)


@pytest.mark.parametrize("line", ["RÉCIT. À Lyon, les nuits d'un boulanger avant l'aube",
                                  "M. Dupont quitte la mairie après trois mandats",
                                  "Fragen zu Klima / FAQ und Antworten"])
def test_one_inner_sentence_end_an_initial_or_a_slash_stay_headline_like(line):
    assert headline_like(line, load_rules(), short_line=120)


def test_a_date_line_in_a_language_without_a_stoplist_marks_its_headline():
    # Chinese is judged by length alone: its date/source line is still a date line, so the
    # headline over it wins over the short quoted lines that open the article
    zh = ["首页", "新闻", "教育", "市议会通过新图书馆的预算", "2021-11-04 18:05 来源：本报", "分享", "评论",
          "“妈妈，图书馆什么时候开门？”", "“孩子，明年春天就开门了。”",
          "市议会星期二晚上通过了新图书馆的预算，工程将在明年春天开始，经过两年的讨论，多数派和反对派终于达成一致，居民们对此表示欢迎。",
          "负责文化的副市长表示，新图书馆还将设有一个演出厅和一个向社区协会开放的数字空间，总投资为一千二百万元，预计两年后建成并对公众开放。",
          "附近居民自去年以来组成了一个团体，要求将广场上计划修建的停车场缩小一半，并在施工期间保留现有的树木，市政府表示将认真考虑这些意见。"]
    m = _meta("\n".join(zh))
    assert (m.title, m.published) == ("市议会通过新图书馆的预算", date(2021, 11, 4))


def test_a_headline_may_close_on_an_abbreviation():
    rules = load_rules()
    assert headline_like("Le FMI revoit la croissance des É.-U. et de la C.E.E.", rules, short_line=120)
    assert headline_like("Les pompiers luttent contre un incendie près de N.Y.C.", rules, short_line=120)
    assert not headline_like("Les pompiers luttent contre un incendie près du port.", rules, short_line=120)


def test_glued_menu_labels_are_no_headline():
    rules = load_rules()
    assert not headline_like("À la une PolitiqueÉconomieSportCultureMétéo Faits divers", rules, short_line=120)
    assert headline_like("Le premier iPhone pliable présenté à Paris par Apple", rules, short_line=120)


BLURB = ("Le Courrier du Val est un journal indépendant fondé en 1950 qui couvre l'actualité de toute la "
         "vallée, de ses communes et de ses associations, chaque jour sur papier et en ligne.")


def test_headline_under_a_site_blurb_that_opens_the_block():
    # the site's blurb is a paragraph a few lines above the headline: the block opens with it, yet the
    # headline is the line its byline and date follow, with the article's paragraphs under it
    page = "\n".join([*NAV, BLURB, "Boutique", "Nos offres", TITLE, "Par Claire Dubois", "4 novembre 2021",
                      P1, P2, P3])
    m = _meta(page)
    assert (m.title, m.published) == (TITLE, date(2021, 11, 4))


def test_a_list_of_dated_teasers_inside_the_block_gives_no_headline():
    teasers = ["Le marché de Noël ouvre ses portes samedi", "Par Paul Martin", "3 novembre 2021",
               "La piscine municipale fermée pour travaux", "Par Anne Petit", "2 novembre 2021"]
    page = "\n".join([*NAV, BLURB, "Boutique", *teasers, P1, P2, P3])
    assert _meta(page).title not in {t for t in teasers}


P4 = ("Le chantier de la place du marché reprendra au printemps, a confirmé la mairie, qui promet de "
      "limiter les nuisances pour les commerçants et d'ouvrir un parking provisoire derrière la gare routière.")
P5 = ("Dans les autres quartiers, les travaux de voirie se poursuivent jusqu'à la fin de l'année, avec "
      "des déviations signalées aux entrées de la ville et des horaires de bus adaptés chaque semaine.")


def test_a_dated_headline_above_a_heavier_block_wins_over_an_undated_heading():
    # a one-paragraph article, then a heavier run of paragraphs under its own undated heading: the
    # headline is the one its byline and date follow, not the heading over the heavier block
    tags = ["Médiathèque", "Budget municipal", "Conseil", "Urbanisme", "Quartier de la gare", "Riverains",
            "Travaux", "Associations", "Spectacle vivant", "Sport", "Jeunesse", "Santé", "Emploi"]
    page = "\n".join([*NAV, TITLE, "Par Claire Dubois", "4 novembre 2021", P1, *tags,
                      "Les travaux continuent dans toute la ville", P2, P3, P4, P5])
    m = _meta(page)
    assert (m.title, m.published) == (TITLE, date(2021, 11, 4))


def test_explain_names_the_headline_cues():
    from pipeline.explain import headline_cues

    page = "\n".join([*NAV, "À la une : " + TITLE, TITLE, "Par Claire Dubois", "4 novembre 2021", P1, P2])
    lines = clean(page).lines
    k = next(k for k, d in enumerate(lines) if d.reason == "headline")
    cues = headline_cues(lines, k)
    assert cues[0] == "9 words"
    assert cues[1] == "byline/date beside it: raw line 13 'Par Claire Dubois'"
    assert "printed again on raw line(s) 11" in cues
    assert cues[-1] == "first paragraph under it: raw line 15"


def test_a_row_of_menu_labels_is_no_headline():
    # capitalised words, no stop word, no punctuation: a menu row, even of five words; the short
    # headline under it has its byline and date below the standfirst
    page = "\n".join([*NAV, "Articles Dossiers Cartes Boutique Emplois", "Culture", "Médiathèque : budget adopté",
                      P1, "Par Claire Dubois", "Publié le 4 novembre 2021", P2, P3])
    assert _meta(page).title == "Médiathèque : budget adopté"


TAGS = ["Culture", "Budget", "Municipalité", "Médiathèque", "Quartier de la gare", "Travaux", "Riverains",
        "Associations", "Conseil municipal", "Opposition"]
CAPTION = "La future médiathèque vue depuis la place de la Gare en mars 2021"


def test_headline_over_its_standfirst_and_byline_far_above_the_body():
    # headline, standfirst, share button, byline and date, then ten tags and a photo caption: the
    # headline is out of ``headline_above`` reach of the first paragraph, the caption is not
    page = "\n".join([*NAV, TITLE, "Le projet a été adopté malgré les critiques.", "Partager", "Par Claire Dubois",
                      "4 novembre 2021", *TAGS, CAPTION, P1, P2, P3])
    assert _meta(page).title == TITLE


def test_teasers_with_standfirst_and_date_do_not_take_the_headline():
    # two other stories, each a headline, a one-sentence summary and a date: a list, not the article's headline
    teasers = ["Le marché de Noël ouvrira ses portes samedi", "Cinquante chalets s'installent sur la place.",
               "3 novembre 2021", "Les cantines passeront au bio dès janvier", "La mairie a changé de fournisseur.",
               "2 novembre 2021"]
    page = "\n".join([*NAV, *teasers, *TAGS, TITLE, "4 novembre 2021", P1, P2, P3])
    assert _meta(page).title == TITLE


def test_a_headline_with_a_brand_name_glued_in_it_is_no_menu():
    # one lower-case letter glued to a capital ("JavaScript") flags a line as glued menu labels; a
    # line of five words or more with no separator is a headline naming a brand
    title = "Tester son code JavaScript sans navigateur"
    page = "\n".join([*NAV, title, P1, P2, P3])
    assert _meta(page).title == title
    assert _meta("\n".join([*NAV, "ActualitésSport", P1, P2, P3])).title is None


@pytest.mark.parametrize("age", ["Claire Dubois, il y a 3 heures", "Claire Dubois 1 day ago", "Claire Dubois, vor 5 Stunden"])
def test_a_byline_giving_the_story_age_marks_the_headline(age):
    # "il y a 3 heures", "1 day ago": a byline with the story's age, no date; a link to another story
    # of more words stands right above the first paragraph
    teaser = "Les cantines de la ville passeront toutes au bio dès le mois de janvier"
    page = "\n".join([*NAV, TITLE, age, "Partager", "Tweeter", teaser, P1, P2, P3])
    assert _meta(page).title == TITLE
