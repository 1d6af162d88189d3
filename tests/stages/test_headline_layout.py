"""The headline read from the layout around it: a kicker over a quoted headline, a headline opening
with a social account's handle, a page header printed twice in a row.

Examples written for the project (invented sites, headlines and paragraphs), one block per line
as a scraper dumps a page.
"""

from __future__ import annotations

from pageparts import NAV as NAV_ALL  # tests/pageparts.py
from pageparts import P1, P2, P3, TITLE
from pageparts import page_title as _title

NAV = NAV_ALL[:8]

KICKER = ("La majorité municipale présente ce soir le projet de médiathèque aux habitants du quartier nord "
          "et aux associations")
QUOTE = "« Nous voulons un lieu ouvert à tous les habitants »"
STANDFIRST = "Le maire défendra devant les riverains un budget de douze millions d'euros."
BYLINE = "Par Claire Dubois"
DATE = "4 novembre 2021 à 16h15"


def test_a_quoted_headline_under_its_long_kicker():
    # the kicker (a long line with no final period), the quotation, the standfirst, the byline
    page = [*NAV, "Vie locale", KICKER, QUOTE, STANDFIRST, BYLINE, DATE, P1, P2, P3]
    assert _title(page) == QUOTE


def test_a_quoted_deck_under_a_headline_as_long_stays_the_deck():
    # a headline no longer than the quotation under it is the headline; the quotation is its deck
    head = "La ville vote enfin le budget de sa nouvelle médiathèque"
    page = [*NAV, "Vie locale", head, QUOTE, STANDFIRST, BYLINE, DATE, P1, P2, P3]
    assert _title(page) == head


def test_a_headline_opening_with_a_handle_over_its_standfirst():
    # "@Account ..." reads as a link; over a long standfirst with the date beside it, it is the headline
    head = "@MediathequeDuVal ouvre ses portes aux lecteurs du quartier"
    standfirst = ("Dès ce soir à 18 heures, les habitants pourront suivre en direct sur le compte de la "
                  "médiathèque la visite du chantier avec l'architecte")
    page = [*NAV, "Vie locale", head, standfirst, DATE, "Partager", P1, P2, P3]
    assert _title(page).lstrip("'") == head


def test_a_handle_line_over_a_short_line_is_no_headline():
    # a handle's line over a line no longer than itself (a post's text, then its date): the usual choice
    handle = "@MediathequeDuVal ouvre ses portes aux lecteurs du quartier"
    page = [*NAV, "Vie locale", handle, TITLE, DATE, "Partager", P1, P2, P3]
    assert _title(page) == TITLE


TAGLINE = "Une salle de lecture ouverte tard le soir"
BUTTONS = ["Réserver", "Horaires", "Plan d'accès", "S'inscrire", "Nous écrire", "Tarifs", "Agenda",
           "Catalogue", "Prêt", "Retour"]
FEATURES = ["Des milliers de livres et de revues en libre accès", "Des ordinateurs et une imprimante pour tous",
            "Un espace de jeux pour les plus jeunes lecteurs"]
CTA = "Vous avez déjà une carte de lecteur ?"


def test_a_header_printed_twice_in_a_row_gives_the_headline():
    # the page's title and tagline printed for wide then narrow screens, feature lines, buttons, then a
    # question over the text (printed once, no byline or date beside it)
    head = "La Médiathèque du Val en ligne"
    page = [*NAV, head, TAGLINE, head, TAGLINE, *FEATURES, *BUTTONS, CTA, P1, P2, P3]
    assert _title(page) == head


def test_pairs_printed_twice_again_and_again_are_a_menu():
    # three prints of the pair in a row are a menu's entries, not a header: the usual choice stays
    head = "La Médiathèque du Val en ligne"
    page = [*NAV, head, TAGLINE, head, TAGLINE, head, TAGLINE, *FEATURES, *BUTTONS, CTA, P1, P2, P3]
    assert _title(page) == CTA


DISH = "Tarte fine aux poireaux et au fromage de chèvre"
FIGURES = ["4,5 étoiles", "12 avis", "Facile", "Préparation", "20 min", "Cuisson", "35 min"]
INGREDIENTS = ["1 pâte feuilletée", "3 poireaux émincés", "150 g de fromage de chèvre", "2 oeufs",
               "20 cl de crème fraîche", "1 pincée de noix de muscade râpée et de poivre du moulin"]
METHOD = ["Préchauffez le four à 200 °C et étalez la pâte feuilletée dans un moule beurré, puis piquez le "
          "fond à la fourchette et réservez au frais pendant la préparation de la garniture.",
          "Faites fondre les poireaux émincés dans une poêle avec un peu de beurre pendant une quinzaine "
          "de minutes, à feu doux, en remuant souvent pour qu'ils ne colorent pas.",
          "Battez les oeufs avec la crème, ajoutez la muscade, versez sur les poireaux et le fromage, puis "
          "enfournez pour trente-cinq minutes jusqu'à ce que la tarte soit bien dorée."]


def test_the_dish_named_over_its_ingredient_list_is_the_headline():
    # the dish's name, its figures and tabs (a tab's label printed over each tab), the ingredients one
    # per line (the last one long enough to read as a headline), then the method
    tabs = ["INGRÉDIENTS", "Tarte fine aux poireaux et", "PRÉPARATION", "Tarte fine aux poireaux et",
            "AVIS", "Tarte fine aux poireaux et"]
    page = [*NAV, "Recettes", "Plats", DISH, *FIGURES, *tabs, *INGREDIENTS, "Imprimer", "Partager",
            "Mes favoris", "Valeurs nutritionnelles", "Énergie 310 kcal", *METHOD]
    text = "\n".join(page)
    assert _title(page) == DISH
    from pipeline.stages.clean import clean
    body = clean(text).body
    assert "150 g de fromage de chèvre" in body and "20 cl de crème fraîche" in body  # the ingredients are body


def test_an_ingredient_named_under_its_quantity_with_a_bare_count_between():
    # quantities and ingredients on lines of their own; a bare count ("2") over an ingredient
    items = ["250 g", "farine", "2", "oeufs", "50 cl", "lait", "1 pincée", "sel", "30 g", "beurre fondu",
             "1 sachet de sucre vanillé et 2 cuillerées de fleur d'oranger pour le parfum"]
    dish = "Crêpes de la Chandeleur au beurre"
    page = [*NAV, "Recettes", dish, "Partager", "Imprimer", *FIGURES, "Ingrédients", *items, *METHOD]
    assert _title(page) == dish


def test_a_table_of_bare_figures_is_no_ingredient_list():
    # a story's statistics (label, bare figure) under its title: no ingredient list, the usual choice
    stats = ["Mots :", "48210", "Chapitres :", "9/9", "Commentaires :", "312", "Lectures :", "20517"]
    series = "Partie 1 de la série des carnets de voyage"
    story = "Carnets de voyage en Bretagne"
    page = [*NAV, series, *stats, story, "Résumé :", *METHOD]
    assert _title(page) != series


PLAYLIST = ["Vidéo 2/6", "Le chantier de la piscine reprend après l'hiverAgence", "Le marché couvert rouvre ses portes samedi",
            "Les écoles passent au menu végétarien le jeudi", "Une nouvelle piste cyclable le long du canalAgence",
            "La fête du quartier nord reportée à septembre"]
TEASERS = ["À lire aussi", "Le musée prolonge son exposition d'été jusqu'en octobre",
           "Un concert gratuit sur la place de la mairie vendredi soir"]


def test_a_dated_headline_printed_again_lower_down_wins_over_a_caption_near_the_text():
    # a login widget drawn twice in a row over the date, the headline, the date again, an author box and
    # a playlist's captions, then a video's caption over the text; the headline printed again in a list
    # of stories under the article.  The widget drawn twice is no headline printed again
    widget = "Bienvenue sur le site ! Connectez-vous pour lire la suite"
    caption = "Des habitants visitent le chantier de la médiathèque avec l'architecte du projet"
    top = [*NAV, widget, widget, "4 novembre 2021, 16:15", TITLE, "Le Courrier | Vie locale", "4 novembre 2021, 16:15",
           "Auteur :", "cd//gv", *PLAYLIST, caption, P1, P2, P3, *TEASERS]
    assert _title([*top, TITLE]) == TITLE
    assert _title(top) != TITLE  # printed once, out of reach
