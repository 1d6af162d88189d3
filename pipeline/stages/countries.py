"""Countries stage: country and region mentions by name, demonym or city.

Every surface form of the rule files (CLDR names in French and English,
hand-written variants, demonyms in all genders and numbers, cities from
geonames with their French names, regions) is *folded* (lower case, accents
removed, curly apostrophes and hyphens unified) and split into word tokens;
the index maps a token tuple to its entries.  The body is folded the same way
with a length-preserving translation, so the offsets of a match in the folded
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
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pycountry
from babel import Locale
from pydantic import field_validator

from pipeline.records import Mention
from pipeline.rulebook import RULES_DIR, RuleFileError, RuleModel, load_tsv

COUNTRIES_DIR = RULES_DIR / "countries"

#: Codes accepted besides pycountry's: Kosovo (user-assigned, used by CLDR, EU, World Bank).
EXTRA_CODES = {"XK": ("XKX", "Kosovo")}


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    return frozenset({c.alpha_2 for c in pycountry.countries} | set(EXTRA_CODES))


def _check_alpha2(v: str) -> str:
    if v not in known_codes():
        raise ValueError(f"unknown ISO 3166-1 alpha-2 code {v!r}")
    return v


# --------------------------------------------------------------------------- rule rows

class NameRow(RuleModel):
    """names.tsv (generated): a country name from CLDR or pycountry."""

    alpha2: str
    name: str
    lang: Literal["fr", "en", "de", "es", "it", "pt"]

    _alpha2 = field_validator("alpha2")(_check_alpha2)


class VariantRow(RuleModel):
    """variants.tsv: a hand-written country name variant."""

    alpha2: str
    name: str
    match: Literal["cap", "exact", "any"] = "cap"

    _alpha2 = field_validator("alpha2")(_check_alpha2)


class DemonymRow(RuleModel):
    """demonyms.tsv: adjective of nationality; blank inflections are generated."""

    alpha2: str
    masc: str
    fem: str | None = None
    masc_pl: str | None = None
    fem_pl: str | None = None
    language: bool = False

    _alpha2 = field_validator("alpha2")(_check_alpha2)

    @field_validator("masc")
    @classmethod
    def _lower(cls, v: str) -> str:
        if v != v.lower():
            raise ValueError("write the demonym in lower case")
        return v


class RegionRow(RuleModel):
    """regions.tsv: a continent or region (slug) by name or adjective."""

    slug: str
    form: str
    kind: Literal["name", "adjective"]
    match: Literal["cap", "exact", "any"] = "cap"

    @field_validator("slug")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z][a-z_]*", v):
            raise ValueError("slug must be lower-case letters and underscores")
        return v


class CityRow(RuleModel):
    """cities.tsv (generated): a city, its country and whether it is the capital."""

    geonameid: int
    name: str
    alpha2: str
    population: int
    capital: bool
    common_word: bool = False
    source: str

    _alpha2 = field_validator("alpha2")(_check_alpha2)


class CityAliasRow(RuleModel):
    """city_aliases.tsv: a French exonym of a city."""

    name: str
    alpha2: str
    capital: bool = False

    _alpha2 = field_validator("alpha2")(_check_alpha2)


class StopRow(RuleModel):
    """stoplist.tsv: a place name that is also a word, brand or person name."""

    name: str
    mode: Literal["drop", "context"]
    contexts: str | None = None


class FirstNameRow(RuleModel):
    """first_names.tsv: a common first name."""

    name: str


# --------------------------------------------------------------------------- folding

_APOS = "'’‘ʼ´`′"
_DASH = "-‐‑‒–—―"
_SPACES = "\u00a0\u202f\u2009\u2007\t"


class _FoldTable(dict):
    """``str.translate`` table folding one character to exactly one character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in _APOS:
            out = "'"
        elif ch in _DASH or ch in _SPACES:
            out = " "
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            low = base.lower()
            out = low if len(low) == 1 else base
            if ch == "œ" or ch == "Œ":
                out = "œ"
        self[code] = out
        return out


_FOLD = _FoldTable()
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower-case, accent-free copy of ``text`` with the same length (offsets are kept)."""
    return text.translate(_FOLD)


#: One-slot cache of :func:`scan`: the countries and actors stages scan the same body in turn.
_LAST_SCAN: tuple = (None, None)


def scan(body: str) -> tuple[str, list[re.Match], list[str]]:
    """``fold(body)``, its ``\\w+`` matches and their strings, computed once per body object."""
    global _LAST_SCAN
    last = _LAST_SCAN  # one read, one write: safe under the GIL
    if last[0] is body:
        return last[1]
    folded = fold(body)
    toks = list(_WORD.finditer(folded))
    res = (folded, toks, [t.group() for t in toks])
    _LAST_SCAN = (body, res)
    return res


def key_of(form: str) -> tuple[str, ...]:
    """The index key of a surface form: its folded word tokens."""
    return tuple(_WORD.findall(fold(form)))


def inflect(masc: str) -> tuple[str, str, str]:
    """Feminine, masculine plural and feminine plural of a regular French demonym."""
    if masc.endswith("e"):
        return masc, masc + "s", masc + "s"
    if masc.endswith(("s", "x")):
        return masc + "e", masc, masc + "es"
    if masc.endswith(("ien", "éen", "een")):
        return masc + "ne", masc + "s", masc + "nes"
    return masc + "e", masc + "s", masc + "es"


def demonym_forms(row: DemonymRow) -> list[str]:
    fem, mpl, fpl = inflect(row.masc)
    return list(dict.fromkeys([row.masc, row.fem or fem, row.masc_pl or mpl, row.fem_pl or fpl]))


# --------------------------------------------------------------------------- rules

@dataclass(frozen=True, slots=True)
class Entry:
    kind: str  # country | region
    value: str  # alpha-2 or region slug
    rule: str
    form: str
    match: str  # cap | exact | any
    cap_words: tuple[int, ...]  # indices of words that must be capitalised
    priority: int
    common_word: bool = False
    language: bool = False


@dataclass
class CountryRules:
    index: dict[tuple[str, ...], list[Entry]]
    max_len: dict[str, int]
    stop: dict[tuple[str, ...], StopRow]
    first_names: frozenset[str]
    info: dict[str, tuple[str, str, str]]  # alpha2 -> (alpha3, name_fr, name_en)
    capitals: dict[tuple[str, ...], str] = field(default_factory=dict)  # folded key -> alpha2
    demonyms: dict[str, str] = field(default_factory=dict)  # folded single word -> alpha2
    names: dict[tuple[str, ...], str] = field(default_factory=dict)  # folded name key -> alpha2
    #: first word -> second words of the indexed forms of two words or more ("la" -> {"paz", ...}):
    #: a token that starts no one-word form is skipped unless the next word is one of these
    seconds: dict[str, set[str]] = field(default_factory=dict)


_PRIORITY = {"countries.name": 0, "countries.region": 1, "countries.demonym": 2,
             "countries.capital": 3, "countries.city": 4}


def _cap_words(form: str, match: str) -> tuple[int, ...]:
    if match != "cap":
        return ()
    words = _WORD.findall(form.replace("’", "'"))
    return tuple(i for i, w in enumerate(words) if w[:1].isupper())


def _info() -> dict[str, tuple[str, str, str]]:
    fr, en = Locale("fr").territories, Locale("en").territories
    out = {}
    for c in pycountry.countries:
        out[c.alpha_2] = (c.alpha_3, fr.get(c.alpha_2, c.name).replace("’", "'"),
                          en.get(c.alpha_2, c.name))
    for code, (a3, name) in EXTRA_CODES.items():
        out[code] = (a3, fr.get(code, name), en.get(code, name))
    return out


def load_rules(rules_dir: Path = COUNTRIES_DIR) -> CountryRules:
    """Load and validate every rule file of the countries stage."""
    rules_dir = Path(rules_dir)
    problems = []

    def load(name, model):
        try:
            return [row for _, row in load_tsv(rules_dir / name, model)]
        except RuleFileError as err:
            problems.extend(err.problems)
            return []

    names = load("names.tsv", NameRow)
    variants = load("variants.tsv", VariantRow)
    demonyms = load("demonyms.tsv", DemonymRow)
    regions = load("regions.tsv", RegionRow)
    cities = load("cities.tsv", CityRow)
    aliases = load("city_aliases.tsv", CityAliasRow)
    stops = load("stoplist.tsv", StopRow)
    firsts = load("first_names.tsv", FirstNameRow)
    if problems:
        raise RuleFileError(problems)

    index: dict[tuple[str, ...], list[Entry]] = {}
    rules = CountryRules(index=index, max_len={}, stop={}, first_names=frozenset(), info=_info())

    def add(form: str, entry_kind: str, value: str, rule: str, match: str, **kw) -> None:
        key = key_of(form)
        if not key:
            return
        entry = Entry(entry_kind, value, rule, form, match, _cap_words(form, match), _PRIORITY[rule], **kw)
        bucket = index.setdefault(key, [])
        if any(e.value == entry.value and e.rule == entry.rule and e.match == entry.match for e in bucket):
            return
        bucket.append(entry)
        bucket.sort(key=lambda e: e.priority)
        rules.max_len[key[0]] = max(rules.max_len.get(key[0], 0), len(key))
        if len(key) > 1:
            rules.seconds.setdefault(key[0], set()).add(key[1])

    for row in names:
        add(row.name, "country", row.alpha2, "countries.name", "cap")
        rules.names[key_of(row.name)] = row.alpha2
        # "Etats-Unis", "Egypte": initial accented capitals are often dropped; folding covers it.
    for row in variants:
        add(row.name, "country", row.alpha2, "countries.name", row.match)
        if row.match != "exact":
            rules.names[key_of(row.name)] = row.alpha2
    for row in regions:
        forms = [row.form]
        if row.kind == "adjective":
            forms = list(dict.fromkeys([row.form, *inflect(row.form)]))
        for form in forms:
            add(form, "region", row.slug, "countries.region", row.match if row.kind == "name" else "any")
    for row in demonyms:
        for i, form in enumerate(demonym_forms(row)):
            add(form, "country", row.alpha2, "countries.demonym", "any", language=row.language and i == 0)
            k = key_of(form)
            if len(k) == 1:
                rules.demonyms.setdefault(k[0], row.alpha2)
            rules.demonyms.setdefault(" ".join(k), row.alpha2)
    for row in aliases:
        rule = "countries.capital" if row.capital else "countries.city"
        add(row.name, "country", row.alpha2, rule, "cap")
        if row.capital:
            rules.capitals[key_of(row.name)] = row.alpha2
    for row in cities:
        rule = "countries.capital" if row.capital else "countries.city"
        add(row.name, "country", row.alpha2, rule, "cap", common_word=row.common_word)
        if row.capital:
            rules.capitals.setdefault(key_of(row.name), row.alpha2)
    rules.stop = {key_of(r.name): r for r in stops}
    rules.first_names = frozenset(fold(r.name.split("-")[0]) for r in firsts) | frozenset(fold(r.name) for r in firsts)
    return rules


@lru_cache(maxsize=1)
def default_rules() -> CountryRules:
    return load_rules()


# --------------------------------------------------------------------------- matching

_LANG_BEFORE = frozenset({"le", "l", "en", "du", "au", "parle", "parlent", "parler", "parlant",
                          "langue", "langues", "traduit", "traduits", "traduire", "dialecte",
                          "dialectes", "apprendre", "enseigner", "anglais", "francais", "arabe", "et"})
_PLACE_PREPS = frozenset("a au aux de d du des en dans vers depuis pres sur entre in at from to".split())
#: Capitalised words that may follow a city without making it part of a name.
_TITLE_OK = frozenset("le la les l un une et ou mais ce cette il elle on nous en a au aux du des de d".split())
_SENTENCE_END = ".!?:;«»\"“”\n"


def _sentence_initial(body: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and body[i] in " \t\u00a0\u202f([":
        i -= 1
    return i < 0 or body[i] in _SENTENCE_END


def _per_spans(doc) -> list[tuple[int, int]]:
    if doc is None:
        return []
    return [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"]


def _accept(entry: Entry, body: str, folded: str, toks: list[re.Match], i: int, j: int,
            rules: CountryRules, per: list[tuple[int, int]]) -> bool:
    start, end = toks[i].start(), toks[j].end()
    text = body[start:end]
    key = tuple(t.group() for t in toks[i:j + 1])
    prev = toks[i - 1].group() if i > 0 and toks[i - 1].end() >= start - 3 and "\n" not in body[toks[i - 1].end():start] else ""
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
        if stop is not None:
            if stop.mode == "drop":
                return False
            ctx = {fold(c) for c in (stop.contexts or "").split("|") if c}
            if prev not in ctx:
                return False
        if prev and body[toks[i - 1].start()].isupper() and prev in rules.first_names \
                and body[toks[i - 1].end():start] == " ":
            return False
        if entry.common_word and _sentence_initial(body, start):
            return False
        if entry.rule in ("countries.city", "countries.capital") and prev not in _PLACE_PREPS:
            # "Paris Hilton", "Houston Rockets": a city followed by a capitalised name
            nxt = re.match(r" ([A-ZÀ-Ö][\w'’-]+)", body[end:end + 40])
            if nxt and fold(nxt.group(1)) not in _TITLE_OK and not (j + 1 < len(toks) and
                                                                     toks[j + 1].group() in rules.max_len):
                return False
        for s, e in per:
            if s <= start and end <= e and (e - s) > (end - start):
                return False
    if entry.rule == "countries.demonym" and text.islower():
        if entry.language and prev in _LANG_BEFORE:
            return False
        if prev in ("langue", "langues", "dialecte", "dialectes", "expression", "traduction"):
            return False
    return True


def find_countries(body: str, *, doc=None, rules: CountryRules | None = None) -> list[Mention]:
    """Country and region mentions of ``body`` (see module docstring)."""
    rules = rules or default_rules()
    folded, toks, words = scan(body)
    per = _per_spans(doc)
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
                    if not gap or len(gap) > 2 or gap.strip(" '.") or "\n" in gap:
                        ok = False
                        break
                if not ok:
                    continue
            entries = index.get(tuple(words[i:j + 1]))
            if not entries:
                continue
            for entry in entries:
                if _accept(entry, body, folded, toks, i, j, rules, per):
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
    return out


def country_of_adjective(word: str, rules: CountryRules | None = None) -> str | None:
    """Alpha-2 of a demonym in any gender/number ("rwandaise" -> "RW"), else None."""
    rules = rules or default_rules()
    return rules.demonyms.get(" ".join(key_of(word)))


def country_of_name(name: str, rules: CountryRules | None = None) -> str | None:
    """Alpha-2 of a country name or variant ("le Kenya" is not stripped: pass "Kenya")."""
    rules = rules or default_rules()
    return rules.names.get(key_of(name))


def capital_of(name: str, rules: CountryRules | None = None) -> str | None:
    """Alpha-2 of the country whose capital is ``name`` ("Kigali" -> "RW"), else None."""
    rules = rules or default_rules()
    return rules.capitals.get(key_of(name))
