"""National governments: "le gouvernement rwandais", "le gouvernement du Kenya", "Kigali a signé".

Each gives ``GOV:XX`` (``fixed``: its type and canonical name are final):

- a government head (``gov_head`` cues) + a demonym: "les autorités marocaines" (``actors.gov.adjective``);
- a head + "du/de la" + a country name: "le gouvernement du Kenya" (``actors.gov.of``);
- a capital as the subject of a verb: "Kigali a signé", not "à Rabat" (``actors.gov.metonym``);
- a country as the subject of a verb: "le Maroc et l'Égypte intensifient" (``actors.gov.subject``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pipeline.records import Mention
from pipeline.stages.actors.candidates import CLAUSE_START, Cand, heads_alt, verb_after
from pipeline.stages.actors.rules import ActorRules, Settings
from pipeline.text.places import country_of_adjective

#: A capital after one of these is a place, not a government ("à Rabat").
_PREP_BEFORE_PLACE = frozenset("a à au aux de d du des en dans vers depuis pres près sur par pour entre chez "
                               "in at from to of".split())


@lru_cache(maxsize=4)
def _head_adj_pattern(heads: frozenset[str]) -> re.Pattern:
    return re.compile(rf"\b({heads_alt(heads)})\s+([a-z][\w]*(?: [a-z]\w*)?)")


@lru_cache(maxsize=4)
def _head_of_pattern(heads: frozenset[str]) -> re.Pattern:
    return re.compile(rf"\b({heads_alt(heads)})\s+(?:du|de la|de l'|des|d')\s*$")


#: "le gouvernement", "l'exécutif", "l'État" (also "du", "au", "son gouvernement") without a country: the government of the article's
#: country (the one it names most, else the home country, France); not "chef de l'État", "État de droit"
_BARE_GOV = re.compile(r"\b(?:le |l'|du |au |son |ce |notre )(gouvernement|executif|etat)\b"
                       r"(?! (?:de|d'|du|des|islamique|major|hebreu)\b)")
_ROLE_BEFORE = re.compile(r"\b(?:chef|president|presidente|ministre|porte parole|secretaire|coup|raison|affaire)s?\s+"
                          r"(?:de |d')?$")
HOME_COUNTRY = "FR"
#: a subordinating conjunction opens a clause too: "quand le Qatar dénonçait", "lorsqu'Israël demande"
_SUBORDINATOR = re.compile(r"\b(?:quand|lorsque|lorsqu'|puisque|puisqu'|car|que|qu')\s*$")
#: words that may follow a bare "le gouvernement" (besides a verb and punctuation)
_AFTER_BARE_GOV = frozenset("et ou qui que dont ne n se s y en lui leur pour sur dans avec sans mais depuis "
                            "lui-meme aussi contre le la les".split())


def _bare_government(body: str, folded: str, countries: Sequence[Mention], found: list[Cand],
                     R: ActorRules) -> list[Cand]:
    """"le gouvernement", "l'État" without a country (rule ``actors.gov.bare``)."""
    counts: dict[str, int] = {}
    for mn in countries:
        if mn.kind == "country":
            counts[mn.value] = counts.get(mn.value, 0) + 1
    if counts:
        top = max(counts.values())
        cc = HOME_COUNTRY if counts.get(HOME_COUNTRY) == top else max(counts, key=counts.get)
    else:
        cc = HOME_COUNTRY
    taken = [(c.start, c.end) for c in found]
    out = []
    for m in _BARE_GOV.finditer(folded):
        s, e = m.start(1), m.end(1)
        if m.group(1) == "etat" and not body[s].isupper():
            continue  # "l'état des routes"
        if _ROLE_BEFORE.search(folded[max(0, m.start() - 25):m.start()]):
            continue
        nxt = re.match(r"\s+([\w-]+)", folded[e:e + 30])
        if nxt and nxt.group(1) not in _AFTER_BARE_GOV and not verb_after(body, e, R):
            continue  # "le gouvernement rwandais" (rule A), "le gouvernement provisoire", "l'État Hébreu"
        if any(a < e and s < b for a, b in taken):
            continue
        out.append(Cand(s, e, f"GOV:{cc}", "GOV", "actors.gov.bare", 1, country=cc, canonical=f"GOV:{cc}",
                        fixed=True))
    return out


def government_cands(body: str, folded: str, countries: Sequence[Mention], R: ActorRules,
                     S: Settings) -> list[Cand]:
    """``GOV:XX`` candidates (see the module docstring); ``folded`` is the folded body."""
    out = []
    CR = R.countries
    head_adj = _head_adj_pattern(R.gov_heads)
    head_of = _head_of_pattern(R.gov_heads)
    ctx_chars = S.gov_context_chars
    aside = S.subject_aside_max_chars
    # A. head + demonym: "le gouvernement rwandais", "les autorités marocaines"
    for m in head_adj.finditer(folded):
        words = m.group(2).split(" ")
        for k in (2, 1):
            if len(words) >= k:
                cc = country_of_adjective(" ".join(words[:k]), CR)
                if cc and re.search(r"\b(?:chef|president|presidente|ministre|porte parole|secretaire)\s+"
                                    r"(?:de l'|du|de la|des|d')\s*$", folded[max(0, m.start() - 30):m.start()]):
                    break  # "le chef de l'État nigérian" is a role, not the government
                if cc:
                    if m.group(1) == "etat" and not body[m.start()].isupper():
                        break
                    end = m.start(2) + len(" ".join(words[:k]))
                    out.append(Cand(m.start(), end, f"GOV:{cc}", "GOV", "actors.gov.adjective", 1,
                                    country=cc, canonical=f"GOV:{cc}", fixed=True))
                    break
    out += _bare_government(body, folded, countries, out, R)
    by_start = {mn.start: mn for mn in countries if mn.kind == "country"}
    for mn in countries:
        if mn.kind != "country":
            continue
        before = folded[max(0, mn.start - ctx_chars):mn.start]
        # B. head + "du/de la" + country: "le gouvernement du Kenya"
        if mn.rule == "countries.name":
            b = head_of.search(before)
            if b:
                s = mn.start - (len(before) - b.start())
                out.append(Cand(s, mn.end, f"GOV:{mn.value}", "GOV", "actors.gov.of", 1,
                                country=mn.value, canonical=f"GOV:{mn.value}", fixed=True))
                continue
        # C. capital as subject: "Kigali a signé", not "à Rabat"
        if mn.rule == "countries.capital":
            prev = re.search(r"([\w']+)\s*$", before)
            if prev and prev.group(1).rstrip("'") in _PREP_BEFORE_PLACE:
                continue
            if verb_after(body, mn.end, R):
                out.append(Cand(mn.start, mn.end, f"GOV:{mn.value}", "GOV", "actors.gov.metonym", 1,
                                country=mn.value, canonical=f"GOV:{mn.value}", fixed=True))
            continue
        # D. country as subject: "le Rwanda signe", "le Maroc et l'Égypte intensifient"
        if mn.rule == "countries.name":
            art = re.search(r"(?:\b(?:le|la|les)\s+|\bl')$", before)
            rest = before[:art.start()] if art else before
            rest_o = body[max(0, mn.start - ctx_chars):mn.start][:len(rest)]  # original text: dashes kept
            if not CLAUSE_START.search(rest_o) and not _SUBORDINATOR.search(rest):
                continue
            if not art and not re.search(r"(?:^|[.!?\n])\s*$", rest_o) and not _SUBORDINATOR.search(rest):
                continue  # "Île-de-France a répondu": no article, no sentence start
            chain = [mn]
            pos = mn.end
            while True:
                nx = re.match(r"\s+et\s+(?:le |la |les |l')?", folded[pos:pos + 12])
                if not nx:
                    break
                nxt = by_start.get(pos + nx.end())
                if not nxt or nxt.rule != "countries.name":
                    break
                chain.append(nxt)
                pos = nxt.end
            ok = verb_after(body, pos, R)
            if not ok:
                par = re.match(rf"\s*,[^,.;:\n]{{1,{aside}}},", body[pos:pos + aside + 10])
                if par:
                    ok = verb_after(body, pos + par.end(), R)
            if ok:
                for c in chain:
                    out.append(Cand(c.start, c.end, f"GOV:{c.value}", "GOV", "actors.gov.subject", 1,
                                    country=c.value, canonical=f"GOV:{c.value}", fixed=True))
    return out

