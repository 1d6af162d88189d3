"""The headline on whole-page dumps: which line a byline belongs to, a headline printed twice.

Examples written for the project (invented sites, headlines and paragraphs), one block per line
as a scraper dumps a page.
"""

from __future__ import annotations

from pageparts import NAV as NAV_ALL  # tests/pageparts.py
from pageparts import P1, P2, P3, TITLE
from pageparts import page_title as _title

from pipeline.stages.clean import clean

NAV = NAV_ALL[:8]


def test_a_byline_belongs_to_the_nearest_headline_above_it():
    # the site's name over its one-sentence motto reads like a headline over its standfirst; the
    # byline under them is the article headline's, printed between them and the byline
    site = ["Le Courrier du Val - Journal local", "Toute l'actualité du Val, de ses villages et de ses clubs."]
    assert _title([*NAV, *site, TITLE, "par Claire Dubois le 4 novembre 2021", P1, P2, P3]) == TITLE


SHARE = ["Partager sur Facebook", "Partager sur Twitter", "Partager par e-mail", "Imprimer", "Commentaires"]
GALLERY = ["1 sur 12", "Plein écran", "Lecture auto", "Fermer"]
CAPTION = "Les plans de la future médiathèque présentés en mairie"
FAR = ["Diaporama", "Agrandir", "Photos", "Légende", "Zoom", "Carte", "Vue aérienne", "Maquette"]


def test_a_headline_printed_twice_far_above_the_body_wins_over_a_gallery_title():
    # the headline in the page's header and again over the article, then a share row, the byline and
    # a photo gallery whose title stands right above the first paragraph
    page = [*NAV, "La Gazette du Val", TITLE, "Se connecter", "Vie locale", TITLE, *SHARE,
            "Par Claire Dubois 4 novembre 2021 à 16h15", *GALLERY, *FAR, CAPTION, P1, P2, P3]
    assert _title(page) == TITLE
    assert _title([*NAV, "Vie locale", TITLE, *SHARE, "Par Claire Dubois 4 novembre 2021 à 16h15",
                   *GALLERY, *FAR, CAPTION, P1, P2, P3]) == CAPTION  # printed once: out of reach


def test_a_list_or_a_menu_printed_twice_gives_no_headline():
    # teasers or menu entries printed twice (desktop and mobile) far above the body: the line right
    # above the first paragraph stays the choice
    teasers = ["Le marché de Noël ouvrira ses portes samedi", "Les cantines passeront au bio dès janvier",
               "Un nouveau parc pour les enfants du quartier nord"]
    menu = ["Le journal", "Nos offres d'abonnement pour les étudiants", "Contact"]
    for twice in (teasers, menu):
        page = [*NAV, *twice, "Se connecter", *twice, *SHARE, *GALLERY, *FAR, CAPTION, P1, P2, P3]
        assert _title(page) == CAPTION


def test_a_headline_and_its_standfirst_printed_twice_in_order():
    # the pair in the page's header and again over the article: the upper is the headline
    standfirst = "Douze millions pour un bâtiment qui ouvrira ses portes en 2024 près de la gare"
    page = [*NAV, TITLE, standfirst, "Par Claire Dubois", *SHARE, "Vie locale", TITLE, standfirst, P1, P2, P3]
    assert _title(page) == TITLE


def test_the_story_under_a_breaking_news_header_is_a_teaser():
    # a news ticker ("Flash info", then another story's headline) over the article's section labels,
    # its headline, a share row and its byline
    ticker = "Les routes du département restent fermées ce matin à cause de la neige tombée cette nuit"
    page = [*NAV, "Flash info", ticker, "Vie locale", TITLE, *SHARE, "Par Claire Dubois", P1, P2, P3]
    assert _title(page) == TITLE


def test_a_menu_entry_printed_twice_is_no_headline():
    # the site's menu in its header and again over the article: the entry over the article's date
    # is printed with the same neighbours twice, the headline stands under the date
    menu = ["Agenda", "Salon du livre 2021", "Nos partenaires", "Blog"]
    page = [*menu, *NAV, *menu, "4 novembre 2021", TITLE, "Livres", P1, P2, P3]
    assert _title(page) == TITLE


def test_the_last_item_of_a_breadcrumb_printed_alone_under_it_is_the_headline():
    # a short headline under the breadcrumb that ends with it; the site's name stands higher
    short = "Le budget voté"
    for crumb in (f"Accueil » Vie locale » Culture » {short}", f"AccueilVie localeCulture{short}"):
        page = [*NAV, "Le Courrier du Val, journal de la vallée", crumb, short, P1, P2, P3]
        assert _title(page) == short
    # under a plain section label the short line is a label: the line of more words above stays the choice
    page = [*NAV, "Le Courrier du Val, journal de la vallée", "Vie locale", short, P1, P2, P3]
    assert _title(page) == "Le Courrier du Val, journal de la vallée"


def test_teasers_each_with_its_date_between_the_headline_and_the_body():
    # a "read also" box of two stories, each with its date, between the byline and the paragraphs:
    # its items are no headline, the one over the article's byline is
    box = ["À lire également", "Le marché de Noël ouvrira ses portes samedi prochain", "3 novembre 2021",
           "Les cantines de la ville passeront au bio dès janvier", "2 novembre 2021"]
    page = [*NAV, TITLE, "Par Claire Dubois", "4 novembre 2021", *box, P1, P2, P3]
    assert _title(page) == TITLE
    # a byline element with three words between the headline and its date is no teaser
    page = [*NAV, TITLE, "Par Claire Dubois", "Source : Courrier du Val", "4 novembre 2021", P1, P2, P3]
    assert _title(page) == TITLE


def test_a_row_of_labels_with_separators_is_no_headline():
    # the section's breadcrumb with the date over a summary paragraph, then the headline with its
    # dated byline over the article
    summary = ("La médiathèque coûtera douze millions d'euros et ouvrira ses portes en 2024, après deux années "
               "de débats au conseil municipal entre la majorité et l'opposition.")
    form = ["Envoyer à un ami", "Votre nom", "Son adresse", "Votre message", "Envoyer"]
    page = [*NAV, "Économie | Entreprises", "4 novembre 2021", summary, *form, TITLE,
            "Entreprises - 4 novembre 2021 à 10h21", P1, P2, P3]
    assert _title(page) == TITLE


def test_a_headline_over_its_deck():
    # a headline over a subtitle at least as long, printed on the next line, then the paragraphs
    head, deck = "La médiathèque de la ville aura son budget", "Douze millions pour un bâtiment près de la gare"
    assert _title([*NAV, "Vie locale", head, deck, P1, P2, P3]) == head
    # a call ending with "!" over the headline is another story's
    call = "Notre hors-série de l'été est en kiosque !"
    assert _title([*NAV, "Vie locale", call, TITLE, P1, P2, P3]) == TITLE


def test_a_caption_closed_by_an_agency_credit_is_no_headline():
    from pipeline.stages.metadata import load_rules
    from pipeline.text.lines import headline_like
    rules = load_rules()
    assert not headline_like("Des manifestants devant la mairie de Nantes, samedi. AFP", rules, short_line=120)
    assert not headline_like("Le chantier de la médiathèque en mars dernier. ARCHIVES AFP", rules, short_line=120)
    assert headline_like("La ville vote le budget de sa médiathèque", rules, short_line=120)
    assert headline_like("Nantes : le maire répond aux critiques de l'ONU", rules, short_line=120)


def test_the_headline_printed_twice_with_its_date_between_is_kept_once():
    # the headline, its date, the headline again, its byline: one headline printed twice, no list of
    # dated teasers; the body holds it once
    page = [*NAV, "À la une", TITLE, "2021-11-04 par la rédaction", TITLE,
            "Par la rédaction | Mise à jour : 5 novembre 2021", P1, P2]
    kept = [d.text for d in clean("\n".join(page)).lines if d.keep]
    assert kept == [TITLE, P1, P2]


def test_a_page_opening_with_its_short_title_printed_again_over_the_text():
    # an encyclopedia's page: its two-word title first, again over an infobox, then the text
    infobox = ["Lac d'Annecy", "Localisation", "Haute-Savoie", "Superficie", "27 km²", "Altitude", "447 m",
               "Longueur", "14,6 km", "Largeur", "3,2 km", "Profondeur", "82 m"]
    note = ("Cet article concerne le lac de Haute-Savoie. Pour la ville située sur sa rive nord et "
            "ses autres homonymes, voir la page d'homonymie consacrée à Annecy.")
    top = ["Lac d'Annecy", "Un article de l'encyclopédie libre", "Aller à la navigation", note]
    assert _title([*top, *infobox, P1, P2, P3]) == "Lac d'Annecy"
    # printed once, the first line is not taken for the title
    assert _title([*top, *infobox[1:], P1, P2, P3]) != "Lac d'Annecy"
