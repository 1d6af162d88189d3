"""Actors stage: persons, organisations, governments and their canonical names.

Sources, in order of precedence when spans overlap:

1. the gazetteer of well-known organisations (``actors.tsv``: UN bodies, African
   institutions, big tech...) with type, country and aliases;
2. government bodies matched by pattern: "ministère rwandais de la Santé",
   "ministère de l'Éducation du Kenya", "département britannique des ...";
3. national governments: "le gouvernement rwandais", "les autorités
   marocaines", "le gouvernement du Kenya", a capital as the subject of a verb
   ("Kigali a signé") and a country as the subject of a verb ("le Maroc et
   l'Égypte intensifient") -> ``GOV:XX``;
4. the spaCy model's PER/ORG/LOC/MISC entities, repaired: articles stripped,
   noise dropped (lower case, common words, bracketed source tags, e-mails,
   products and jargon of ``non_actors.tsv``, events), one label per surface
   form (majority vote + cue words of ``cues.tsv``), English names extended
   ("Policy Center for the New South").

Then names are joined within the article (surname-only mentions to the full
name, an acronym in parentheses to the name before it), roles are read from
appositions ("Paula Ingabire, ministre rwandaise des TIC...") and countries
from demonyms in roles, descriptors ("la start-up américaine Anthropic") and
ministry names.  ``doc`` may be ``None`` (non-French article): only the
gazetteer and the government patterns run then.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import field_validator

from pipeline.text import lemmas
from pipeline.records import Mention
from pipeline.rulebook import RULES_DIR, RuleFileError, RuleModel, check_unique, load_tsv
from pipeline.stages import countries as C

ACTORS_DIR = RULES_DIR / "actors"
ActorType = Literal["PER", "GOV", "IGO", "ORG"]


# --------------------------------------------------------------------------- rule rows

class ActorRow(RuleModel):
    """actors.tsv: one well-known organisation."""

    id: str
    canonical: str
    type: ActorType
    country: str | None = None
    aliases: str | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        return None if v is None else C._check_alpha2(v)

    def names(self) -> list[str]:
        return [self.canonical, *[a.strip() for a in (self.aliases or "").split("|") if a.strip()]]


class NonActorRow(RuleModel):
    """non_actors.tsv: products, jargon and event words that are not actors."""

    name: str
    kind: Literal["product", "product_suffix", "term", "event"]


class CueRow(RuleModel):
    """cues.tsv: organisation, person, descriptor and government-head cue words."""

    cue: str
    kind: Literal["org", "org_suffix", "person", "descriptor", "gov_head"]
    type: ActorType


class VerbRow(RuleModel):
    """verbs.tsv: verb forms that make the place before them a subject."""

    form: str


@dataclass(frozen=True, slots=True)
class GazEntry:
    id: str
    canonical: str
    type: str
    country: str | None
    form: str
    exact: bool


@dataclass
class ActorRules:
    gaz_index: dict[tuple[str, ...], list[GazEntry]]
    gaz_max: dict[str, int]
    gaz_by_name: dict[tuple[str, ...], GazEntry]
    products: frozenset[str]
    product_suffixes: frozenset[str]
    terms: frozenset[str]
    events: frozenset[str]
    org_cues: dict[str, str]
    org_suffixes: frozenset[str]
    person_cues: frozenset[str]
    descriptors: frozenset[str]
    gov_heads: frozenset[str]
    verbs: frozenset[str]
    countries: C.CountryRules = field(repr=False, default=None)
    person_cue_forms: frozenset[str] = frozenset()
    #: Compiled patterns built from the rule sets above, once per rules object (see ``_rx``).
    _patterns: dict = field(default_factory=dict, init=False, repr=False, compare=False)


def _rx(R: ActorRules, name: str, source, build) -> re.Pattern:
    """The pattern ``build(source)`` for ``R``, compiled once (rebuilt if ``source`` is replaced)."""
    hit = R._patterns.get(name)
    if hit is not None and hit[0] is source:
        return hit[1]
    pat = build(source)
    R._patterns[name] = (source, pat)
    return pat


def _desc_alt(descriptors) -> str:
    return "|".join(re.escape(x) for x in descriptors)


def _heads_alt(heads) -> str:
    return "|".join(sorted((re.escape(h) for h in heads), key=len, reverse=True))


def _is_acronym(form: str) -> bool:
    letters = [ch for ch in form if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and " " not in form


def load_rules(rules_dir: Path = ACTORS_DIR) -> ActorRules:
    """Load and validate every rule file of the actors stage."""
    rules_dir = Path(rules_dir)
    problems = []

    def load(name, model):
        try:
            return load_tsv(rules_dir / name, model)
        except RuleFileError as err:
            problems.extend(err.problems)
            return []

    actors = load("actors.tsv", ActorRow)
    non_actors = [r for _, r in load("non_actors.tsv", NonActorRow)]
    cues = [r for _, r in load("cues.tsv", CueRow)]
    verbs = [r for _, r in load("verbs.tsv", VerbRow)]
    if problems:
        raise RuleFileError(problems)
    check_unique(rules_dir / "actors.tsv", actors, "id")

    index: dict[tuple[str, ...], list[GazEntry]] = {}
    gmax: dict[str, int] = {}
    by_name: dict[tuple[str, ...], GazEntry] = {}
    for _, row in actors:
        for form in row.names():
            key = C.key_of(form)
            if not key:
                continue
            e = GazEntry(row.id, row.canonical, row.type, row.country, form, _is_acronym(form))
            index.setdefault(key, []).append(e)
            gmax[key[0]] = max(gmax.get(key[0], 0), len(key))
            by_name.setdefault(key, e)

    def fset(kind):
        return frozenset(C.fold(r.name) for r in non_actors if r.kind == kind)

    return ActorRules(
        gaz_index=index, gaz_max=gmax, gaz_by_name=by_name,
        products=fset("product"), product_suffixes=fset("product_suffix"),
        terms=fset("term"), events=fset("event"),
        org_cues={C.fold(r.cue): r.type for r in cues if r.kind == "org"},
        org_suffixes=frozenset(r.cue for r in cues if r.kind == "org_suffix"),
        person_cues=frozenset(C.fold(r.cue) for r in cues if r.kind == "person"),
        descriptors=frozenset(C.fold(r.cue) for r in cues if r.kind == "descriptor"),
        gov_heads=frozenset(C.fold(r.cue) for r in cues if r.kind == "gov_head"),
        verbs=frozenset(C.fold(r.form) for r in verbs),
        countries=C.default_rules(),
        person_cue_forms=frozenset(r.cue for r in cues if r.kind == "person"),
    )


@lru_cache(maxsize=1)
def default_rules() -> ActorRules:
    return load_rules()


def _french_words() -> frozenset[str]:
    """Folded French word forms and lemmas (spacy-lookups-data), loaded once per process."""
    return lemmas.folded_words(C.fold)


# --------------------------------------------------------------------------- candidates

@dataclass
class Cand:
    start: int
    end: int
    name: str
    type: str
    rule: str
    priority: int
    country: str | None = None
    canonical: str | None = None
    role: str | None = None
    fixed: bool = False  # type and canonical come from the gazetteer or a GOV pattern


_ARTICLE = re.compile(r"^(?:(?:l['’]|le |la |les |du |des |de la |de l['’]|d['’]|au |aux |the |The |Le |La |Les |L['’]))+")
_WORD_RE = re.compile(r"[\w][\w'’.&-]*")
_STOP_IN_NAME = frozenset("dans pour avec qui que sur par en a est ont sont ou au aux le la les un une ce cette "
                          "son sa ses leur leurs se s entre depuis vers chez comme afin lors selon sans".split())
_PREP_BEFORE_PLACE = frozenset("a à au aux de d du des en dans vers depuis pres près sur par pour entre chez in at from to of".split())
_EN_ORG_WORDS = frozenset("center centre institute administration foundation fund group agency council service services "
                          "office bank university association society organization organisation authority commission "
                          "department lab labs school college corporation partners capital ventures trust".split())
#: Cue words that, after a country name, make a national public body ("UK AI Security Institute").
_NATIONAL_BODY = frozenset("institut institute agence agency office service autorite authority commission "
                           "conseil council centre center".split())
_EN_CONNECTORS = frozenset("of for the and & on".split())


def _gazetteer(body: str, folded: str, toks: list[re.Match], R: ActorRules,
               words: list[str] | None = None) -> list[Cand]:
    out = []
    if words is None:
        words = [t.group() for t in toks]
    gmax = R.gaz_max
    n = len(toks)
    nxt = 0
    # leftmost-longest: only the tokens that start some gazetteer form are tried
    for i in [i for i, w in enumerate(words) if w in gmax]:
        if i < nxt:
            continue
        m = gmax[words[i]]
        hit = None
        for j in range(min(n - 1, i + m - 1), i - 1, -1):
            gaps_ok = all(
                len(g) <= 3 and not g.strip(" ',.&") and "\n" not in g
                for g in (folded[toks[k].end():toks[k + 1].start()] for k in range(i, j)))
            if not gaps_ok:
                continue
            for e in R.gaz_index.get(tuple(words[i:j + 1]), ()):
                text = body[toks[i].start():toks[j].end()]
                if e.exact:
                    if text != e.form.rstrip("."):
                        continue
                elif e.form[:1].isupper() and not text[:1].isupper():
                    continue
                elif e.form[:1].islower() and not text[:1].islower() and e.form[:1].isalpha() and e.form[1:2].isupper():
                    continue  # "xAI" must not match "XAI"
                hit = (e, j)
                break
            if hit:
                break
        if hit:
            e, j = hit
            # A state body's country is part of what it is; a company's is given only where the
            # text ties it (GUIDE.md: "country where the text ties the actor to a country").
            out.append(Cand(toks[i].start(), toks[j].end(), e.canonical, e.type, "actors.gazetteer", 0,
                            country=e.country if e.type == "GOV" else None, canonical=e.canonical,
                            fixed=True))
            nxt = j + 1
    return out


_MINISTRY = re.compile(r"\b(?:[Mm]inist[èe]re|MINIST[ÈE]RE|[Dd][ée]partement|[Ss]ecr[ée]tariat d['’][ÉEé]tat|"
                       r"[Hh]aut-[Cc]ommissariat|[Mm]inistry|[Dd]epartment)\b")
_CONNECTOR = re.compile(r"(\s*,\s*(?:et\s+)?|\s+et\s+|\s+)(de la|de l['’]|du|des|de|d['’]|for|of|and)(?=[\s'’])?\s*")
_NAME_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒ][\wÀ-ÖØ-öø-ÿœŒ'’-]*")
_MIN_ADJ = re.compile(r"\s+([a-zà-ÿ][\wà-ÿ-]*)")
_BARE_ET = re.compile(r"\s+et\s+(?=[A-ZÀ-Ö])")


def _ministries(body: str, R: ActorRules) -> list[Cand]:
    out = []
    CR = R.countries
    for m in _MINISTRY.finditer(body):
        pos = m.end()
        head = m.group()
        country = None
        adj = _MIN_ADJ.match(body, pos)
        if adj and C.country_of_adjective(adj.group(1), CR):
            country = C.country_of_adjective(adj.group(1), CR)
            pos = adj.end()
        segments = 0
        capital = False
        while True:
            c = _CONNECTOR.match(body, pos)
            if not c:
                # a bare "et" before a capitalised word: "des Postes et Télécommunications"
                c2 = _BARE_ET.match(body, pos)
                if not c2 or segments == 0:
                    break
                c = c2
            if segments == 0 and "," in c.group(1):
                break
            wpos = c.end()
            words = []
            for _ in range(2):
                w = _NAME_WORD.match(body, wpos)
                if not w or C.fold(w.group()) in _STOP_IN_NAME:
                    break
                words.append(w)
                nxt = re.match(r" (?=[A-Za-zÀ-ÿ])", body[w.end():w.end() + 2])
                if not nxt:
                    wpos = w.end()
                    break
                # a second word only if it is lower case (an adjective) or capitalised like the first
                wpos = w.end() + 1
                if _CONNECTOR.match(body, w.end()):
                    wpos = w.end()
                    break
            if not words:
                break
            seg_text = body[c.end():words[-1].end()]
            ctry = C.country_of_name(seg_text, CR) if c.group(2) in ("du", "de la", "de l'", "de l’", "d'", "d’", "de") else None
            if ctry and segments > 0:
                country = country or ctry
                pos = words[-1].end()
                segments += 1
                break
            if ctry and segments == 0:
                break  # "ministère du Kenya" is not a ministry name
            capital = capital or any(w.group()[:1].isupper() for w in words)
            pos = words[-1].end()
            segments += 1
        if segments == 0:
            continue
        english = head[:1] in "MD" and head.lower() in ("ministry", "department")
        if not (capital or country) or (head.lower().startswith("d") and not country and not english):
            continue
        out.append(Cand(m.start(), pos, body[m.start():pos], "GOV", "actors.gov.body", 0, country=country))
    return out


def _verb_after(body: str, pos: int, R: ActorRules) -> bool:
    """Whether the word after ``pos`` is a verb (rule list, clitic, or an inflected form of an -er/-ir/-re lemma)."""
    m = re.match(r"\s+([\w'’-]+)", body[pos:pos + 40])
    if not m:
        return False
    w = m.group(1)
    f = C.fold(w)
    if f in R.verbs or f.split("'")[0] + "'" in R.verbs:
        return True
    if f in ("ne", "n", "se", "s", "y") or f.startswith(("n'", "s'")):
        return True
    if not w[:1].islower():
        return False
    lemma = lemmas.lemma(w.lower())
    if lemma and C.fold(lemma) != f and C.fold(lemma).endswith(("er", "ir", "re", "oir")) \
            and (not f.endswith("s") or f.endswith(("ons", "ez"))):
        return True
    return False


_CLAUSE_START = re.compile(r"(?:^|[.!?:;,–—\-(«»\n\]]|\bet|\bque|\bqu['’]|\bou|\bmais)\s*$")


def _governments(body: str, countries: list[Mention], R: ActorRules) -> list[Cand]:
    out = []
    CR = R.countries
    folded = C.fold(body)
    head_adj = _rx(R, "gov_head_adj", R.gov_heads,
                   lambda h: re.compile(rf"\b({_heads_alt(h)})\s+([a-z][\w]*(?: [a-z]\w*)?)"))
    head_of = _rx(R, "gov_head_of", R.gov_heads,
                  lambda h: re.compile(rf"\b({_heads_alt(h)})\s+(?:du|de la|de l'|des|d')\s*$"))
    # A. head + demonym: "le gouvernement rwandais", "les autorités marocaines"
    for m in head_adj.finditer(folded):
        words = m.group(2).split(" ")
        for k in (2, 1):
            if len(words) >= k:
                cc = C.country_of_adjective(" ".join(words[:k]), CR)
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
    by_start = {mn.start: mn for mn in countries if mn.kind == "country"}
    for mn in countries:
        if mn.kind != "country":
            continue
        before = folded[max(0, mn.start - 40):mn.start]
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
            if _verb_after(body, mn.end, R):
                out.append(Cand(mn.start, mn.end, f"GOV:{mn.value}", "GOV", "actors.gov.metonym", 1,
                                country=mn.value, canonical=f"GOV:{mn.value}", fixed=True))
            continue
        # D. country as subject: "le Rwanda signe", "le Maroc et l'Égypte intensifient"
        if mn.rule == "countries.name":
            art = re.search(r"(?:\b(?:le|la|les)\s+|\bl')$", before)
            rest = before[:art.start()] if art else before
            rest_o = body[max(0, mn.start - 40):mn.start][:len(rest)]  # original text: dashes kept
            if not _CLAUSE_START.search(rest_o):
                continue
            if not art and not re.search(r"(?:^|[.!?\n])\s*$", rest_o):
                continue
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
            ok = _verb_after(body, pos, R)
            if not ok:
                par = re.match(r"\s*,[^,.;:\n]{1,120},", body[pos:pos + 130])
                if par:
                    ok = _verb_after(body, pos + par.end(), R)
            if ok:
                for c in chain:
                    out.append(Cand(c.start, c.end, f"GOV:{c.value}", "GOV", "actors.gov.subject", 1,
                                    country=c.value, canonical=f"GOV:{c.value}", fixed=True))
    return out


def _cue_type(words: list[str], R: ActorRules) -> str | None:
    for w in words:
        t = R.org_cues.get(C.fold(w))
        if t:
            return t
    for w in words[1:]:
        if w.rstrip(".") in R.org_suffixes:
            return "ORG"
    return None


_LOWER_WORD = re.compile(r"(?<![\w'’])[a-zà-ÿœ][\w-]*")


def _entities(body: str, doc, countries: list[Mention], R: ActorRules) -> list[Cand]:
    words_fr = _french_words()
    CR = R.countries
    places = [(m.start, m.end) for m in countries]
    # the entities once: (start, end, label, text, vote key)
    ents = []
    for ent in doc.ents:
        et = ent.text
        ents.append((ent.start_char, ent.end_char, ent.label_, et, C.fold(_ARTICLE.sub("", et)).strip()))
    # words the article itself writes in lower case are common words ("gouvernance")
    surnames = frozenset(et.split()[-1] for _, _, lab, et, _ in ents if lab == "PER" and len(et.split()) >= 2)
    # fold() maps each character to one character: the words are folded in one call
    lows = _LOWER_WORD.findall(body)
    lower_words = frozenset(C.fold("\x00".join(lows)).split("\x00")) if lows else frozenset()
    # one label per surface form: majority vote over the article (ties: ORG > PER > MISC > LOC)
    votes: dict[str, Counter] = {}
    for _, _, lab, _, vkey in ents:
        votes.setdefault(vkey, Counter())[lab] += 1
    rank = {"ORG": 3, "PER": 2, "MISC": 1, "LOC": 0}
    out = []
    for s, e, ent_label, _, vkey in ents:
        v = votes.get(vkey)
        label = max(v.items(), key=lambda kv: (kv[1], rank.get(kv[0], -1)))[0] if v else ent_label
        if label not in rank:
            label = ent_label
        text = body[s:e]
        # strip articles and trailing punctuation
        a = _ARTICLE.match(text)
        if a:
            s += a.end()
        while e > s and body[e - 1] in " ,.;:'’-–—)\"»":
            e -= 1
        tail = re.search(r"(?:\s+[\d][\d\-–,.]*)+$", body[s:e])  # "OM 3-1"
        if tail and tail.start() > 0:
            e = s + tail.start()
        while s < e and body[s] in "(«\" ":
            s += 1
        text = body[s:e]
        if not text or text == text.lower() or "@" in text or "www." in text or "http" in text:
            continue
        if s > 0 and body[s - 1] == "[" and (s == 1 or body[s - 2] == "\n"):
            continue  # "[DIGITAL Business Africa] – ..." source tag
        if "\n" in text:
            continue
        words = _WORD_RE.findall(text)
        fw = [C.fold(w) for w in words]
        if not words:
            continue
        if fw[0] in R.products and all(C.fold(w) in R.product_suffixes or w[:1].isdigit() for w in words[1:]):
            continue
        if C.fold(text) in R.terms or (label == "MISC" and fw[0] in R.terms):
            continue
        if fw[0] in R.events:
            continue
        if C.fold(text) in R.person_cues:
            continue
        # a place (country, city, region) is not an actor; a country prefix before an
        # organisation name gives its country ("Royaume-Uni Institut de sécurité de l'IA")
        country = None
        prefix_gov = False
        covered = [p for p in places if p[0] >= s and p[1] <= e]
        if covered:
            first = min(covered)
            if first[0] == s and first[1] < e:
                rest = body[first[1]:e].strip()
                cue = _cue_type(_WORD_RE.findall(rest)[:1], R)
                if cue:
                    country = next((m.value for m in countries if m.start == first[0] and m.kind == "country"), None)
                    if country and C.fold(_WORD_RE.findall(rest)[0]) in _NATIONAL_BODY:
                        prefix_gov = True
                    s = e - len(rest)
                    text, words = body[s:e], _WORD_RE.findall(rest)
                    fw = [C.fold(w) for w in words]
            if not country:
                rest = text
                for p in sorted(covered, reverse=True):
                    rest = rest[:p[0] - s] + rest[p[1] - s:]
                if not re.search(r"[A-Z]", re.sub(r"\b(?:de|du|des|la|le|et|l)\b", "", rest)):
                    continue
        if label != "PER" and len(words) == 1 and words[0] in surnames:
            out.append(Cand(s, e, text, "PER", "ner+repair", 2))
            continue
        if label in ("MISC", "ORG", "LOC") and len(words) >= 3 and C.fold(words[0]) in R.person_cues | {"premier", "premiere"}:
            # "Premier ministre malien Choguel Maïga": a role then a name
            nm = re.search(r"(?:[A-ZÀ-Ö][\w'’-]+)(?: [A-ZÀ-Ö][\w'’-]+)+$", text)
            if nm and nm.start() > 0 and body[s + nm.start() - 1] == " ":
                out.append(Cand(s + nm.start(), e, nm.group(), "PER", "ner+repair", 2))
                continue
        cue = _cue_type(words, R)
        first_name = words[0] in CR.first_names or C.fold(words[0]) in CR.first_names
        if label == "PER" or (len(words) in (2, 3) and first_name and not cue
                              and all(w[:1].isupper() for w in words)):
            typ = "PER"
        elif prefix_gov:
            typ = "GOV"
        elif cue:
            typ = cue
        elif label == "ORG":
            typ = "ORG"
        elif label == "MISC" and len(words) <= 3 and not covered and _verb_after(body, e, R) \
                and _CLAUSE_START.search(body[max(0, s - 30):s]):
            typ = "ORG"  # a MISC name acting as a subject: "Safaricom a lancé..."
        else:
            continue  # LOC / MISC without an organisation cue
        # "la start-up nigériane Flutterwave", "PDG de Flutterwave", "chez Anthropic": an organisation
        before = C.fold(body[max(0, s - 40):s])
        d = re.search(r"(\w[\w ]*?)\s+(\w[\w]*)\s+$", before)
        if typ == "PER" and len(words) == 1 and not first_name and (
                re.search(r"\b(?:chez|pdg de|pdg d'|patron de|patronne de|ceo de|ceo d'|directeur general de|fondateur de|cofondateur de)\s*$", before)
                or (d and d.group(1).split()[-1] in R.descriptors and C.country_of_adjective(d.group(2), CR))
                or _rx(R, "desc_end", R.descriptors,
                       lambda d: re.compile(r"\b(?:" + _desc_alt(d) + r")\s+$")).search(before)):
            typ = "ORG"
        if typ in ("ORG",) and cue and re.search(r"\bnationale?s?\b", C.fold(text)):
            typ = "GOV"
        if label == "PER" and cue and not first_name and typ == "PER" and len(words) > 1 and fw[0] in R.org_cues:
            typ = R.org_cues[fw[0]]
        # common words: "Partenariat", "Innovation Digitale", "État"
        alpha = [f for f in fw if f.isalpha()]
        if not _is_acronym(text) and alpha and not (typ == "PER" and len(words) > 1) \
                and all(f in words_fr or f in lower_words for f in alpha):
            if len(words) == 1 or not cue:
                continue
        if len(words) == 1 and typ == "PER" and C.fold(text) in CR.first_names and not first_name:
            continue
        # English names: extend over "of/for/the/and" + capitalised words
        if typ in ("ORG", "GOV"):
            while True:
                x = re.match(r"((?:\s+(?:of|for|the|and|&))*)\s+([A-Z][\w'’-]*)", body[e:e + 60])
                if not x or (not x.group(1) and C.fold(x.group(2)) not in _EN_ORG_WORDS):
                    break
                e += x.end()
            text = body[s:e]
        out.append(Cand(s, e, text, typ, "ner+repair", 2, country=country))
    return out


_CAP_NAME = re.compile(r"[A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*)*")


def _descriptor_orgs(body: str, folded: str, R: ActorRules) -> list[Cand]:
    """"la start-up américaine Anthropic", "l'opérateur sud-africain MTN" -> ORG with its country."""
    out = []
    pat = _rx(R, "desc_orgs", R.descriptors,
              lambda d: re.compile(rf"\b(?:{_heads_alt(d)}) (\w+(?: \w+)?) "))
    for m in pat.finditer(folded):
        cc = C.country_of_adjective(m.group(1), R.countries)
        if not cc and " " in m.group(1):
            first = m.group(1).split()[0]
            cc = C.country_of_adjective(first, R.countries)
            if cc:
                # "start-up américaine Anthropic": the second word is the name
                s0 = m.start(1) + len(first) + 1
                name = _CAP_NAME.match(body, s0)
                if name:
                    out.append(Cand(s0, name.end(), name.group(), "ORG", "actors.org.cue", 2, country=cc))
                continue
        if not cc:
            continue
        name = _CAP_NAME.match(body, m.end())
        if name:
            out.append(Cand(m.end(), name.end(), name.group(), "ORG", "actors.org.cue", 2, country=cc))
    return out


_NAME_TOKEN = r"[A-ZÀ-ÖØ-Þ][\w'’-]+"
_PARTICLE = r"(?:de|du|van|von|der|den|el|El|ben|Ben|bin|ould|Ould|al|Al|le|Le|da|dos|di)"


#: Case-sensitive titles that open a person cue, besides the role words of the rules.
_CUE_HONORIFICS = ("M.", "Mme", "Dr", "Pr")


def _cue_person_pattern(person_cue_forms) -> re.Pattern:
    roles = sorted((x for x in person_cue_forms if x[:1].islower()), key=len, reverse=True)
    honorific = "|".join(map(re.escape, _CUE_HONORIFICS))
    role = "|".join(re.escape(x).replace("'", "['’]").replace("\\ ", r"\s+") for x in roles)
    return re.compile(
        r"(?<![\w-])(?:(" + honorific + r")|((?i:" + role + r")))"
        r"((?:\s+[a-zà-ÿ][\w-]+){0,2})\s+"
        r"(" + _NAME_TOKEN + r"(?:\s+(?:" + _PARTICLE + r"\s+)*" + _NAME_TOKEN + r"){0,3})")


def _cue_prefixes(person_cue_forms) -> tuple[str, ...]:
    """The literal heads of the role forms (up to a space or apostrophe), none a prefix of another."""
    heads = sorted({re.split(r"[ '’]", x)[0] for x in person_cue_forms if x[:1].islower()})
    out: list[str] = []
    for h in heads:  # sorted: a head's own prefixes come before it
        if not any(h.startswith(o) for o in out):
            out.append(h)
    return tuple(out)


def _matches_at_cues(body: str, pat: re.Pattern, prefixes: tuple[str, ...]):
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


def _cue_persons(body: str, R: ActorRules) -> list[Cand]:
    """A capitalised name right after a title or role: "le ministre Bruno Le Maire", "M. Diba"."""
    out = []
    CR = R.countries
    pat = _rx(R, "cue_persons", R.person_cue_forms, _cue_person_pattern)
    for m in _matches_at_cues(body, pat, _rx(R, "cue_prefixes", R.person_cue_forms, _cue_prefixes)):
        honorific = m.group(1)
        # the folded text is matched; check the original capitalisation of the name
        ns, ne = m.start(4), m.end(4)
        name = body[ns:ne]
        if not name[:1].isupper():
            continue
        mods = m.group(3).split()
        if mods and not all(C.country_of_adjective(w, CR) or C.fold(w) in (
                "principal", "general", "adjoint", "delegue", "executif", "ancien", "nouveau") for w in mods):
            continue
        toks = name.split()
        if not honorific and len(toks) < 2:
            continue
        if C.country_of_name(name, CR) or C.capital_of(name, CR) or C.key_of(name) in R.gaz_by_name:
            continue
        out.append(Cand(ns, ne, name, "PER", "actors.per.cue", 3))
    return out


def _appositive_pattern(person_cue_forms) -> re.Pattern:
    return re.compile(r",\s+(" + _NAME_TOKEN + r"(?:\s+(?:" + _PARTICLE + r"\s+)*" + _NAME_TOKEN + r"){1,3})"
                      r"(?=\s*,|\s+(?:et|a|ont|avait|est|sera|qui)\b)")


def _appositive_persons(body: str, R: ActorRules) -> list[Cand]:
    """A name set off by commas after a role: "La ministre des Affaires étrangères, Naledi Pandor, a...".

    The role (a person cue such as ministre, président, directeur) must open the
    clause that ends at the comma; the name has two to four capitalised words.
    """
    out = []
    CR = R.countries
    roles = [x for x in R.person_cue_forms if x[:1].islower()]
    if not roles:
        return out
    pat = _rx(R, "appositive_persons", R.person_cue_forms, _appositive_pattern)
    for m in pat.finditer(body):
        clause_start = max(body.rfind(".", 0, m.start()), body.rfind("\n", 0, m.start()),
                           body.rfind(",", 0, m.start()), body.rfind("«", 0, m.start()), m.start() - 90) + 1
        clause = " " + C.fold(body[clause_start:m.start()]) + " "
        if not any(f" {r} " in clause for r in roles):
            continue
        name = m.group(1)
        if C.country_of_name(name, CR) or C.capital_of(name, CR) or C.key_of(name) in R.gaz_by_name:
            continue
        # the role cue is stronger evidence than the model's label: it wins the overlap
        out.append(Cand(m.start(1), m.end(1), name, "PER", "actors.per.apposition", 1))
    return out


def _resolve(cands: list[Cand]) -> list[Cand]:
    cands = sorted(cands, key=lambda c: (c.priority, -(c.end - c.start), c.start))
    kept: list[Cand] = []
    for c in cands:
        if any(c.start < k.end and k.start < c.end for k in kept):
            continue
        kept.append(c)
    return sorted(kept, key=lambda c: c.start)


_HONORIFIC = re.compile(r"^(?:M\.|MM\.|Mme|Mmes|Mlle|Dr|Pr|Me|Mgr|Mr\.?|Mrs\.?|Ms\.?)\s+(?=[A-ZÀ-Ý])")


def _person_name(text: str) -> str:
    """A person's name without a leading honorific ("M. Macron" -> "Macron")."""
    return _HONORIFIC.sub("", _clean_name(text))


def _clean_name(text: str) -> str:
    text = _ARTICLE.sub("", text.strip())
    return text.strip(" ,.;:\"«»()[]").replace("’", "'") if False else text.strip(" ,.;:\"«»()[]")


_ROLE_END = re.compile(r"[.;\n«»:!?]|,(?!\s*(?:de|du|des|d['’]|et)\b)")


def _role_after(body: str, c: Cand, R: ActorRules) -> tuple[str, int] | None:
    m = re.match(r"\s*,\s*", body[c.end:c.end + 5])
    if not m:
        return None
    start = c.end + m.end()
    first = re.match(r"[\w'’-]+(?: [\w'’-]+)?", body[start:start + 40])
    if not first:
        return None
    w = first.group().split(" ")
    if C.fold(w[0]) not in R.person_cues and C.fold(" ".join(w[:2])) not in R.person_cues:
        return None
    end_m = _ROLE_END.search(body, start, min(len(body), start + 250))
    end = end_m.start() if end_m else min(len(body), start + 250)
    role = body[start:end].rstrip()
    return (role, start) if role else None


_HONORIFICS = frozenset({"m.", "m", "mme", "mr", "mrs", "dr", "pr"})


def _role_cue_pattern(person_cues) -> re.Pattern:
    cues = sorted((x for x in person_cues if x not in _HONORIFICS), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(x) for x in cues) + r")\b")


def _role_before(body: str, c: Cand, R: ActorRules) -> tuple[str, int] | None:
    """A role written before the name: "le ministre sénégalais des Finances, Cheikh Diba"."""
    lo = max(0, c.start - 100)
    window = body[lo:c.start]
    cut = max(window.rfind(ch) for ch in ".!?\n«»;:()")
    if cut >= 0:
        lo, window = lo + cut + 1, window[cut + 1:]
    fw = C.fold(window)
    pat = _rx(R, "role_cues", R.person_cues, _role_cue_pattern)
    best = None
    for m in pat.finditer(fw):
        rest = window[m.start():]
        if len(rest) > 90 or "," in rest.rstrip(", ") or re.search(r"[A-ZÀ-Ö]\w+ [A-ZÀ-Ö]", rest[:-1] if rest else rest):
            continue
        if re.search(r"\b(?:a|ont|est|sont|qui|que|et|ou|dont|avec|pour)\b", C.fold(rest)):
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


def _role_country(role: str, role_start: int, govs: list[Cand], R: ActorRules) -> str | None:
    for w in role.split()[:4]:
        cc = C.country_of_adjective(w.strip(",.'’"), R.countries)
        if cc:
            return cc
    for g in govs:
        if g.start >= role_start and g.end <= role_start + len(role) and g.country:
            return g.country
    return None


def find_actors(body: str, doc, *, countries: list[Mention], rules: ActorRules | None = None) -> list[Mention]:
    """Actor mentions of ``body``: one per occurrence, sharing a canonical ``value`` per actor."""
    R = rules or default_rules()
    folded, toks, words = C.scan(body)
    cands = _gazetteer(body, folded, toks, R, words)
    cands += _ministries(body, R)
    cands += _governments(body, countries, R)
    if doc is not None:
        cands += _entities(body, doc, countries, R)
        cands += _cue_persons(body, R)
        cands += _appositive_persons(body, R)
        cands += [c for c in _descriptor_orgs(body, folded, R)
                  if C.fold(c.name) not in R.products and C.fold(c.name.split()[0]) not in R.products]
    kept = _resolve(cands)

    # acronym in parentheses right after an actor: "General Services Administration (GSA)"
    targets: dict[str, list[Cand]] = {}
    for c in kept:
        m = re.match(r"\s*\(([A-Z][A-Za-z0-9&.-]{1,11})\)", body[c.end:c.end + 16])
        if m and c.type != "PER" and not c.name.startswith("GOV:") and c.name != m.group(1):
            targets.setdefault(m.group(1), []).append(c)
    alias: dict[str, Cand] = {}
    for acr, ts in targets.items():
        # the same acronym after two spellings: one actor, named by the most proper-looking one
        best_t = max(ts, key=lambda t: (sum(w[:1].isupper() for w in t.name.split()[1:]), len(t.name)))
        for t in ts:
            if t is not best_t:
                t.canonical = best_t.canonical or _clean_name(best_t.name)
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
    # parenthesised entity after a lower-case word and attached to nothing: a gloss
    kept = [c for c in kept if not (c.rule == "ner+repair" and c.start > 1 and body[c.start - 1] == "("
                                    and body[c.end:c.end + 1] == ")"
                                    and re.search(r"[a-zà-ÿ]\s*$", body[max(0, c.start - 20):c.start - 1]))]

    # majority vote on the type of each NER surface form
    votes: dict[str, Counter] = {}
    for c in kept:
        if c.rule == "ner+repair":
            votes.setdefault(C.fold(_clean_name(c.name)), Counter())[c.type] += 1
    # canonical names
    persons = [c for c in kept if c.type == "PER" and c.rule in ("ner+repair", "actors.per.cue",
                                                                 "actors.per.apposition")]
    full = {}
    for p in persons:
        ws = _person_name(p.name).split()
        if len(ws) >= 2:
            full.setdefault(ws[-1], p)
            full.setdefault(ws[0], p)
    for c in kept:
        if c.rule in ("ner+repair", "actors.org.cue", "actors.per.cue", "actors.per.apposition"):
            name = _clean_name(c.name)
            v = votes.get(C.fold(name))
            if v and c.rule != "actors.per.apposition":
                c.type = v.most_common(1)[0][0]
            if c.type == "PER":
                name = _person_name(name)
            if c.type == "PER" and len(name.split()) == 1 and name in full:
                c.canonical = _person_name(full[name].name)
            else:
                g = R.gaz_by_name.get(C.key_of(name))
                if g:
                    c.canonical, c.type = g.canonical, g.type
                    c.country = c.country or (g.country if g.type == "GOV" else None)
                else:
                    c.canonical = name
        elif c.rule == "actors.acronym":
            c.canonical = None  # filled below from the expansion
        elif c.canonical is None:
            c.canonical = _clean_name(c.name)
    for acr, target in alias.items():
        for c in kept:
            if c.rule == "actors.acronym" and c.name == acr:
                c.canonical = target.canonical or _clean_name(target.name)
                c.country = target.country
                c.type = target.type
    # country and role
    govs = [c for c in kept if c.type == "GOV"]
    gov_countries = {c.country for c in kept if c.name.startswith("GOV:")}
    for c in kept:
        if c.type == "PER":
            r = _role_after(body, c, R) or _role_before(body, c, R)
            if r:
                c.role = r[0]
                c.country = c.country or _role_country(r[0], r[1], govs, R)
        elif c.type in ("ORG", "GOV") and not c.name.startswith("GOV:") and (
                c.rule != "actors.gazetteer" or c.type == "ORG"):
            d = _rx(R, "desc_before", R.descriptors,
                    lambda d: re.compile(r"\b(?:" + _desc_alt(d) + r")\s+(\w+(?: \w+)?)\s+$")
                    ).search(folded[max(0, c.start - 50):c.start])
            if d:
                c.country = c.country or C.country_of_adjective(d.group(1), R.countries) \
                    or C.country_of_adjective(d.group(1).split()[-1], R.countries)
        if c.type == "GOV" and not c.country and len(gov_countries) == 1:
            c.country = next(iter(gov_countries))
    # one canonical value per actor: propagate country/role/type from the richest mention
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
