"""The headline far from its text: a video player, a recipe's ingredient list or a form between them.

Examples written for the project (invented sites, headlines and paragraphs), one block per line
as a scraper dumps a page.
"""

from __future__ import annotations

from pageparts import NAV as NAV_ALL  # tests/pageparts.py
from pageparts import P1, P2, P3, TITLE
from pageparts import page_title as _title

NAV = NAV_ALL[:8]

PLAYER = ["Lecture", "Pause", "Son coupé", "Plein écran", "Sous-titres", "Qualité", "Vitesse",
          "Vidéo indisponible", "Chargement", "À suivre"]

def test_the_only_dated_headline_above_a_video_player_wins_over_the_video_title():
    # the headline, its byline, then a video player's buttons; the video's title right over the text
    video = "Visite en images du chantier de la future médiathèque"
    page = [*NAV, TITLE, "Par Claire Dubois le 4 novembre 2021", *PLAYER, video, P1, P2, P3]
    assert _title(page) == TITLE

def test_two_dated_teasers_above_the_player_are_a_list_not_the_headline():
    teasers = ["Le marché de Noël ouvrira ses portes plus tôt cette année", "Le 2 novembre 2021",
               "Fermeture de la piscine municipale pendant les vacances", "Le 3 novembre 2021"]
    video = "Visite en images du chantier de la future médiathèque"
    page = [*NAV, *teasers, *PLAYER, video, P1, P2, P3]
    assert _title(page) == video

def test_a_japanese_headline_over_its_yearless_stamp_in_the_block():
    # the block opens with a stray chunk of markup; the headline sits right under it, over its stamp
    chunk = "<div class=\"notice\"><p>この機能を使うには、ブラウザの設定で表示を有効にしてから、もう一度お試しください。</p></div>" * 2
    head = "市立図書館、来春の開館に向けて新しい閲覧室の工事を始める"
    body = ["市は十二日、来春に開館する新しい図書館の閲覧室の工事を始めたと発表した。工事は三か月かかる見込みで、総工費は約二億円。",
            "閲覧室には約三百席を設け、学生や社会人が夜遅くまで利用できるようにする。市の担当者は「多くの人に使ってほしい」と話した。",
            "また、地域の歴史資料を展示するコーナーも新設し、地元の学校と連携した見学会も開く予定だという。"]
    page = ["ホーム", "ニュース", "地域", chunk, head, "テック通信 4/12(火) 9:30配信", "ツイート", "シェアする", *body]
    assert _title(page) == head

def test_a_read_also_link_at_the_top_of_the_block_leaves_the_dated_headline_under_it():
    # a widget's blurb opens the block, a "see also" link under it, then the headline with its glued byline
    blurb = ("Notre indicateur de lecture mesure combien d'articles vous avez lus sur un sujet ce mois-ci, "
             "afin de vous proposer des dossiers complets et des analyses sur les thèmes que vous suivez.")
    page = [*NAV, blurb, "Fermer", "Lire aussi : notre indicateur de lecture", "Municipales",
            TITLE, "ParClaire Dubois", "Lyon", P1, P2, P3]
    assert _title(page) == TITLE

def test_the_title_quoted_by_the_comment_thread_header_is_the_headline():
    # a guide's short title over a paragraph, then tabs and a long list of settings (the heaviest
    # block); the comment thread's header quotes the post's title
    title = "Les réglages du lecteur"
    intro = ("Vous pouvez régler le lecteur depuis le menu des options : voici ce que fait chacun des "
             "réglages proposés, et la valeur que nous conseillons pour une écoute confortable.")
    items = []
    for name in ("Volume de départ", "Égaliseur graphique", "Fondu entre les pistes", "Lecture aléatoire"):
        items += [name, f"Ce réglage agit sur la façon dont le lecteur traite chaque morceau au moment où il "
                        f"démarre, et vous pouvez le modifier à tout moment sans perdre votre liste ({name.lower()})."]
    tabs = ["Réglages audio", "Réglages vidéo", "Réglages réseau", "Réglages avancés", "Raccourcis",
            "Sous-titres", "Langue", "Thèmes", "Extensions", "Mises à jour", "Sauvegardes", "Aide",
            "Nous contacter", "Forum"]
    page = [*NAV, "Connexion", title, intro, *tabs, *items,
            "Articles liés", "Un commentaire sur « Les réglages du lecteur »", "Marie dit :",
            "Le 2 novembre 2021 à 10 h 12", "Merci pour ce guide très clair, j'ai enfin trouvé le bon réglage."]
    assert _title(page) == title

def test_a_byline_belongs_to_the_headline_over_it_not_to_a_section_title_higher_up():
    # a section's title (printed twice: in the menu and over the section's links) stands a few lines
    # above the headline; the date under the headline is the headline's
    section = "Questions sur le climat et l'énergie"
    page = ["Accueil", section, "Équipe", "Séminaires", "Médiathèque", section, "Liens", "Documents",
            TITLE, "12.03.2022 Sciences Climat", P1, P2, P3]
    assert _title(page) == TITLE

def test_a_headline_over_its_deck_keeps_its_byline_past_a_caption():
    from pipeline.settings import or_defaults
    from pipeline.stages.clean import load_rules
    from pipeline.stages.clean.density import Line
    from pipeline.stages.clean.headline import _own_byline

    def short(i, t):
        return Line(i, t, "short", "density:x", 0.2, words=len(t.split()))

    deck = "Une salle de spectacle et un espace numérique prévus dans le projet"
    caption = "Le maire présente les plans de la future médiathèque aux habitants du quartier"
    date = Line(4, "12 mars 2022 à 10h30", "meta", "meta:x", 0.0)
    s, dates = or_defaults("clean", None), load_rules().dates
    # headline, deck, a share label, a caption, the date: the date is the headline's
    lines = [short(0, TITLE), short(1, deck), short(2, "Copier"), short(3, caption), date]
    assert _own_byline(lines, 0, dates, s)
    # a section's title, two labels, the headline, the date: the date is the headline's, not the title's
    lines = [short(0, "Questions sur le climat et l'énergie"), short(1, "Liens"), short(2, "Documents"),
             short(3, TITLE), date]
    assert not _own_byline(lines, 0, dates, s) and _own_byline(lines, 3, dates, s)

def test_a_title_case_headline_may_end_with_a_period():
    from pipeline.stages.clean import load_rules
    from pipeline.text.lines import headline_like

    dates = load_rules().dates
    assert headline_like("Looking for Better Public Libraries? So Are Our Readers.", dates, short_line=120)
    assert not headline_like("The library opens on Monday after two years of work.", dates, short_line=120)
    assert not headline_like("Le maire inaugure la médiathèque.", dates, short_line=120)
    head = "Looking for Better Public Libraries? So Are Our Readers."
    lede = "Readers told us what they expect from the new library: longer hours, quiet rooms and more books for children."
    body = ["The city council voted the budget of the new library on Tuesday night, after two years of debate "
            "between the majority and the opposition about its size and its cost.",
            "According to the deputy mayor, the building will also host a concert hall and a digital space "
            "open to the associations of the neighbourhood, for a total cost of twelve million."]
    page = ["Home", "News", "Local", "Sign in", head, lede, "March 12, 2022", "Jane Example", *body]
    assert _title(page) == head
