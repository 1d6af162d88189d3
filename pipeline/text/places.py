"""The country lexicon: names, variants, demonyms, regions and cities of ``rules/countries``.

Shared by the countries stage (which scans a body for these forms) and the actors stage
(which asks "is this word a demonym?", "is this a country name, a capital?", "is this a
first name?").  Every surface form is *folded* (:func:`pipeline.text.fold.fold_same_length`)
and split into word tokens (:func:`key_of`); the index maps a token tuple to its
:class:`Entry` list, best rule first.

:func:`load_lexicon` reads a rules folder (a ``Path`` or :class:`~pipeline.rulebook.Layers`,
packaged rows then a team overlay's) and validates every row; :func:`lexicon` is the same,
cached by the folder's value, so that two stages reading the same folders share one copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pycountry
from babel import Locale
from pydantic import field_validator

from pipeline.rulebook import RULES_DIR, Layers, RuleFileError, RuleModel, as_layers, load_tsv
from pipeline.text.fold import WORD, fold_same_length

COUNTRIES_DIR = RULES_DIR / "countries"

#: Codes accepted besides pycountry's: Kosovo (user-assigned, used by CLDR, EU, World Bank).
EXTRA_CODES = {"XK": ("XKX", "Kosovo")}


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    return frozenset({c.alpha_2 for c in pycountry.countries} | set(EXTRA_CODES))


def check_alpha2(v: str) -> str:
    """Validator of an alpha-2 column: a pycountry code or one of :data:`EXTRA_CODES`."""
    if v not in known_codes():
        raise ValueError(f"unknown ISO 3166-1 alpha-2 code {v!r}")
    return v


# --------------------------------------------------------------------------- rule rows

class NameRow(RuleModel):
    """names.tsv (generated): a country name from CLDR or pycountry."""

    alpha2: str
    name: str
    lang: Literal["fr", "en", "de", "es", "it", "pt"]

    _alpha2 = field_validator("alpha2")(check_alpha2)


class VariantRow(RuleModel):
    """variants.tsv: a hand-written country name variant."""

    alpha2: str
    name: str
    match: Literal["cap", "exact", "any"] = "cap"

    _alpha2 = field_validator("alpha2")(check_alpha2)


class DemonymRow(RuleModel):
    """demonyms.tsv: adjective of nationality; blank inflections are generated."""

    alpha2: str
    masc: str
    fem: str | None = None
    masc_pl: str | None = None
    fem_pl: str | None = None
    language: bool = False

    _alpha2 = field_validator("alpha2")(check_alpha2)

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

    _alpha2 = field_validator("alpha2")(check_alpha2)


class HomeCityRow(RuleModel):
    """home_cities.tsv (generated): a town of the articles' home country (France)."""

    geonameid: int
    name: str
    alpha2: str
    population: int

    _alpha2 = field_validator("alpha2")(check_alpha2)


class CityAliasRow(RuleModel):
    """city_aliases.tsv: a French exonym of a city."""

    name: str
    alpha2: str
    capital: bool = False

    _alpha2 = field_validator("alpha2")(check_alpha2)


class StopRow(RuleModel):
    """stoplist.tsv: a place name that is also a word, brand or person name."""

    name: str
    mode: Literal["drop", "context"]
    contexts: str | None = None


class FirstNameRow(RuleModel):
    """first_names.tsv: a common first name."""

    name: str


# --------------------------------------------------------------------------- forms

def key_of(form: str) -> tuple[str, ...]:
    """The index key of a surface form: its folded word tokens."""
    return tuple(WORD.findall(fold_same_length(form)))


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


# --------------------------------------------------------------------------- the lexicon

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
    words = WORD.findall(form.replace("’", "'"))
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


def load_lexicon(rules_dir: Path | Layers = COUNTRIES_DIR) -> CountryRules:
    """Load and validate every rule file of ``rules/countries`` (a folder or :class:`Layers`)."""
    rules_dir = as_layers(rules_dir)
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
    home = load("home_cities.tsv", HomeCityRow) if (rules_dir / "home_cities.tsv").exists() else []
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
    # A French article's French town wins over a foreign city of the same name that is not a
    # capital ("Brest", "Laval"); a foreign capital keeps its name ("Vienne" is Vienna).
    if home:
        from pipeline.text import lemmas

        words = lemmas.folded_words(fold_same_length)
        for row in home:
            key = key_of(row.name)
            bucket = index.get(key, [])
            if any(e.rule == "countries.capital" and e.value != row.alpha2 for e in bucket):
                continue
            bucket[:] = [e for e in bucket if not (e.rule == "countries.city" and e.value != row.alpha2)]
            common = len(key) == 1 and key[0] in words
            add(row.name, "country", row.alpha2, "countries.city", "cap", common_word=common)
    rules.stop = {key_of(r.name): r for r in stops}
    rules.first_names = (frozenset(fold_same_length(r.name.split("-")[0]) for r in firsts)
                         | frozenset(fold_same_length(r.name) for r in firsts))
    return rules


def _normal(rules_dir: Path | Layers) -> Path | Layers:
    """The cache key of a rules folder: a one-folder :class:`Layers` is that folder."""
    if isinstance(rules_dir, Layers):
        return rules_dir.dirs[0] if len(rules_dir.dirs) == 1 else rules_dir
    return Path(rules_dir)


@lru_cache(maxsize=4)
def _cached(rules_dir: Path | Layers) -> CountryRules:
    return load_lexicon(rules_dir)


def lexicon(rules_dir: Path | Layers = COUNTRIES_DIR) -> CountryRules:
    """:func:`load_lexicon`, loaded once per process for each folder (or stack of folders)."""
    return _cached(_normal(rules_dir))


def overlay_layers(stage_dir: Path | Layers) -> Path | Layers:
    """The countries folders that go with another stage's rules folder(s).

    The packaged ``rules/countries``, plus ``<overlay>/countries`` for each overlay folder of
    ``stage_dir`` (``frnews run --rules DIR`` overlays every stage from the same ``DIR``).
    A plain folder (a test's copy of one stage's rules) goes with the packaged lexicon.
    """
    if isinstance(stage_dir, Layers) and len(stage_dir.dirs) > 1:
        return Layers(COUNTRIES_DIR, *(d.parent / "countries" for d in stage_dir.dirs[1:]))
    return COUNTRIES_DIR


# --------------------------------------------------------------------------- lookups

def country_of_adjective(word: str, rules: CountryRules | None = None) -> str | None:
    """Alpha-2 of a demonym in any gender/number ("rwandaise" -> "RW"), else None."""
    rules = rules or lexicon()
    return rules.demonyms.get(" ".join(key_of(word)))


def country_of_name(name: str, rules: CountryRules | None = None) -> str | None:
    """Alpha-2 of a country name or variant ("le Kenya" is not stripped: pass "Kenya")."""
    rules = rules or lexicon()
    return rules.names.get(key_of(name))


def capital_of(name: str, rules: CountryRules | None = None) -> str | None:
    """Alpha-2 of the country whose capital is ``name`` ("Kigali" -> "RW"), else None."""
    rules = rules or lexicon()
    return rules.capitals.get(key_of(name))
