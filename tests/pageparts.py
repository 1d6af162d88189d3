"""Parts of an invented local-news page shared by the clean-stage tests: three paragraphs of one
article, its headline and a site's menu (written for the project, one block per line as a scraper
dumps a page)."""

from __future__ import annotations

P1 = ("Le conseil municipal a voté mardi soir le budget de la nouvelle médiathèque, dont les travaux "
      "doivent commencer au printemps après deux années de débats entre la majorité et l'opposition.")
P2 = ("Selon l'adjoint chargé de la culture, le bâtiment accueillera aussi une salle de spectacle et "
      "un espace numérique ouvert aux associations du quartier, pour un coût total de douze millions.")
P3 = ("Les riverains, réunis en collectif depuis l'an dernier, demandent que le parking prévu sur la "
      "place soit réduit de moitié et que les arbres existants soient conservés pendant le chantier.")
TITLE = "La ville vote le budget de sa nouvelle médiathèque"
#: a site's menu, one label per line (tests take the first six or eight when a shorter menu will do)
NAV = ["Accueil", "Actualités", "Politique", "Économie", "Sport", "Culture", "Services", "Mon compte",
       "Se connecter", "Rechercher"]


def page_title(lines: list[str]) -> str | None:
    """The title the clean and metadata stages give a page written one block per line."""
    from pipeline.stages.clean import clean
    from pipeline.stages.metadata import detect_metadata

    text = "\n".join(lines)
    return detect_metadata(text, clean(text)).title
