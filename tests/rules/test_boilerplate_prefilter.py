"""The line rules' prefilters (literal starts, first-character dispatch) give the very verdicts of
the plain path: every anchored rule matched in file order, then every other rule searched in file
order, with no prefilter."""

from __future__ import annotations

import re

import pytest

from pipeline.stages.clean import load_rules
from pipeline.stages.clean.rules import EXACT_MAX_CHARS, _strip_edges, literal_starts, norm_line

HEADER = "id\tkind\tpattern\tlang\tmax_len\texample\n"

#: lines written for the project: chrome of several kinds and languages, and body sentences
LINES = [
    "Lire aussi : la réforme des retraites votée au Sénat", "A lire aussi", "12 commentaires",
    "Aucun commentaire", "Photo : Jeanne Martin", "Crédit photo : Jeanne Martin / Agence", "© Le Petit Quotidien 2024",
    "Partager sur Facebook", "Partager", "Suivez notre journal sur les réseaux", "Follow the Courier on social media",
    "La suite après la publicité", "Temps de lecture : 3 min", "Il y a 5 heures", "Publié il y a 4 jours",
    "You are using an outdated browser", "Turn on JavaScript to read this article",
    "Abonnez-vous pour lire la suite", "Zdjęcie ilustracyjne / źródło: archiwum", "Foto: Hans Becker",
    "Agence Exemple / Paul Durand", "Bild: picture alliance", "Newsletter", "Recevez notre newsletter chaque matin",
    "Ce journal dépose des cookies afin de mesurer son audience.", "This paper stores cookies to count its readers",
    "» Voir le programme complet", "Accueil", "Mon compte", "Se connecter",
    "Le conseil municipal a voté mardi soir le budget de la nouvelle médiathèque.",
    "Photographier la ville la nuit demande de la patience, explique la photographe.",
    "La suite de l'enquête sera publiée demain.", "Les commentaires du maire ont surpris l'opposition.",
    "Contact : redaction@exemple.fr +33 1 23 45 67 89", "Tel. +33 6 12 34 56 78",
    "", "—", "2024", "¿Te gustó este artículo?", "ログインして続きを読む", "詳しくはこちら",
]


def _plain(rules, line: str) -> str | None:
    """The plain path: exact keys, then each anchored rule, then each other rule, in file order."""
    text = line.strip()
    n = norm_line(text)
    size = len(text)
    if size <= EXACT_MAX_CHARS:
        rid = rules.exact.get(_strip_edges(n) or n)
        if rid is not None:
            return rid
    for rid, rx, max_len, _ in rules.anchored:
        if (max_len is None or size <= max_len) and rx.match(n):
            return rid
    for rid, rx, max_len, _, _ in rules.floating:
        if (max_len is None or size <= max_len) and rx.search(n):
            return rid
    return None


def _variants(lines):
    for x in lines:
        yield x
        yield x.upper()
        yield "» " + x
        yield x[:20]
        yield x + " " + "suite " * 30  # past most rules' max_len


def test_packaged_rules_prefilters_give_the_plain_verdicts():
    rules = load_rules()
    lines = list(_variants(LINES + [r.example for r in rules.rules]))
    hits = 0
    for line in lines:
        got = rules.match(line)
        assert got == _plain(rules, line), line
        hits += got is not None
    assert 0 < hits < len(lines)  # the lines hold both chrome and body


def test_written_rules_prefilters_give_the_plain_verdicts(tmp_path):
    rows = [
        "boilerplate.t.optional\tregex\t^(?:la )?suite (?:apres|de) la pub\t*\t60\tLa suite après la pub",
        "boilerplate.t.lookbehind\tregex\t(?<!-)(?:photos?|bild)\\s*:\\s*\\w+$\t*\t80\tPhoto : Jeanne",
        "boilerplate.t.digits\tregex\t^\\d+ (?:avis|notes)$\t*\t\t12 avis",
        "boilerplate.t.anywhere\tregex\t^.*©\\s*\\w+$\t*\t40\tUne image © Agence",
        "boilerplate.t.exactlen\texact\tmenu\t*\t10\t— Menu —",
        "boilerplate.t.prefix\tprefix\tlire aussi\tfr\t60\tLire aussi : un titre",
        "boilerplate.t.prefix2\tprefix\tlire\tfr\t\tLire la suite",
        "boilerplate.t.contains\tcontains\tdroits réservés\tfr\t\t© Journal, droits réservés",
        "boilerplate.t.branch\tregex\t^(?:voir|lire) (?:plus|tout)\\b|^en savoir plus\t*\t30\tVoir plus",
        "boilerplate.t.float\tregex\t(?:envoyer|send) (?:des |you )?(?:alertes|alerts)\t*\t200\tsend you alerts",
    ]
    (tmp_path / "lines.tsv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    rules = load_rules(tmp_path)
    lines = ["La suite après la pub", "Suite de la pub", "suite apres la pubs", "Photo : Jeanne", "Photo-bild: x",
             "Une photo : Jeanne", "12 avis", "avis 12", "Une image © Agence", "©Agence", "Menu", "— menu —",
             "Le menu du jour", "Lire aussi : un titre", "Lire la suite", "Lire aussitôt", "Voir plus",
             "Voir tout le programme", "En savoir plus", "On vous send you alerts", "Droits réservés au journal"]
    for line in _variants(lines):
        assert rules.match(line) == _plain(rules, line), line


@pytest.mark.parametrize("pattern, starts", [
    (r"^(?:la )?suite de", ("la suite de", "suite de")),
    (r"(?<!-)(?:photos?|bild)\s*:", ("bild", "photo")),
    (r"\bfoo\b", ("foo",)),
    (r"(?:ab|cd)(?:e|fg)", ("abe", "abfg", "cde", "cdfg")),
    (r"(?:a|b)c", None),  # the parser makes a class of single letters
    (r"^\d+ comments", None),
    (r"^.*©", None),
    (r"^[›»]\s+\S", None),
    (r"(?i)photo", None),  # the rules take no inline flag; a literal would not stand for its other cases
])
def test_literal_starts(pattern, starts):
    assert literal_starts(pattern) == starts


def test_literal_starts_past_the_limit_keep_what_every_match_opens_with():
    pattern = "x" + "(?:ab|cd)" * 8 + "y"  # 256 alternatives
    starts = literal_starts(pattern, limit=16)
    assert starts is not None and len(starts) <= 16 and all(len(p) > 1 for p in starts)
    for i in range(256):
        s = "x" + "".join(("ab", "cd")[(i >> k) & 1] for k in range(8)) + "y"
        assert re.match(pattern, s) and s.startswith(starts), s
