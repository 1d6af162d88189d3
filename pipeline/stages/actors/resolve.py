"""From overlapping candidates to actor mentions: one span each, one canonical name per actor.

In order: overlaps are resolved (:func:`keep_non_overlapping`: the better source first,
then the longer span); an acronym in parentheses after a name becomes an alias of it
("General Services Administration (GSA)") and its other occurrences mentions of that
actor; the type of each model surface form is put to a majority vote; surname-only
mentions are joined to the full name; roles are read around persons, and countries from
demonyms in roles and descriptors ("la start-up américaine Anthropic"); finally every
mention of one actor shares its type, country and role with the richest mention.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from pipeline.records import Mention
from pipeline.stages.actors.candidates import ARTICLE, Cand, desc_alt
from pipeline.stages.actors.cues import role_after, role_before, role_country
from pipeline.stages.actors.rules import ActorRules, Settings
from pipeline.text.fold import fold_same_length
from pipeline.text.places import country_of_adjective, key_of


def keep_non_overlapping(cands: list[Cand]) -> list[Cand]:
    """The candidates that win their overlaps, in text order.

    Lower ``priority`` first (the source: gazetteer and government bodies 0, governments and
    appositions 1, the model and descriptors 2, person cues 3), then the longer span, then the
    earlier start.  (Not :func:`pipeline.text.spans.longest_non_overlapping`: that one puts
    length before rank.)
    """
    cands = sorted(cands, key=lambda c: (c.priority, -(c.end - c.start), c.start))
    kept: list[Cand] = []
    for c in cands:
        if any(c.start < k.end and k.start < c.end for k in kept):
            continue
        kept.append(c)
    return sorted(kept, key=lambda c: c.start)


_HONORIFIC = re.compile(r"^(?:M\.|MM\.|Mme|Mmes|Mlle|Dr|Pr|Me|Mgr|Mr\.?|Mrs\.?|Ms\.?)\s+(?=[A-ZÀ-Ý])")


def person_name(text: str) -> str:
    """A person's name without a leading honorific ("M. Macron" -> "Macron")."""
    return _HONORIFIC.sub("", clean_name(text))


def clean_name(text: str) -> str:
    """A name without a leading article or surrounding punctuation."""
    text = ARTICLE.sub("", text.strip())
    return text.strip(" ,.;:\"«»()[]")


@lru_cache(maxsize=4)
def _desc_before_pattern(descriptors: frozenset[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + desc_alt(descriptors) + r")\s+(\w+(?: \w+)?)\s+$")


#: the rest of a name cut short before its acronym: "et de la maîtrise de l'énergie (ADEME)"; an
#: acronym may end with a department's number ("(COCP 56)": a unit of a département)
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z0-9&.-]{1,11}(?: \d{1,3})?)\)")
_CUT_NAME = re.compile(r"((?:\s+(?:et|pour|de|du|des|d['’]|de la|de l['’]|à|aux|en|sur|contre)\b)[^().,;:!?«»\n]{1,70}?)"
                       r"\s*\(([A-Z][A-Z0-9&.-]{1,11}(?: \d{1,3})?)\)")


def _acronyms(body: str, kept: list[Cand]) -> tuple[list[Cand], dict[str, Cand]]:
    """Acronyms defined in parentheses after an actor, and their mentions (``actors.acronym``)."""
    # acronym in parentheses right after an actor: "General Services Administration (GSA)"
    targets: dict[str, list[Cand]] = {}
    for c in kept:
        m = _ACRONYM_AFTER.match(body[c.end:c.end + 20])
        if not m and c.type != "PER" and c.rule in ("ner+repair", "actors.org.head"):
            # the model cut the name at "et" or a lower-case complement: "Agence de l'environnement
            # [et de la maîtrise de l'énergie] (ADEME)"; the acronym's initial is the name's
            x = _CUT_NAME.match(body, c.end)
            if x and x.group(2)[0] == clean_name(c.name)[:1].upper() \
                    and not any(k.start < x.end(1) and c.end < k.end and k is not c for k in kept):
                c.end = x.end(1)
                c.name = body[c.start:c.end]
                m = _ACRONYM_AFTER.match(body[c.end:c.end + 20])
        if m and c.type != "PER" and not c.name.startswith("GOV:") and c.name != m.group(1):
            targets.setdefault(m.group(1), []).append(c)
    alias: dict[str, Cand] = {}
    for acr, ts in targets.items():
        # the same acronym after two spellings: one actor, named by the most proper-looking one
        best_t = max(ts, key=lambda t: (sum(w[:1].isupper() for w in t.name.split()[1:]), len(t.name)))
        for t in ts:
            if t is not best_t:
                t.canonical = best_t.canonical or clean_name(best_t.name)
        alias[acr] = best_t
    if alias:
        kept = [k for k in kept if not (k.rule == "actors.gazetteer" and body[k.start:k.end] in alias)]
    extra = []
    for acr, target in alias.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(acr)}(?![\w-])", body):
            if not any(k.start <= m.start() < k.end for k in kept if k.name != acr):
                extra.append(Cand(m.start(), m.end(), acr, target.type, "actors.acronym", 1))
    if extra:
        kept = [k for k in kept if k.name not in alias] + extra
        kept.sort(key=lambda c: c.start)
    return kept, alias


def _canonical_names(kept: list[Cand], alias: dict[str, Cand], R: ActorRules) -> None:
    """Type by majority vote, surname-only persons joined to the full name, gazetteer names."""
    # majority vote on the type of each NER surface form
    votes: dict[str, Counter] = {}
    for c in kept:
        if c.rule == "ner+repair":
            votes.setdefault(fold_same_length(clean_name(c.name)), Counter())[c.type] += 1
    # canonical names
    persons = [c for c in kept if c.type == "PER" and c.rule in ("ner+repair", "actors.per.cue",
                                                                 "actors.per.apposition")]
    full = {}
    for p in persons:
        ws = person_name(p.name).split()
        if len(ws) >= 2:
            full.setdefault(ws[-1], p)
            full.setdefault(ws[0], p)
    for c in kept:
        if c.rule in ("ner+repair", "actors.org.cue", "actors.per.cue", "actors.per.apposition"):
            name = clean_name(c.name)
            v = votes.get(fold_same_length(name))
            if v and c.rule != "actors.per.apposition":
                c.type = v.most_common(1)[0][0]
            if c.type == "PER":
                name = person_name(name)
            if c.type == "PER" and len(name.split()) == 1 and name in full:
                c.canonical = person_name(full[name].name)
            else:
                g = R.gaz_by_name.get(key_of(name))
                if g:
                    c.canonical, c.type = g.canonical, g.type
                    c.country = c.country or (g.country if g.type == "GOV" else None)
                else:
                    c.canonical = name
        elif c.rule == "actors.acronym":
            c.canonical = None  # filled below from the expansion
        elif c.canonical is None:
            c.canonical = clean_name(c.name)
    for acr, target in alias.items():
        for c in kept:
            if c.rule == "actors.acronym" and c.name == acr:
                c.canonical = target.canonical or clean_name(target.name)
                c.country = target.country
                c.type = target.type


def _join_variants(kept: list[Cand], R: ActorRules) -> None:
    """One actor for the variants of a name within an article: a title and a surname ("Colonel
    Camara") is the person of that surname's full name; an organisation's bare name after its
    lower-case head ("UPEC" after "université UPEC") and its name followed by its place ("université
    Lyon-2 de Bron" after "université Lyon-2") are that organisation."""
    names = {c.canonical for c in kept if c.canonical}
    surnames: dict[str, str] = {}
    for n in names:
        ws = n.split()
        if len(ws) >= 2 and ws[0][:1].isupper() and fold_same_length(ws[0]) not in R.person_cues:
            surnames.setdefault(ws[-1], n)
    orgs = {c.canonical for c in kept if c.canonical and c.type != "PER" and not c.canonical.startswith("GOV:")}
    bare: dict[str, str] = {}
    for n in orgs:
        m = _HEAD_AND_NAME.match(n)
        if m:
            bare.setdefault(m.group(1), n)
    for c in kept:
        n = c.canonical
        if not n or c.fixed:
            continue
        ws = n.split()
        if c.type == "PER" and len(ws) == 2 and fold_same_length(ws[0]) in R.person_cues and ws[1] in surnames:
            c.canonical = surnames[ws[1]]
        elif c.type != "PER" and n in bare:
            c.canonical = bare[n]
        elif c.type != "PER":
            m = _NAME_AND_PLACE.match(n)
            if m and m.group(1) in orgs and _HEAD_AND_NAME.match(m.group(1)):
                c.canonical = m.group(1)


def _join_appositions(body: str, kept: list[Cand]) -> None:
    """An organisation described in apposition is that organisation, in every mention of the
    description: "Tsahal, l'armée israélienne, a visé ..." (a description: a lower-case head
    between commas, and no list goes on after it)."""
    orgs = sorted((c for c in kept if c.type != "PER" and c.canonical and not c.canonical.startswith("GOV:")),
                  key=lambda c: c.start)
    same: dict[str, str] = {}
    for a, b in zip(orgs, orgs[1:]):
        if (b.canonical[:1].islower() and a.canonical != b.canonical
                and _APPOSED.fullmatch(body, a.end, b.start) and _APPOSITION_END.match(body, b.end)):
            same.setdefault(b.canonical, a.canonical)
    if same:
        for c in kept:  # every mention of the description: "porte-parole de l'armée israélienne"
            if c.canonical in same and c.type != "PER":
                c.canonical = same[c.canonical]


_APPOSED = re.compile(r",\s+(?:l['’]|le |la |les )?")
#: the apposition closes and the sentence goes on (not a list: "..., l'armée israélienne, l'ONU et ...")
_APPOSITION_END = re.compile(r"\s*,\s+(?!(?:le|la|les|l|un|une|des|du|et|ou)\b)[a-zà-ÿ]")


#: an organisation's lower-case head and its proper name: "université UPEC", "groupe Renault"
_HEAD_AND_NAME = re.compile(r"[a-zà-ÿ][\w'’-]*(?: [a-zà-ÿ][\w'’-]*)? ([A-ZÀ-Ö0-9][\w'’&.-]*(?: [A-ZÀ-Ö0-9][\w'’&.-]*)*)$")
#: an organisation's name then its place: "université Lyon-2 de Bron"
_NAME_AND_PLACE = re.compile(r"(.+?) (?:de|d'|d’|à) [A-ZÀ-Ö][\w'’-]*$")


def _countries_and_roles(body: str, folded: str, kept: list[Cand], R: ActorRules, S: Settings) -> None:
    """Roles of persons and the countries they, descriptors and governments give."""
    govs = [c for c in kept if c.type == "GOV"]
    gov_countries = {c.country for c in kept if c.name.startswith("GOV:")}
    desc_before = _desc_before_pattern(R.descriptors)
    for c in kept:
        if c.type == "PER":
            r = role_after(body, c, R, S) or role_before(body, c, R, S)
            if r:
                c.role = r[0]
                c.country = c.country or role_country(r[0], r[1], govs, R, S)
        elif c.type in ("ORG", "GOV") and not c.name.startswith("GOV:") and (
                c.rule != "actors.gazetteer" or c.type == "ORG"):
            d = desc_before.search(folded[max(0, c.start - S.descriptor_window):c.start])
            if d:
                c.country = c.country or country_of_adjective(d.group(1), R.countries) \
                    or country_of_adjective(d.group(1).split()[-1], R.countries)
        if c.type == "GOV" and not c.country and len(gov_countries) == 1:
            c.country = next(iter(gov_countries))


def _sub_org(body: str, a: int, b: int, c: Cand) -> bool:
    """Whether the span ``a:b`` around the gazetteer candidate ``c`` names a part of it: capitalised
    words after it ("France 3 Limousin") or a capitalised head and "de" before it ("Chœur de Radio
    France"); not a sentence run on ("Radio France a annoncé")."""
    before, after = body[a:c.start], body[c.end:b]
    if after.strip() and not all(w[:1].isupper() or w[:1].isdigit() for w in after.split()):
        return False
    if before.strip():
        return bool(re.fullmatch(r"[A-ZÀ-Ý][\w'’-]+ (?:de |du |des |de la |de l['’]|d['’])", before))
    return bool(after.strip())


def to_mentions(body: str, folded: str, cands: list[Cand], R: ActorRules, S: Settings) -> list[Mention]:
    """Actor mentions of the candidates: one per occurrence, one canonical ``value`` per actor."""
    # a bare "l'État" inside an organisation's name is part of the name ("Fédération des
    # travailleurs de l'État")
    inner = [c for c in cands if c.rule == "actors.gov.bare" or (c.rule == "actors.gazetteer" and c.type == "ORG")]
    if inner:
        names = [(c.start, c.end, c.type) for c in cands if c.rule == "ner+repair" and c.type in ("ORG", "GOV")]
        drop = set()
        for c in inner:
            for a, b, t in names:
                if a <= c.start and c.end <= b and b - a > c.end - c.start and (
                        c.rule == "actors.gov.bare"
                        # a known company inside a longer organisation name is its parent: the whole
                        # name is the actor ("France 3 Limousin", "Philharmonique de Radio France")
                        or (t == "ORG" and _sub_org(body, a, b, c))):
                    drop.add(id(c))
                    break
        if drop:
            cands = [c for c in cands if id(c) not in drop]
    kept, alias = _acronyms(body, keep_non_overlapping(cands))
    # parenthesised entity after a lower-case word and attached to nothing: a gloss ("les agents
    # conversationnels (Claude)"); after a name it is the name's owner or operator ("le cargo
    # Andromède (Chargeurs atlantiques)")
    kept = [c for c in kept if not (c.rule == "ner+repair" and c.start > 1 and body[c.start - 1] == "("
                                    and body[c.end:c.end + 1] == ")"
                                    and re.search(r"(?<![\w'’-])[a-zà-ÿ][\w'’-]*\s*$",
                                                  body[max(0, c.start - 30):c.start - 1]))]
    _canonical_names(kept, alias, R)
    _countries_and_roles(body, folded, kept, R, S)
    # one canonical value per actor: names that differ only by case or accents ("Ivan du Roy",
    # "Ivan Du Roy") are one actor, named as first written
    first: dict[str, str] = {}
    folds: dict[str, str] = {}
    for c in kept:
        key = c.canonical or c.name
        f = folds.get(key)
        if f is None:
            f = folds[key] = " ".join(fold_same_length(key).split())
        c.canonical = first.setdefault(f, key)
    _join_variants(kept, R)
    _join_appositions(body, kept)
    # propagate country/role/type from the richest mention
    best: dict[str, Cand] = {}
    for c in kept:
        key = c.canonical or c.name
        b = best.get(key)
        if b is None or (c.role and not b.role) or (c.country and not b.country):
            best[key] = c
    out = []
    for c in kept:
        key = c.canonical or c.name
        b = best[key]
        out.append(Mention(kind="actor", text=body[c.start:c.end], start=c.start, end=c.end, value=key,
                           rule=c.rule, actor_type=b.type if b.fixed else c.type,
                           country=c.country or b.country, role=c.role or None))
    return out
