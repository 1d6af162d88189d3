"""The headline on whole-page dumps: which line a byline belongs to, a headline printed twice.

Examples written for the project (invented sites, headlines and paragraphs), one block per line
as a scraper dumps a page.
"""

from __future__ import annotations

from pipeline.stages.clean import clean
from pipeline.stages.metadata import detect_metadata

P1 = ("Le conseil municipal a voté mardi soir le budget de la nouvelle médiathèque, dont les travaux "
      "doivent commencer au printemps après deux années de débats entre la majorité et l'opposition.")
P2 = ("Selon l'adjoint chargé de la culture, le bâtiment accueillera aussi une salle de spectacle et "
      "un espace numérique ouvert aux associations du quartier, pour un coût total de douze millions.")
P3 = ("Les riverains, réunis en collectif depuis l'an dernier, demandent que le parking prévu sur la "
      "place soit réduit de moitié et que les arbres existants soient conservés pendant le chantier.")
NAV = ["Accueil", "Actualités", "Politique", "Économie", "Sport", "Culture", "Services", "Mon compte"]
TITLE = "La ville vote le budget de sa nouvelle médiathèque"


def _title(lines: list[str]) -> str | None:
    text = "\n".join(lines)
    return detect_metadata(text, clean(text)).title


def test_a_byline_belongs_to_the_nearest_headline_above_it():
    # the site's name over its one-sentence motto reads like a headline over its standfirst; the
    # byline under them is the article headline's, printed between them and the byline
    site = ["Le Courrier du Val - Journal local", "Toute l'actualité du Val, de ses villages et de ses clubs."]
    assert _title([*NAV, *site, TITLE, "par Claire Dubois le 4 novembre 2021", P1, P2, P3]) == TITLE
