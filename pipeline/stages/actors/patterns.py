"""Organisations named by a head noun: "tribunal correctionnel de Lyon", "éditions Gallimard".

The heads are the rows of ``org_heads.tsv`` (a common noun or fixed phrase, its type and
which forms it takes): the head, matched in the folded body whatever its case, followed by
a capitalised name ("lycée Jean Zay", form ``name``) and/or by ``de``/``du``/``des`` and a
capitalised place or name ("mairie de Bordeaux", form ``of``); a head that alone names one
body ("la chambre de l'instruction", "la commission des lois", form ``alone``, extended by a
place when one follows); a head and a demonym adjective ("l'armée israélienne", form
``demonym``: the country is the demonym's).  The whole span is the
organisation (rule ``actors.org.head``); its country is that of a country mention inside
the span (a city of the place part: "tribunal de Nîmes" → FR).  These candidates rank
above the model's entities, so "université Al-Azhar de Gaza" wins over the model's shorter
"université Al-Azhar".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pipeline.records import Mention
from pipeline.stages.actors.candidates import Cand
from pipeline.stages.actors.rules import ActorRules, OrgHeadRow
from pipeline.text.fold import fold_same_length
from pipeline.text.places import country_of_adjective

_UP = "A-ZÀ-ÖØ-Ý"
#: a capitalised word (or a number in a name: "Lyon-2", "Lyon 2")
_CAP_WORD = rf"[{_UP}][\w\u0300-\u036f'’&+.-]*[\w\u0300-\u036f]|[{_UP}]"  # combining accents too
#: a name: capitalised words, optionally joined by de/du/des/la/l' ("Côte Basque", "Saint-Denis")
_NAME = rf"(?:{_CAP_WORD})(?:(?: |-)(?:{_CAP_WORD}|\d+\b))*" \
        rf"(?: (?:de la |de l['’]|de |d['’]|du |des )(?:{_CAP_WORD})(?: (?:{_CAP_WORD}))*)?"
_NAME_RE = re.compile(rf" ({_NAME})")
_DEMONYM_RE = re.compile(r" ([a-z][a-z-]+)\b")
_OF_RE = re.compile(rf" (?:de la |de l['’]|de |d['’]|du |des )({_NAME})")


def _case_run_end(text: str) -> int:
    """The end of a name that runs on into words in capitals after words in title case
    ("collectif Bloquons Blanquer ÉCOLE PUBLIQUE" -> "collectif Bloquons Blanquer"); an acronym right
    after the head stays ("université UPEC")."""
    toks = list(re.finditer(r"\S+", text))
    for i in range(2, len(toks)):
        w, prev = toks[i].group(), toks[i - 1].group()
        letters = [ch for ch in w if ch.isalpha()]
        if len(letters) >= 2 and all(ch.isupper() for ch in letters) and prev[:1].isupper() \
                and not prev.isupper() and not set(letters) <= set("IVXLCDM"):  # "Mohammed VI" stays
            return toks[i - 1].end()
    return len(text)


@lru_cache(maxsize=4)
def _heads_pattern(heads: tuple[OrgHeadRow, ...]) -> tuple[re.Pattern, dict[str, OrgHeadRow]]:
    by_key = {fold_same_length(h.head.lower()): h for h in heads}
    alt = "|".join(re.escape(k) for k in sorted(by_key, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])"), by_key


def org_head_cands(body: str, folded: str, countries: Sequence[Mention], R: ActorRules) -> list[Cand]:
    """Organisations named by a head of ``org_heads.tsv`` (rule ``actors.org.head``)."""
    if not R.org_heads:
        return []
    pat, by_key = _heads_pattern(R.org_heads)
    out = []
    for m in pat.finditer(folded):
        row = by_key[m.group()]
        s, e = m.start(), m.end()
        if row.head.isupper() and body[s:e] != row.head:
            continue  # an acronym head ("CHU") only as written
        named = row.form == "alone"  # "la chambre de l'instruction": the head names one body
        country = None
        if row.form == "demonym":
            # "l'armée israélienne": the head and a demonym adjective, the body of that country
            d = _DEMONYM_RE.match(folded, e)
            country = country_of_adjective(d.group(1), R.countries) if d else None
            if not country:
                continue
            e, named = d.end(), True
        if row.form in ("name", "both"):
            n = _NAME_RE.match(body, e)
            if n:
                e, named = n.end(), True
        if row.form in ("of", "both", "alone"):
            o = _OF_RE.match(body, e)
            if o:
                e, named = o.end(), True
        if not named:
            continue
        e = s + _case_run_end(body[s:e])
        text = body[s:e]
        country = country or next((c.value for c in countries
                                   if c.kind == "country" and s <= c.start and c.end <= e), None)
        # one value whatever the head's case ("Université de Nantes", "université de Nantes")
        canonical = text if row.head.isupper() else text[0].lower() + text[1:]
        rule = "actors.org.demonym" if row.form == "demonym" else "actors.org.head"
        out.append(Cand(s, e, text, row.type, rule, 1, country=country, canonical=canonical))
    return out


#: a connector inside an organisation's name, before a capitalised word ("Banque de France",
#: "Compagnie des Messageries", "Chambre de Commerce et d'Industrie")
_CONNECT = r"(?:de la |de l['’]|de |d['’]|du |des |et de |et d['’]|et |pour la |pour le |pour l['’]|pour les |pour )"
_CAP_TAIL_RE = re.compile(rf"(?:(?: |-){_CONNECT}?(?:{_CAP_WORD}))+")
#: a capitalised head after these is part of a place's or a building's name, not an organisation
_PLACE_BEFORE = re.compile(r"(?:rue|avenue|boulevard|place|quai|square|impasse|allee|route|chemin|salle|palais|hotel|"
                           r"stade|eglise|gare|station|pont|porte)\s+(?:de la |de l'|du |des |de |d')?$")


@lru_cache(maxsize=4)
def _cap_heads(org_cues: frozenset[tuple[str, str]]) -> dict[str, str]:
    """Folded one-word heads (and their plurals in -s/-x) of the ``org`` cues -> type."""
    out = {}
    for h, t in org_cues:
        if " " not in h and len(h) > 3:
            out[h] = t
            out.setdefault(h + "s", t)
            out.setdefault(h + "x", t)
    return out


def capitalised_head_cands(body: str, folded: str, R: ActorRules, toks=None, words=None) -> list[Cand]:
    """Organisations named by a capitalised head of ``cues.tsv`` (kind ``org``) and capitalised
    words, joined by de/du/des/et: "Compagnie Rhodanienne-Atlantique", "Forges de Villerupt",
    "Banque de France" (rule ``actors.org.capitalised``).  The head must be written with a
    capital and be followed by at least one capitalised word; the model's entities win over these."""
    heads = _cap_heads(frozenset(R.org_cues.items()))
    if not heads:
        return []
    if toks is None or words is None:
        from pipeline.text.fold import scan
        _, toks, words = scan(body)
    present = heads.keys() & set(words)
    if not present:
        return []
    out = []
    for k in [k for k, w in enumerate(words) if w in present]:
        m = toks[k]
        s, e = m.start(), m.end()
        if not body[s].isupper() or body[s:e].isupper() or body[e:e + 1] in "'’-" or body[s - 1:s] == "-":
            continue  # "la société", a heading in capitals, "Société-Générale" (one word)
        i = m.group()
        t = _CAP_TAIL_RE.match(body, e)
        if not t or "\n" in t.group():
            continue
        if _PLACE_BEFORE.search(folded, max(0, s - 30), s):
            continue  # "rue de la Banque de France"
        typ = heads[i]
        end = t.end()
        out.append(Cand(s, end, body[s:end], typ, "actors.org.capitalised", 3))
    return out
