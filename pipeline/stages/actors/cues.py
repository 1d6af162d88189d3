"""Persons by their cues, and the roles written around a person's name.

- a capitalised name right after a title or role: "le ministre Bruno Le Maire", "M. Diba"
  (``actors.per.cue``);
- a name set off by commas after a role: "La ministre des Affaires étrangères, Naledi
  Pandor, a..." (``actors.per.apposition``);
- a person's role, from an apposition after the name ("Paula Ingabire, ministre rwandaise
  des TIC...") or written before it ("le ministre sénégalais des Finances, Cheikh Diba"),
  and the country of a demonym in that role.

The patterns are built from the rule sets (frozensets), once per distinct set.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.stages.actors.candidates import Cand
from pipeline.stages.actors.rules import ActorRules, Settings, french_words
from pipeline.text.fold import fold_same_length
from pipeline.text.places import capital_of, country_of_adjective, country_of_name, key_of

_NAME_TOKEN = r"[A-ZÀ-ÖØ-Þ][\w'’-]+"
_PARTICLE = r"(?:de|du|van|von|der|den|el|El|ben|Ben|bin|ould|Ould|al|Al|le|Le|da|dos|di)"


#: Case-sensitive titles that open a person cue, besides the role words of the rules.
_CUE_HONORIFICS = ("M.", "Mme", "Dr", "Pr")


@lru_cache(maxsize=4)
def cue_person_pattern(person_cue_forms: frozenset[str]) -> re.Pattern:
    roles = sorted((x for x in person_cue_forms if x[:1].islower()), key=len, reverse=True)
    honorific = "|".join(map(re.escape, _CUE_HONORIFICS))
    role = "|".join(re.escape(x).replace("'", "['’]").replace("\\ ", r"\s+") for x in roles)
    return re.compile(
        r"(?<![\w-])(?:(" + honorific + r")|((?i:" + role + r")))"
        r"((?:\s+[a-zà-ÿ][\w-]+){0,2})\s+"
        r"(" + _NAME_TOKEN + r"(?:\s+(?:" + _PARTICLE + r"\s+)*" + _NAME_TOKEN + r"){0,3})")


@lru_cache(maxsize=4)
def cue_prefixes(person_cue_forms: frozenset[str]) -> tuple[str, ...]:
    """The literal heads of the role forms (up to a space or apostrophe), none a prefix of another."""
    heads = sorted({re.split(r"[ '’]", x)[0] for x in person_cue_forms if x[:1].islower()})
    out: list[str] = []
    for h in heads:  # sorted: a head's own prefixes come before it
        if not any(h.startswith(o) for o in out):
            out.append(h)
    return tuple(out)


def matches_at_cues(body: str, pat: re.Pattern, prefixes: tuple[str, ...]):
    """``pat.finditer(body)``, trying only where an honorific or a role head occurs.

    Every match of the cue pattern starts with one of them, so the matches are the
    same; scanning the body with ``str.find`` for each head is several times faster
    than letting the regex engine try its large alternation at every position.
    """
    low = body.lower()
    if len(low) != len(body):  # a character whose lower case is longer: offsets would shift
        yield from pat.finditer(body)
        return
    starts: set[int] = set()
    for text, heads in ((low, prefixes), (body, _CUE_HONORIFICS)):
        for h in heads:
            i = text.find(h)
            while i != -1:
                starts.add(i)
                i = text.find(h, i + 1)
    end = -1
    for i in sorted(starts):
        if i < end:
            continue  # inside the previous match, as finditer would skip it
        m = pat.match(body, i)
        if m:
            end = m.end()
            yield m


def cue_person_cands(body: str, R: ActorRules) -> list[Cand]:
    """A capitalised name right after a title or role: "le ministre Bruno Le Maire", "M. Diba"."""
    out = []
    CR = R.countries
    pat = cue_person_pattern(R.person_cue_forms)
    for m in matches_at_cues(body, pat, cue_prefixes(R.person_cue_forms)):
        honorific = m.group(1)
        # the folded text is matched; check the original capitalisation of the name
        ns, ne = m.start(4), m.end(4)
        name = body[ns:ne]
        if not name[:1].isupper():
            continue
        mods = m.group(3).split()
        if mods and not all(country_of_adjective(w, CR) or fold_same_length(w) in (
                "principal", "general", "adjoint", "delegue", "executif", "ancien", "nouveau") for w in mods):
            continue
        toks = name.split()
        if not honorific and len(toks) < 2:
            continue
        if country_of_name(name, CR) or capital_of(name, CR) or key_of(name) in R.gaz_by_name:
            continue
        out.append(Cand(ns, ne, name, "PER", "actors.per.cue", 3))
    return out


_PLACE_PREP = re.compile(r"\b(?:à|a|en|de|d['’]|du|dans|depuis|vers|sur)\s+$", re.IGNORECASE)
#: a capitalised first name or name then the person's age: "Karim (8 ans)", "Lina, 32 ans,"
_NAME_AGE = re.compile(r"(?<![\w'’-])([A-ZÀ-Ö][a-zà-ÿ'’-]+(?: [A-ZÀ-Ö][a-zà-ÿ'’-]+)?)"
                       r"(?:\s*\(\d{1,3}\s+(?:ans|mois)\)|,\s+\d{1,3}\s+ans\b)")


def age_person_cands(body: str, R: ActorRules) -> list[Cand]:
    """A name followed by an age ("Karim (8 ans)", "Yasmine, 20 ans,"): a person, even by a first name
    only (``actors.per.age``); not a place or a known organisation."""
    if " ans" not in body and " mois" not in body:
        return []
    from spacy.lang.fr.stop_words import STOP_WORDS  # here: spaCy is loaded when a doc exists

    CR = R.countries
    words_fr = french_words()
    out = []
    for m in _NAME_AGE.finditer(body):
        name = m.group(1)
        f = fold_same_length(name)
        if f in R.person_cues or f in R.products or f in R.terms or key_of(name) in R.gaz_by_name \
                or country_of_name(name, CR) or capital_of(name, CR):
            continue
        if " " not in name and (f in words_fr or name.lower() in STOP_WORDS) \
                and name not in CR.first_names and f not in CR.first_names:
            continue  # "Depuis, 20 ans ...": a common word
        if _PLACE_PREP.search(body, max(0, m.start(1) - 12), m.start(1)):
            continue  # "à Lyon, 30 ans après": a place
        out.append(Cand(m.start(1), m.end(1), name, "PER", "actors.per.age", 3))
    return out


@lru_cache(maxsize=4)
def appositive_pattern(person_cue_forms: frozenset[str]) -> re.Pattern:
    return re.compile(r",\s+(" + _NAME_TOKEN + r"(?:\s+(?:" + _PARTICLE + r"\s+)*" + _NAME_TOKEN + r"){1,3})"
                      r"(?=\s*,|\s+(?:et|a|ont|avait|est|sera|qui)\b)")


def appositive_person_cands(body: str, R: ActorRules, S: Settings) -> list[Cand]:
    """A name set off by commas after a role: "La ministre des Affaires étrangères, Naledi Pandor, a...".

    The role (a person cue such as ministre, président, directeur) must open the
    clause that ends at the comma; the name has two to four capitalised words.
    """
    out = []
    CR = R.countries
    roles = [x for x in R.person_cue_forms if x[:1].islower()]
    if not roles:
        return out
    pat = appositive_pattern(R.person_cue_forms)
    for m in pat.finditer(body):
        clause_start = max(body.rfind(".", 0, m.start()), body.rfind("\n", 0, m.start()),
                           body.rfind(",", 0, m.start()), body.rfind("«", 0, m.start()),
                           m.start() - S.apposition_clause_chars) + 1
        clause = " " + fold_same_length(body[clause_start:m.start()]) + " "
        if not any(f" {r} " in clause for r in roles):
            continue
        name = m.group(1)
        if country_of_name(name, CR) or capital_of(name, CR) or key_of(name) in R.gaz_by_name:
            continue
        # the role cue is stronger evidence than the model's label: it wins the overlap
        out.append(Cand(m.start(1), m.end(1), name, "PER", "actors.per.apposition", 1))
    return out



_ROLE_END = re.compile(r"[.;\n«»:!?]|,(?!\s*(?:de|du|des|d['’]|et)\b)")


def role_after(body: str, c: Cand, R: ActorRules, S: Settings) -> tuple[str, int] | None:
    """A role in apposition after the name: "Paula Ingabire, ministre rwandaise des TIC..."."""
    m = re.match(r"\s*,\s*", body[c.end:c.end + 5])
    if not m:
        return None
    start = c.end + m.end()
    first = re.match(r"[\w'’-]+(?: [\w'’-]+)?", body[start:start + 40])
    if not first:
        return None
    w = first.group().split(" ")
    if fold_same_length(w[0]) not in R.person_cues and fold_same_length(" ".join(w[:2])) not in R.person_cues:
        return None
    limit = min(len(body), start + S.role_after_max_chars)
    end_m = _ROLE_END.search(body, start, limit)
    end = end_m.start() if end_m else limit
    role = body[start:end].rstrip()
    return (role, start) if role else None


_HONORIFICS = frozenset({"m.", "m", "mme", "mr", "mrs", "dr", "pr"})


@lru_cache(maxsize=4)
def role_cue_pattern(person_cues: frozenset[str]) -> re.Pattern:
    cues = sorted((x for x in person_cues if x not in _HONORIFICS), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(x) for x in cues) + r")\b")


def role_before(body: str, c: Cand, R: ActorRules, S: Settings) -> tuple[str, int] | None:
    """A role written before the name: "le ministre sénégalais des Finances, Cheikh Diba"."""
    lo = max(0, c.start - S.role_before_window)
    window = body[lo:c.start]
    cut = max(window.rfind(ch) for ch in ".!?\n«»;:()")
    if cut >= 0:
        lo, window = lo + cut + 1, window[cut + 1:]
    fw = fold_same_length(window)
    pat = role_cue_pattern(R.person_cues)
    best = None
    for m in pat.finditer(fw):
        rest = window[m.start():]
        if len(rest) > S.role_before_max_chars or "," in rest.rstrip(", ") \
                or re.search(r"[A-ZÀ-Ö]\w+ [A-ZÀ-Ö]", rest[:-1] if rest else rest):
            continue
        if re.search(r"\b(?:a|ont|est|sont|qui|que|et|ou|dont|avec|pour)\b", fold_same_length(rest)):
            continue
        best = m
    if best is None:
        return None
    role = window[best.start():].strip(" ,")
    if not role:
        return None
    # "Premier ministre": keep the capitalised "Premier" written just before the cue
    pre = re.search(r"(Premier|Première|premier|première|Vice-|vice-)\s*$", window[:best.start()])
    start = lo + best.start()
    if pre:
        role = window[pre.start():].strip(" ,")
        start = lo + pre.start()
    return role, start


def role_country(role: str, role_start: int, govs: list[Cand], R: ActorRules, S: Settings) -> str | None:
    """The country of a demonym among the first words of a role, else of a government in it."""
    for w in role.split()[:S.role_country_words]:
        cc = country_of_adjective(w.strip(",.'’"), R.countries)
        if cc:
            return cc
    for g in govs:
        if g.start >= role_start and g.end <= role_start + len(role) and g.country:
            return g.country
    return None
