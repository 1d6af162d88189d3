"""Synthetic dumps for the benchmarks, built from ``corpus/`` with a fixed seed.

- :func:`build_dump` ("clean text"): articles made of the corpus's paragraphs, shuffled
  across articles: text as a clean feed gives it.
- :func:`build_page_dump` ("page dumps"): the same kind of articles wrapped in the chrome
  of a scraped page, one block per line as a naive scraper writes it: a site menu, a
  consent banner, a byline, share buttons, a newsletter box, "related articles" teasers
  with their dates, a reader-comment thread and a footer.  The chrome comes from the site
  templates below, written for this benchmark (four fictional sites, French and one in
  English); the comments and teasers are drawn from pools, so that a page's chrome is
  partly shared with its site's other pages (as on real sites) and partly its own.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus_paragraphs() -> list[str]:
    paras = []
    for f in sorted((ROOT / "corpus").glob("*.txt")):
        paras += [p.strip() for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return paras


def _write_dump(path: Path, n: int, seed: int, id_prefix: str, make) -> int:
    """Write ``n`` records ``make(rng, i)`` to ``path`` (JSONL); returns the word count."""
    rng = random.Random(seed)
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = make(rng, i)
            words += len(text.split())
            fh.write(json.dumps({"id": f"{id_prefix}-{i:06d}", "text": text}, ensure_ascii=False) + "\n")
    return words


def build_dump(path: Path, n: int, seed: int = 13) -> int:
    """Write ``n`` synthetic clean articles to ``path`` (JSONL); returns the word count."""
    paras = corpus_paragraphs()
    return _write_dump(path, n, seed, "syn",
                       lambda rng, i: "\n\n".join(rng.choice(paras) for _ in range(rng.randint(6, 14))))


SITES = [
    {
        "menu": ["Accueil", "Actualités", "Économie", "Politique", "Afrique", "Sports", "Culture", "Vidéos",
                 "Se connecter", "S'abonner"],
        "consent": ["Nous utilisons des cookies pour améliorer votre expérience, mesurer l'audience et vous "
                    "proposer des publicités personnalisées.",
                    "Accepter et fermer", "Refuser", "Paramétrer mes choix"],
        "byline": "Par la rédaction, publié le {day} {month} 2025 à {hour}h{minute}",
        "share": ["Partager sur Facebook", "Partager sur X", "Envoyer par e-mail", "Copier le lien"],
        "newsletter": ["Recevez chaque matin l'essentiel de l'actualité africaine.",
                       "Votre adresse e-mail", "Je m'inscris"],
        "related": "Lire aussi",
        "comments": "{n} commentaires",
        "comment_meta": "{name}, le {day}/{mm}/2025 à {hour}:{minute}",
        "comment_tail": ["Répondre", "Signaler un abus"],
        "footer": ["Mentions légales", "Politique de confidentialité", "Conditions générales d'utilisation",
                   "Nous contacter", "Plan du site", "© 2025 Le Courrier du Continent. Tous droits réservés."],
    },
    {
        "menu": ["MENU", "Monde", "Économie & Entreprises", "Tech", "Santé", "Opinions", "Newsletters",
                 "Mon compte"],
        "consent": ["Ce site utilise des traceurs. En poursuivant votre navigation, vous acceptez leur "
                    "utilisation conformément à notre politique de confidentialité.", "OK", "En savoir plus"],
        "byline": "{day}/{mm}/2025 - {hour}h{minute} · Lecture 4 min",
        "share": ["Facebook", "LinkedIn", "WhatsApp", "Imprimer"],
        "newsletter": ["Newsletter Économie", "Chaque vendredi, les décryptages de nos journalistes.",
                       "S'inscrire gratuitement"],
        "related": "Sur le même sujet",
        "comments": "Réactions ({n})",
        "comment_meta": "Posté par {name} il y a {hour} heures",
        "comment_tail": ["J'aime", "Répondre"],
        "footer": ["Qui sommes-nous ?", "Publicité", "Gestion des cookies", "Accessibilité : non conforme",
                   "© Éditions du Fleuve 2025"],
    },
    {
        "menu": ["Home", "World", "Business", "Africa", "Climate", "Podcasts", "Sign in", "Subscribe"],
        "consent": ["We value your privacy. We and our partners use cookies to personalise content and ads "
                    "and to analyse our traffic.", "Accept all", "Reject all", "Manage preferences"],
        "byline": "Published {month_en} {day}, 2025 | Updated {hour}:{minute} GMT",
        "share": ["Share", "Tweet", "Email", "Save"],
        "newsletter": ["Get our daily briefing in your inbox.", "Enter your email", "Sign up"],
        "related": "More stories",
        "comments": "Comments ({n})",
        "comment_meta": "{name} · {hour}h ago",
        "comment_tail": ["Reply", "Report"],
        "footer": ["About us", "Terms of use", "Privacy policy", "Cookie settings", "Contact",
                   "© 2025 Continental Review Ltd. All rights reserved."],
    },
    {
        "menu": ["Le Journal", "Régions", "Faits divers", "Économie", "Agenda", "Petites annonces",
                 "Boutique", "Abonnez-vous dès 1 € le premier mois"],
        "consent": ["Avec votre accord, nous et nos partenaires utilisons des cookies ou technologies "
                    "similaires pour stocker et accéder à des informations personnelles.",
                    "Tout accepter", "Continuer sans accepter"],
        "byline": "Mis à jour le {day} {month} 2025 à {hour}h{minute}",
        "share": ["Partager", "Tweeter", "Commenter"],
        "newsletter": ["Abonnez-vous à notre lettre d'information quotidienne",
                       "En cliquant sur « Je m'abonne », vous acceptez nos conditions.", "Je m'abonne"],
        "related": "À lire également",
        "comments": "Les commentaires ({n})",
        "comment_meta": "{name} – {day}.{mm}.2025",
        "comment_tail": ["Signaler", "Répondre à ce commentaire"],
        "footer": ["Contactez la rédaction", "Mentions légales", "Données personnelles", "Charte de modération",
                   "Tous droits de reproduction réservés"],
    },
]

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
NAMES = ["Kofi_A", "marie.d", "Jean-Luc 75", "Aminata", "lecteur_fidèle", "Samba D.", "Yao", "C. Martin",
         "Fatou_B", "Pierrot", "N'Golo", "Awa K."]
COMMENTS = [
    "Encore des promesses, on verra dans cinq ans ce qu'il en reste vraiment.",
    "Très bon article, merci pour ce travail de fond.",
    "Et pendant ce temps, les routes de mon village ne sont toujours pas goudronnées.",
    "Il faudrait surtout parler de la corruption qui mine tous ces projets depuis des années.",
    "Bravo, enfin une bonne nouvelle pour la jeunesse !",
    "Qui va rembourser toute cette dette au final ? Nos enfants.",
    "Je ne suis pas d'accord avec l'analyse, les chiffres cités sont discutables.",
    "Ce commentaire a été supprimé par la modération.",
    "Source ? J'aimerais lire le rapport complet avant de me faire un avis.",
    "Great news, but implementation is what matters.",
]


def _page(rng: random.Random, site: dict, title: str, paras: list[str], teasers: list[str]) -> str:
    day, month = rng.randint(1, 28), rng.randrange(12)
    fill = {"day": day, "mm": f"{month + 1:02d}", "month": MONTHS[month], "month_en": MONTHS_EN[month],
            "hour": rng.randint(6, 22), "minute": f"{rng.randrange(60):02d}"}
    lines = [*site["menu"], *site["consent"], title, site["byline"].format(**fill), *paras[:2],
             *site["share"][: rng.randint(2, len(site["share"]))], *paras[2:], *site["newsletter"],
             site["related"]]
    for t in teasers:
        lines += [t, f"{rng.randint(1, 28)}/{rng.randint(1, 12):02d}/2025"]
    n = rng.randint(0, 6)
    lines.append(site["comments"].format(n=n))
    for _ in range(n):
        lines += [site["comment_meta"].format(name=rng.choice(NAMES), day=rng.randint(1, 28),
                                              mm=f"{rng.randint(1, 12):02d}", hour=rng.randint(1, 23),
                                              minute=f"{rng.randrange(60):02d}"),
                  rng.choice(COMMENTS), *site["comment_tail"]]
    lines += site["footer"]
    return "\n".join(lines)


def build_page_dump(path: Path, n: int, seed: int = 13) -> int:
    """Write ``n`` synthetic scraped pages to ``path`` (JSONL); returns the word count of
    the whole pages (what a user feeds in, chrome included)."""
    paras = corpus_paragraphs()
    titles = [p.split(".")[0][:90] for p in paras if len(p.split()) > 8]

    def page(rng: random.Random, i: int) -> str:
        body = [rng.choice(paras) for _ in range(rng.randint(6, 14))]
        teasers = rng.sample(titles, 3)
        return _page(rng, SITES[i % len(SITES)], rng.choice(titles), body, teasers)

    return _write_dump(path, n, seed, "page", page)


DUMPS = {"clean": build_dump, "pages": build_page_dump}
