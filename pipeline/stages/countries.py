"""Countries stage: country and region mentions by name, demonym or city.

Every surface form of the rule files (CLDR names in French and English,
hand-written variants, demonyms in all genders and numbers, cities from
geonames with their French names, regions) is *folded* (lower case, accents
removed, curly apostrophes and hyphens unified) and split into word tokens;
the index maps a token tuple to its entries (the lexicon lives in
:mod:`pipeline.text.places`, which the actors stage shares).  The body is folded
the same way with a length-preserving translation (``ctx.scan``, computed once per
article by the registry's ``scan`` step), so the offsets of a match in the folded
text are its offsets in ``body``; matching is then one ``\\w+`` scan plus one
dict lookup per token (leftmost-longest), whatever the size of the gazetteer.

Guards, all data driven: capitalisation (names and cities must be written
with a capital, acronyms exactly), a stop list (``Orange``, ``Mobile``,
``Nice`` only after a locative preposition...), cities whose name is also a
common word never at the start of a sentence, no place right after a first
name ("Whitney Houston"), no place inside a longer PER entity of ``doc``
("Paris Hilton"), and languages are not countries ("le français",
"en anglais", "la langue arabe").
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.records import Mention
from pipeline.rulebook import Layers
from pipeline.settings import StageSettings, or_defaults
from pipeline.text import labels
from pipeline.text.fold import fold_same_length
from pipeline.text.fold import scan as scan_body
from pipeline.text.places import COUNTRIES_DIR, CountryRules, Entry, lexicon


class Settings(StageSettings):
    """``[countries]`` in ``pipeline/defaults.toml``."""

    #: at most this many characters (spaces, apostrophes, dots) between two words of one place name
    max_word_gap: int
    #: the word before a place is its preceding word (preposition, first name) within this many characters
    prev_word_max_gap: int
    #: characters after a city searched for a capitalised word that makes it part of a name ("Paris Hilton")
    name_after_city_chars: int
    #: a line of at most this many words, not ending like a sentence and not the headline, is a
    #: label line (menu, tag, caption, link to another article): a place named only there is dropped
    label_line_words: int
    #: ... in a body laid out in paragraphs only: one line at least this many words long
    paragraph_words: int


def load_rules(rules_dir: Path | Layers = COUNTRIES_DIR) -> CountryRules:
    """Load and validate every rule file of the countries stage (see :mod:`pipeline.text.places`);
    loaded once per process for each folder (or stack of folders): the actors stage shares it."""
    return lexicon(rules_dir)


def default_rules() -> CountryRules:
    """The packaged rules, loaded once per process (shared with the actors stage and the driver)."""
    return lexicon()


# --------------------------------------------------------------------------- matching

_LANG_BEFORE = frozenset({"le", "l", "en", "du", "au", "parle", "parlent", "parler", "parlant",
                          "langue", "langues", "traduit", "traduits", "traduire", "dialecte",
                          "dialectes", "apprendre", "enseigner", "anglais", "francais", "arabe", "et"})
#: a language as a school subject: "cours d'anglais", "professeure de français", "agrégation d'arabe"
_LANG_SUBJECT = re.compile(r"\b(?:cours|professeure?s?|profs?|classes?|lecons?|stages?|examens?|epreuves?|"
                           r"agregation|licence|master|bac|enseignante?s?|enseignement|apprentissage)\s+(?:d'|de )$")
_PLACE_PREPS = frozenset("a au aux de d du des en dans vers depuis pres sur entre in at from to".split())
#: Capitalised words that may follow a city without making it part of a name.
_TITLE_OK = frozenset("le la les l un une et ou mais ce cette il elle on nous en a au aux du des de d".split())
_SENTENCE_END = ".!?:;«»\"“”\n"
#: Determiners: a lower-case demonym right after one is a noun, and French writes a people with a
#: capital ("les Malais"), so it is a language or a common noun ("un malaise", "le français").
_DETERMINERS = frozenset("un une le la les l du au aux ce cet cette ces son sa ses leur leurs mon ma mes "
                         "ton ta tes notre nos votre vos quel quelle".split())
#: Words that make the place after them (with de/du/d'/de la) part of a street or station name
#: ("rue d'Italie", "avenue de la République-Tchèque", "métro Argentine").
_STREET_WORDS = frozenset("rue avenue av boulevard bd place quai allee impasse square cours chemin route "
                          "pont passage metro station arret porte".split())
_STREET_LINK = re.compile(r"(?:\b(\w+) (?:de la |de l'|du |des |de |d'|)|\b(\w+) )$")
#: A country name or demonym that ends a model ORG entity qualifies a brand ("Radio France", "Crédit
#: suisse", "Ouest-France"), unless one of these words makes the entity a body of that country
#: ("Office fédéral de la santé publique suisse", "ambassade de France").
_NATIONAL_BODY = frozenset("office federal federale ministere gouvernement agence ambassade consulat armee "
                           "police gendarmerie parlement assemblee senat banque conseil cour tribunal "
                           "institut national nationale republique etat".split())


def _sentence_initial(body: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and body[i] in " \t\u00a0\u202f([":
        i -= 1
    return i < 0 or body[i] in _SENTENCE_END


def _per_spans(doc) -> list[tuple[int, int]]:
    if doc is None:
        return []
    return [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"]


def _org_spans(doc, folded: str) -> list[tuple[int, int, frozenset[str]]]:
    """The model's ORG entities: span and folded words."""
    if doc is None:
        return []
    return [(e.start_char, e.end_char, frozenset(re.findall(r"\w+", folded[e.start_char:e.end_char])))
            for e in doc.ents if e.label_ == "ORG"]


def _accept(entry: Entry, body: str, folded: str, toks: list[re.Match], i: int, j: int,
            rules: CountryRules, per: list[tuple[int, int]], settings: Settings,
            orgs=tuple) -> bool:
    start, end = toks[i].start(), toks[j].end()
    text = body[start:end]
    key = tuple(t.group() for t in toks[i:j + 1])
    prev = toks[i - 1].group() if (i > 0 and toks[i - 1].end() >= start - settings.prev_word_max_gap
                                   and "\n" not in body[toks[i - 1].end():start]) else ""
    if entry.match == "exact":
        if text.replace("’", "'") != entry.form.rstrip(".").replace("’", "'"):
            return False
        # An acronym inside an all-caps line ("LES USA ET LA CHINE") is fine; "US" next to a
        # lower-case "us" is not possible since the text must be exactly upper case.
    elif entry.match == "cap":
        for w in entry.cap_words:
            if w < len(key) and not body[toks[i + w].start()].isupper():
                return False
    if entry.kind == "country" and entry.rule != "countries.demonym":
        stop = rules.stop.get(key)
        if stop is not None and text.casefold() == stop.name.casefold():
            # the row's spelling, accents included: "Israel" (a first name in English) is listed,
            # "Israël" is the country
            if stop.mode == "drop":
                return False
            ctx = {fold_same_length(c) for c in (stop.contexts or "").split("|") if c}
            if prev not in ctx:
                return False
        if prev and body[toks[i - 1].start()].isupper() and prev in rules.first_names \
                and body[toks[i - 1].end():start] == " ":
            return False
        if entry.common_word and _sentence_initial(body, start):
            return False
        if entry.rule in ("countries.city", "countries.capital") and prev not in _PLACE_PREPS:
            # "Paris Hilton", "Houston Rockets": a city followed by a capitalised name
            nxt = re.match(r" ([A-ZÀ-Ö][\w'’-]+)", body[end:end + settings.name_after_city_chars])
            if nxt and fold_same_length(nxt.group(1)) not in _TITLE_OK and not (
                    j + 1 < len(toks) and toks[j + 1].group() in rules.max_len):
                return False
        for s, e in per:
            if s <= start and end <= e and (e - s) > (end - start):
                return False
    if entry.kind == "country" and not text.islower():
        cstart = start  # the start of a hyphenated compound ("République-Tchèque")
        while cstart > 1 and body[cstart - 1] in "-‑" and body[cstart - 2].isalnum():
            cstart -= 1
            while cstart > 0 and body[cstart - 1].isalnum():
                cstart -= 1
        street = _STREET_LINK.search(folded[max(0, cstart - 24):cstart])
        if street and (street.group(1) or street.group(2)) in _STREET_WORDS:
            return False
    if entry.kind == "country" and entry.rule in ("countries.name", "countries.demonym"):
        for s, e, words in orgs():
            if s < start and end == e and not (words & _NATIONAL_BODY):
                return False  # "Radio France", "Crédit suisse", "Ouest-France", "Courrier picard"
    if entry.rule == "countries.demonym" and text.islower():
        if prev in _DETERMINERS:
            return False
        if entry.language and prev in _LANG_BEFORE:
            return False
        if entry.language and prev in ("d", "de") and _LANG_SUBJECT.search(folded, max(0, start - 24), start):
            return False  # "cours d'anglais", "professeur d'arabe": the language as a school subject
        if prev in ("langue", "langues", "dialecte", "dialectes", "expression", "traduction"):
            return False
    return True


def find_countries(body: str, *, doc=None, rules: CountryRules | None = None, scan=None,
                   settings: Settings | None = None) -> list[Mention]:
    """Country and region mentions of ``body`` (see module docstring).

    ``scan`` is :func:`pipeline.text.fold.scan` of ``body`` (computed here when not given);
    ``settings`` the ``[countries]`` table (the defaults when not given).
    """
    rules = rules or default_rules()
    settings = or_defaults("countries", settings)
    folded, toks, words = scan or scan_body(body)
    per = _per_spans(doc)
    org_cache: list = []

    def orgs() -> list[tuple[int, int, frozenset[str]]]:  # computed once, when a name first needs it
        if not org_cache:
            org_cache.append(_org_spans(doc, folded))
        return org_cache[0]
    max_gap = settings.max_word_gap
    index, max_len = rules.index, rules.max_len
    out: list[Mention] = []
    n = len(toks)
    nxt = 0
    # leftmost-longest: only the tokens that start some indexed form are tried
    seconds = rules.seconds
    for i in [i for i, w in enumerate(words) if w in max_len]:
        if i < nxt:
            continue
        if (words[i],) not in index and (i + 1 >= n or words[i + 1] not in seconds.get(words[i], ())):
            continue  # "la", "des", "le": only longer forms start here, and the next word fits none
        m = max_len[words[i]]
        found = None
        for j in range(min(n - 1, i + m - 1), i - 1, -1):
            if j > i:
                # consecutive tokens must be separated by a space, an apostrophe or a dot only
                ok = True
                for k in range(i, j):
                    gap = folded[toks[k].end():toks[k + 1].start()]
                    if not gap or len(gap) > max_gap or gap.strip(" '.") or "\n" in gap:
                        ok = False
                        break
                if not ok:
                    continue
            entries = index.get(tuple(words[i:j + 1]))
            if not entries:
                continue
            for entry in entries:
                if _accept(entry, body, folded, toks, i, j, rules, per, settings, orgs):
                    found = (entry, j)
                    break
            if found:
                break
        if not found:
            continue
        entry, j = found
        start, end = toks[i].start(), toks[j].end()
        text = body[start:end]
        if entry.kind == "country":
            a3, fr, en = rules.info.get(entry.value, (None, None, None))
            out.append(Mention(kind="country", text=text, start=start, end=end, value=entry.value,
                               rule=entry.rule, alpha3=a3, name_fr=fr, name_en=en))
        else:
            out.append(Mention(kind="region", text=text, start=start, end=end, value=entry.value,
                               rule=entry.rule))
        nxt = j + 1
    return labels.drop_label_only(body, out, settings.label_line_words, settings.paragraph_words)


def run(ctx, rules: CountryRules, settings: Settings) -> dict:
    """Registry entry: ``body``, ``doc``, ``scan`` -> ``countries`` (country and region mentions)."""
    return {"countries": tuple(find_countries(ctx.body, doc=ctx.doc, rules=rules, scan=ctx.scan,
                                              settings=settings))}
