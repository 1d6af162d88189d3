"""Boilerplate rule files: valid rows, examples that match, no rule that bites body text."""

from __future__ import annotations

import pytest

from pipeline.rulebook import RuleFileError
from pipeline.stages.clean import BOILERPLATE_DIR, LineRule, load_rules

HEADER = "id\tkind\tpattern\tlang\tmax_len\texample\n"


def test_default_rules_load_and_are_cached():
    rules = load_rules()
    assert rules is load_rules()
    assert len(rules.rules) >= 60
    assert len({r.id for r in rules.rules}) == len(rules.rules)
    assert {r.kind for r in rules.rules} == {"exact", "prefix", "contains", "regex"}


def test_every_example_matches_its_rule():
    rules = load_rules()
    for rule in rules.rules:
        assert rule.matches(rule.example), rule.id
        # and the compiled rule set drops the example too (possibly by an earlier rule)
        assert rules.match(rule.example) is not None, rule.id


def test_rules_cover_several_languages():
    langs = set()
    for rule in load_rules().rules:
        langs.update(rule.lang.split(","))
    assert {"fr", "en", "*"} <= langs
    rules = load_rules()
    for line in ("Teilen", "Lesen Sie auch: Neue Steuern", "Alle Rechte vorbehalten", "Compartir",
                 "Te puede interesar", "Todos los derechos reservados", "Publicidad"):
        assert rules.match(line), line


@pytest.mark.parametrize("line", [
    "Partager", "PARTAGER SUR FACEBOOK", "Lire aussi : Le budget 2025 adopté", "Articles similaires",
    "Votre adresse e-mail ne sera pas publiée.", "Tous droits réservés", "Continuer la lecture",
    "Retour en haut", "Publicité", "spot_img", "Laisser une réponse", "Dans la même rubrique :",
    "Abonnez-vous à notre newsletter", "En savoir plus sur cet auteur", "Contactez-nous : info@exemple.com",
    "Tél. : +221 33 800 00 00", "Leave a Reply", "Share this article", "Read more", "Back to top",
    "Advertisement", "Related posts", "All rights reserved", "Accept all cookies", "Mots-clés : économie, santé",
    "Il vous reste 68% de cet article à lire.", "Temps de lecture : 4 min", "Facebook Twitter WhatsApp",
    # other languages' teasers, comment headers, image viewers, share rows, browser and push notices
    "Zobacz także", "Czytaj również: Nowe przepisy od stycznia", "Vea: El puerto reabre tras la tormenta",
    "Noticias relacionadas", "Comment by Jo — 3 March 2024 at 10:12", "Commentaire de Louise le 3 mars 2024",
    "Foto vergrößern", "Close image", "Partager Facebook Twitter Imprimer", "Please enable JavaScript to view this page.",
    "Example would like to send you push notifications", "Suivez-nous sur Google News",
    "Ya soy suscriptor", "Taille des caractères", "Rejoignez la discussion",
    "Le 4 avril à 09:30, par Marc En réponse à : Le marché rouvre", "On May 2, 2023 at 8:15 by Sam said:",
    "Commentaires (4)", "Reply to this comment",
])
def test_typical_chrome_is_matched(line):
    assert load_rules().match(line) is not None


@pytest.mark.parametrize("line", [
    "Le gouvernement a décidé de partager les données de santé avec les chercheurs dans un cadre strict.",
    "Pour lire aussi bien les textes anciens que modernes, les chercheurs ont développé un nouvel outil.",
    "Les droits réservés aux actionnaires minoritaires ont été renforcés par la nouvelle loi votée jeudi.",
    "La publicité en ligne représente désormais plus de la moitié des recettes des médias français.",
    "Le ministre a appelé les citoyens à rejoindre le mouvement pour la rénovation énergétique.",
    "The company said it would share more details about the deal with investors next week.",
    "Readers of the report will note that the central bank kept its rates unchanged.",
    "Les cookies traditionnels de la boulangerie ont connu un grand succès cette année.",
    "Points clés à retenir",
    "Un calendrier serré",
    "Par ailleurs, le ministre a annoncé une hausse du budget de la santé de 5 % en 2025.",
    "« Nous voulons continuer la lecture des textes à l'Assemblée », a déclaré la députée.",
    "Die Regierung will die Steuern im kommenden Jahr senken, teilte das Ministerium mit.",
    "El Gobierno aprobó el martes un nuevo plan de inversiones en infraestructuras.",
    "Connexion haut débit pour les villages",
    "Catégorie poids lourds : le Sénégalais remporte le titre",
    "Related talks between the two countries will resume next month in Geneva.",
    "Recommended doses were lowered after the trial, the agency said.",
    "Voir plus loin que la prochaine élection est devenu difficile pour les partis.",
    "Soutenez-vous cette réforme ? Une majorité de Français répond non, selon un sondage.",
    "Mira la lluvia caer sobre la ciudad, dijo el poeta durante la ceremonia.",
    "Zobacz, jak rząd planuje wydatki w przyszłym roku i co to oznacza dla rodzin.",
    "Weitere Nachrichten aus der Region folgen morgen, sagte der Sprecher.",
    "Comment by the minister on the budget was expected before the vote in 2024.",
    "Le président a partagé sur Facebook et Twitter sa vision de la réforme.",
    "La taille du texte de loi a doublé depuis sa première lecture au Sénat.",
    "Noticias falsas circulan en las redes sociales desde el martes, según la policía.",
    "Le 4 avril à 09:30, par un vote à main levée, le conseil a adopté le budget de la commune.",
    "Commentaires (4) du ministre sur la réforme des retraites",
])
def test_body_sentences_are_not_matched(line):
    assert load_rules().match(line) is None


@pytest.mark.parametrize("line, rule", [
    # a photo caption closed by its credit
    ("La digue du port au lever du jour. © Jean Exemple", "boilerplate.placeholder.caption_copyright"),
    ("Die neue Brücke über den Fluss bei Nacht. © Stadtarchiv", "boilerplate.placeholder.caption_copyright"),
    ("Le marché couvert rouvre ses portes. (©Agence Exemple)", "boilerplate.placeholder.caption_copyright"),
    # a comment-count label, glued to its tab's name or not: a comment thread's header
    ("KomentarzeLiczba komentarzy: 12", "boilerplate.comment.count_label"),
    ("Anzahl der Kommentare: 4", "boilerplate.comment.count_label"),
    ("Number of comments: 7", "boilerplate.comment.count_label"),
    # Japanese portal chrome: "details here", login and sign-up offers, trending searches
    ("カードのお申し込み≪詳しくはこちら≫", "boilerplate.cta.details_here_ja"),
    ("ログイン今なら300ポイント当たる！", "boilerplate.paywall.login_ja"),
    ("無料会員登録はこちら", "boilerplate.paywall.login_ja"),
    ("急上昇ワード", "boilerplate.related.trending_ja"),
    # a notice asking the reader to install or update a browser
    ("Please update your browser to view this site.", "boilerplate.nav.install_browser"),
    ("Bitte aktualisieren Sie Ihren Browser.", "boilerplate.nav.install_browser"),
    # a listing ad: a question to the reader, then "see the offers"
    ("Szukasz mieszkania w centrum? Zobacz oferty na example.pl", "boilerplate.ad.see_offers"),
    ("Looking for a flat? Browse the listings on example.com", "boilerplate.ad.see_offers"),
    # a caption closed by a public-domain credit after a slash
    ("Le phare de l'île en 1910, avant sa reconstruction /domaine public", "boilerplate.placeholder.public_domain_tail"),
    ("Statek w porcie gdańskim w 1930 roku / domena publiczna", "boilerplate.placeholder.public_domain_tail"),
    # French chrome: a comment button, a share-by-mail form's field, a link marker, an agency's credit,
    # "all our articles on...", a "related" header
    ("Réagir", "boilerplate.comment.label"),
    ("Destinataire(s) :", "boilerplate.cta.email_form_field"),
    ("› Programme télé de la semaine", "boilerplate.nav.link_marker"),
    ("» Alle Angebote ansehen", "boilerplate.nav.link_marker"),
    ("AFP.com/Jeanne Exemple", "boilerplate.placeholder.agency_com_credit"),
    ("Pour lire tous les articles sur la réforme, c'est ici.", "boilerplate.related.all_articles_on"),
    ("Retrouvez tous nos articles sur les municipales", "boilerplate.related.all_articles_on"),
    ("En relation", "boilerplate.related.en_relation"),
    # an invitation to comment, in the imperative; a label over links
    ("Wie hat euch der Ausflug gefallen? Hinterlasst uns einen Kommentar!",
     "boilerplate.comment.invite_imperative"),
    ("Tell us what you think: leave a comment below.", "boilerplate.comment.invite_imperative"),
    ("Weitere Informationen:", "boilerplate.related.more_info_label"),
    # "latest news" in its short French form: a list of other stories follows
    ("Dernières actus", "boilerplate.related.popular"),
])
def test_round_four_chrome_is_matched(line, rule):
    assert load_rules().match(line) == rule


@pytest.mark.parametrize("line", [
    "Le photographe a cédé ses droits à l'agence pour la somme de 2 000 euros.",
    "Le symbole © figure sur chaque photo que le journal publie.",
    "Liczba komentarzy pod artykułem przekroczyła tysiąc w ciągu jednej doby.",
    "ログインの仕組みを狙った攻撃が増えていると専門家は指摘する。",
    "Firefox and Chrome were updated on Tuesday to fix the flaw, the companies said.",
    "Mozilla asked users to update Firefox after the flaw was found.",
    "Zobacz, jakie oferty przygotowały banki dla młodych klientów w tym roku.",
    "Czy warto czekać? Sprawdziliśmy oferty pięciu banków.",
    "Fans may now post a comment under every clip the club shares, the league said.",
    "Les œuvres de l'auteur sont entrées dans le domaine public le 1er janvier.",
    "»Wir haben keine Zeit mehr zu verlieren«",  # a German quotation, no link
    "Réagir vite est la clé, selon les pompiers.",
    "Le destinataire du courrier n'a jamais été retrouvé.",
    "Les deux pays sont en relation depuis le XIXe siècle.",
    "Der Minister wollte den Bericht nicht kommentieren und verwies auf weitere Informationen der Polizei.",
])
def test_round_four_rules_leave_body_sentences(line):
    assert load_rules().match(line) is None


def test_patterns_are_matched_as_the_line_is_folded(tmp_path):
    # a full-width mark and a kana with its voicing mark, written as any editor composes them
    _write(tmp_path, "boilerplate.t.ja\tregex\t^ログイン！\tja\t\tログイン！\n")
    rules = load_rules(tmp_path)
    assert rules.match("ログイン!") == rules.match("ログイン！") == "boilerplate.t.ja"


def _write(tmp_path, rows: str):
    (tmp_path / "lines.tsv").write_text(HEADER + rows, encoding="utf-8")
    return tmp_path


def test_example_not_matching_is_an_error_with_path_and_line(tmp_path):
    _write(tmp_path, "boilerplate.cta.ok\texact\tpartager\t*\t\tPartager\n"
                     "boilerplate.cta.bad\tprefix\tlire aussi\tfr\t\tVoir également\n")
    with pytest.raises(RuleFileError) as err:
        load_rules(tmp_path)
    assert "lines.tsv:3" in str(err.value) and "does not match" in str(err.value)


@pytest.mark.parametrize("row, field", [
    ("boilerplate.cta.x\tregex\t(unclosed\t*\t\tx\n", "pattern"),
    ("boilerplate.cta.x\tfuzzy\tpartager\t*\t\tPartager\n", "kind"),
    ("cta.partager\texact\tpartager\t*\t\tPartager\n", "id"),
    ("boilerplate.cta.x\tregex\t^Partager$\t*\t\tPartager\n", "pattern"),  # upper case never matches
    ("boilerplate.cta.x\tregex\t(?P<n>partager)\t*\t\tPartager\n", "pattern"),
    ("boilerplate.cta.x\texact\tpartager\t*\tzero\tPartager\n", "max_len"),
])
def test_malformed_rows(tmp_path, row, field):
    _write(tmp_path, row)
    with pytest.raises(RuleFileError) as err:
        load_rules(tmp_path)
    assert "lines.tsv:2" in str(err.value) and field in str(err.value)


def test_duplicate_ids_rejected(tmp_path):
    _write(tmp_path, "boilerplate.cta.x\texact\tpartager\t*\t\tPartager\n"
                     "boilerplate.cta.x\texact\tshare\t*\t\tShare\n")
    with pytest.raises(RuleFileError, match="duplicate id"):
        load_rules(tmp_path)


def test_kinds_and_max_len(tmp_path):
    _write(tmp_path, "boilerplate.t.exact\texact\tpartager\t*\t\tPartager !\n"
                     "boilerplate.t.prefix\tprefix\tlire aussi\tfr\t60\tLire aussi : un titre\n"
                     "boilerplate.t.contains\tcontains\tdroits réservés\tfr\t\t© Journal, droits réservés\n")
    rules = load_rules(tmp_path)
    assert rules.match("— PARTAGER —") == "boilerplate.t.exact"
    assert rules.match("Partager la une") is None
    assert rules.match("Lire aussi : un titre") == "boilerplate.t.prefix"
    assert rules.match("Lire aussitôt") is None  # word boundary after the prefix
    assert rules.match("Lire aussi : " + "x" * 80) is None  # longer than max_len
    assert rules.match("Tous DROITS RESERVES 2024") == "boilerplate.t.contains"


def test_readme_documents_each_file():
    readme = (BOILERPLATE_DIR / "README.md").read_text(encoding="utf-8")
    for name in sorted(p.name for p in BOILERPLATE_DIR.glob("*.tsv")):
        assert f"`{name}`" in readme, name
    for column in LineRule.model_fields:
        assert f"`{column}`" in readme, column


def test_overlay_layers_add_rules_and_reach_the_calendar(tmp_path):
    from pipeline.rulebook import stage_layers

    (tmp_path / "boilerplate").mkdir()
    (tmp_path / "boilerplate" / "lines.tsv").write_text(
        HEADER + "boilerplate.team.bulletin\texact\tnotre bulletin maison\tfr\t\tNotre bulletin maison\n",
        encoding="utf-8")
    rules = load_rules(stage_layers("boilerplate", tmp_path))
    assert rules.match("Notre bulletin maison !") == "boilerplate.team.bulletin"
    assert load_rules().match("Notre bulletin maison") is None
    assert rules.match("Partager") == load_rules().match("Partager") is not None
    assert rules.extra_stopwords == load_rules().extra_stopwords
    assert rules.dates == load_rules().dates  # no metadata overlay: the packaged calendar and cues
    assert load_rules(stage_layers("boilerplate")) is load_rules()  # the packaged layers: cached
    # the calendar and date cues come from the metadata folder beside each layer
    (tmp_path / "metadata").mkdir()
    (tmp_path / "metadata" / "calendar.tsv").write_text("lang\tkind\tvalue\tname\nfr\tmonth\t2\tbrumaire\n",
                                                        encoding="utf-8")
    rules = load_rules(stage_layers("boilerplate", tmp_path))
    assert rules.dates.months["brumaire"] == 2 and "brumaire" not in load_rules().dates.months


@pytest.mark.parametrize("line, rule", [
    ("Tél. : +33 4 56 78 90 12", "boilerplate.contact.email_phone_only"),
    ("06 98 76 54 32", "boilerplate.contact.email_phone_only"),
    ("Le port au petit matin. Photo : Léa Exemple/Agence", "boilerplate.placeholder.credit_tail"),
    ("Rynek o świcie, zdjęcie: Jan Przykład", "boilerplate.placeholder.credit_tail_other"),
])
def test_phone_and_credit_rules_still_match(line, rule):
    assert load_rules().match(line) == rule


@pytest.mark.parametrize("line", [
    "12.03.2024",                 # a date printed in figures alone on its line is a date, no phone number
    "03/12/2024",
    "2024-03-12",
    # a headline about a photograph: "-Foto:" ends a compound word, it opens no credit
    "Das berühmte Mond-Foto: Ein Rechenmodell zeigt die Erde in neuer Schärfe",
    "La célebre imagen-foto: un modelo del clima muestra la Tierra en detalle",
])
def test_dates_and_compound_photo_headlines_are_not_contact_or_credit_chrome(line):
    assert load_rules().match(line) is None
