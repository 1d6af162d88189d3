"""Clean stage on whole pages: a live feed's entries, stamps and the dump pre-pass.

Pages written for the project (a scraper's dump: menus, the article, chrome, one block per line).
"""

from __future__ import annotations

from pipeline.stages.clean import clean
from pipeline.text.lines import line_key

NAV = ["Accueil", "Sport", "Football", "Rugby", "Tennis", "Se connecter"]
TITLE = "Le club local arrache le nul face au leader du championnat"
INTRO = ("Revivez minute par minute la rencontre disputée samedi soir au stade municipal, où les "
         "joueurs de l'entraîneur ont longtemps tenu tête au premier du classement avant de céder.")
# (stamp, entry): short entries a density test alone takes for labels
FEED = [
    ("90'", "C'est terminé ! Les deux équipes se séparent sur un score de parité après un match haché."),
    ("88'", "Entrée de Lucas Perrin"),
    ("88'", "Sortie de Karim Benali"),
    ("81'", "Carton jaune pour le gardien, trop lent à relancer le ballon."),
    ("74'", "But du club local ! Une reprise de volée splendide au second poteau, le stade exulte."),
    ("70'", "Entrée de Hugo Marchand"),
    ("62'", "Le leader pousse mais la défense tient bon devant sa surface de réparation."),
    ("55'", "Sortie sur blessure du capitaine"),
    ("46'", "La seconde période commence sous une pluie battante au stade municipal."),
    ("12'", "Premier corner pour le leader, sans danger."),
]


def _page(feed=FEED, tail=("Tous les sports", "Mentions légales")) -> str:
    lines = [*NAV, TITLE, "Publié le 4 novembre 2021 à 22h05", INTRO]
    for stamp, entry in feed:
        lines += [stamp, entry]
    return "\n".join([*lines, *tail])


def _kept(text: str, **kw) -> list[str]:
    return [d.text for d in clean(text, **kw).lines if d.keep]


def test_a_live_feed_keeps_its_short_entries_and_drops_its_stamps():
    c = clean(_page())
    kept = [d.text for d in c.lines if d.keep]
    for stamp, entry in FEED:
        assert entry in kept
        assert stamp not in kept
    reasons = {d.text: d.reason for d in c.lines}
    assert reasons["Entrée de Lucas Perrin"].startswith("live:")
    # the line after the feed's last entry is chrome again
    assert "Tous les sports" not in kept and "Mentions légales" not in kept


def test_a_few_stamps_are_no_live_feed():
    # three stamped items (a "latest news" box with clock times) are not a feed: nothing is kept as one
    c = clean(_page(FEED[:3]))
    assert not any(d.reason.startswith("live:") for d in c.lines)


def test_stamps_of_a_comment_thread_after_its_header_stay_dropped():
    posts = [("21h58", "Bravo aux joueurs, quel match"), ("22h03", "Arbitrage scandaleux encore une fois"),
             ("22h10", "Allez les bleus"), ("22h12", "Je ne suis pas d'accord du tout"),
             ("22h15", "Rendez-vous au prochain match"), ("22h20", "Encore un nul, quelle tristesse"),
             ("22h25", "Bien vu"), ("22h31", "Il faut changer d'entraîneur")]
    comments = ["3 commentaires"]
    for stamp, post in posts:
        comments += [stamp, post]
    kept = _kept(_page(tail=tuple(comments)))
    for _, post in posts:
        assert post not in kept
    assert "Entrée de Lucas Perrin" in kept


def test_a_stamp_recurring_in_the_dump_is_still_a_stamp():
    # the dump pre-pass folds digits: "88'" has the key of every bare number of the dump's pages
    chrome = frozenset({line_key("88'"), line_key("12'"), line_key("5")})
    c = clean(_page(), chrome=chrome)
    reasons = {d.text: d.reason for d in c.lines}
    assert reasons["88'"].startswith("stamp")
    kept = [d.text for d in c.lines if d.keep]
    assert "Entrée de Lucas Perrin" in kept and "Sortie de Karim Benali" in kept


def test_teasers_dated_in_figures_weigh_less_than_the_article_above_them():
    article = [TITLE, "Par la rédaction", INTRO,
               "Les supporters ont salué la performance de leur équipe, qui reste invaincue à domicile "
               "depuis le début de la saison et recevra le deuxième du classement la semaine prochaine."]
    teasers = []
    for day, topic in enumerate(["la piscine", "la médiathèque", "le marché", "le stade", "la gare", "le port"]):
        teasers += [f"- {day + 10}/09/2021", "Lire",
                    f"Les travaux de {topic} ont commencé cette semaine, et les habitants du quartier se "
                    f"demandent encore combien de temps dureront les nuisances annoncées par la mairie, "
                    f"qui promet une réouverture avant la fin de l'année et un budget tenu malgré la hausse des prix."]
    page = "\n".join([*NAV, *article, "Dernières publications", *teasers, "Mentions légales"])
    kept = _kept(page)
    assert INTRO in kept and article[3] in kept
    assert not any(t.startswith("Les travaux de") for t in kept)


HEADLINE = "La médiathèque rouvre ses portes après deux ans de travaux"
ARTICLE = [
    "Fermée depuis l'automne 2019, la médiathèque municipale a rouvert samedi matin, agrandie d'une "
    "salle de lecture et d'un espace consacré aux jeux vidéo.",
    "Plus de trois cents visiteurs s'y sont pressés dès l'ouverture, selon la mairie, qui prévoit "
    "des horaires élargis le dimanche à partir de janvier.",
]
LONG_POST = (
    "Enfin ! J'habite le quartier depuis vingt ans et je peux vous dire que cette fermeture a été "
    "une vraie catastrophe pour les familles, les étudiants et les personnes âgées qui venaient lire "
    "le journal au chaud tous les matins. On nous avait promis une réouverture au printemps dernier, "
    "puis à la rentrée, puis encore plus tard, et personne à la mairie n'a jamais été capable de nous "
    "expliquer pourquoi le chantier prenait autant de retard. Maintenant que c'est fait, j'espère "
    "surtout que les horaires suivront, parce qu'une belle médiathèque fermée le samedi après-midi et "
    "le dimanche ne sert pas à grand-chose pour ceux qui travaillent toute la semaine, et qu'on "
    "pensera aussi à garder des places assises pour ceux qui viennent simplement lire sur place.")


def test_a_long_reader_post_under_a_comment_header_does_not_outweigh_the_article_above():
    page = "\n".join([*NAV, HEADLINE, "Par Claire Dubois, le 6 novembre 2021", *ARTICLE, "Partager",
                      "{ 2 commentaires… lisez-les ci-dessous ou ajoutez le vôtre }",
                      "Marc le 6 novembre 2021 à 10:12", LONG_POST,
                      "Julie le 6 novembre 2021 à 11:40", "Bravo aux bibliothécaires pour leur patience !",
                      "Laisser un commentaire"])
    kept = _kept(page)
    assert HEADLINE in kept and all(p in kept for p in ARTICLE)
    assert LONG_POST not in kept


def test_a_comment_count_with_an_invitation_is_a_thread_header():
    from pipeline.stages.clean import load_rules

    rules = load_rules()
    for line in ("{ 17 comments… read them below or add one }", "12 commentaires - ajoutez le vôtre",
                 "3 Kommentare – jetzt lesen"):
        assert rules.match(line) == "boilerplate.comment.count_invite", line
    # a sentence opening on a count of comments is not one
    assert rules.match("12 commentaires ont été supprimés par la modération après la publication de "
                       "l'article, a indiqué le journal dans un message aux lecteurs.") != \
        "boilerplate.comment.count_invite"


def test_a_comment_count_label_opens_the_thread_under_the_article():
    # the comment tab's name glued to its count, then the form's notice and the readers' posts: all go
    notice = ("Merci de cocher la case avant d'envoyer votre message. Nous vous informons que le responsable "
              "du traitement de vos données est l'éditeur du site et qu'elles servent à publier votre avis.")
    post = ("Très bonne nouvelle pour le quartier, mais il faudra que les horaires suivent pour ceux qui "
            "travaillent toute la semaine et ne sont libres que le samedi.")
    article = [*ARTICLE, "La municipalité a aussi annoncé l'ouverture d'une annexe dans le quartier nord, "
               "prévue pour la rentrée prochaine, avec un fonds de dix mille ouvrages et une salle d'étude."]
    page = "\n".join([*NAV, HEADLINE, "Par Claire Dubois, le 6 novembre 2021", *article,
                      "CommentairesNombre de commentaires : 2", notice, "Votre pseudo", "Votre avis",
                      "Marc", "mardi 9 novembre 2021, 23:13", post])
    kept = _kept(page)
    assert HEADLINE in kept and all(p in kept for p in article)
    assert notice not in kept and post not in kept
