"""The actors stage's rule rows, their loading, and its settings table.

``load_rules`` reads ``rules/actors`` (a folder or :class:`~pipeline.rulebook.Layers`) and
joins the country lexicon of ``rules/countries`` (:mod:`pipeline.text.places`: demonyms,
country names, capitals, first names), with the overlay's ``countries`` folder when
``rules_dir`` is overlaid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import field_validator

from pipeline.rulebook import (
    RULES_DIR,
    Layers,
    RuleFileError,
    RuleModel,
    as_layers,
    check_unique,
    load_tsv,
    packaged,
)
from pipeline.settings import StageSettings
from pipeline.text import lemmas, places
from pipeline.text.fold import fold_same_length, fold_words
from pipeline.text.labels import AsideCues, aside_cues
from pipeline.text.places import CountryRules, key_of

ACTORS_DIR = RULES_DIR / "actors"
ActorType = Literal["PER", "GOV", "IGO", "ORG"]


class Settings(StageSettings):
    """``[actors]`` in ``pipeline/defaults.toml``."""

    #: at most this many characters (spaces, apostrophes, dots, "&") between two words of a gazetteer name
    gazetteer_max_word_gap: int
    #: characters before a country name searched for "gouvernement du" or the article of a subject
    gov_context_chars: int
    #: longest aside between a country subject and its verb ("le Maroc, selon ..., a signé")
    subject_aside_max_chars: int
    #: characters before an entity searched for "chez", "PDG de" or a descriptor ("la start-up ...")
    entity_context_chars: int
    #: characters before an organisation searched for a descriptor and its demonym (its country)
    descriptor_window: int
    #: longest clause before an apposed name in which a role word must appear ("La ministre ..., X Y,")
    apposition_clause_chars: int
    #: longest role written after a person's name (", ministre rwandaise des TIC ...")
    role_after_max_chars: int
    #: characters before a person's name searched for a role ("le ministre sénégalais des Finances")
    role_before_window: int
    #: longest role written before a person's name
    role_before_max_chars: int
    #: words at the start of a role searched for a demonym (the person's country)
    role_country_words: int
    #: a line of at most this many words, not ending like a sentence and not the headline, is a
    #: label line (menu entry, tag, caption, byline, link); an actor named only there is dropped
    label_line_words: int
    #: ... in a body laid out in paragraphs: one line at least this many words long
    paragraph_words: int


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
        return None if v is None else places.check_alpha2(v)

    def names(self) -> list[str]:
        return [self.canonical, *[a.strip() for a in (self.aliases or "").split("|") if a.strip()]]


class NonActorRow(RuleModel):
    """non_actors.tsv: products, jargon and event words that are not actors."""

    name: str
    kind: Literal["product", "product_suffix", "term", "event", "before", "platform", "work"]


class CueRow(RuleModel):
    """cues.tsv: organisation, person, descriptor and government-head cue words."""

    cue: str
    kind: Literal["org", "org_suffix", "person", "descriptor", "gov_head"]
    type: ActorType


class OrgHeadRow(RuleModel):
    """org_heads.tsv: a common noun that heads an organisation's name ("tribunal correctionnel de Lyon")."""

    head: str
    type: ActorType
    form: Literal["name", "of", "both", "alone", "demonym"]
    example: str

    @field_validator("example")
    @classmethod
    def _example_has_head(cls, v: str, info) -> str:
        head = info.data.get("head")
        if head and fold_same_length(head.lower()) not in fold_same_length(v.lower()):
            raise ValueError(f"example does not contain the head {head!r}")
        return v


class AsideRow(RuleModel):
    """asides.tsv: a cue that a line is a teaser of another page (:mod:`pipeline.text.labels`)."""

    kind: Literal["link", "prefix", "suffix", "statement", "dateline"]
    text: str
    example: str

    @field_validator("example")
    @classmethod
    def _example_has_text(cls, v: str, info) -> str:
        text = info.data.get("text")
        if text and fold_words(text).strip() not in fold_words(v):
            raise ValueError(f"example does not contain the text {text!r}")
        return v


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


@dataclass(frozen=True)
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
    #: the country lexicon of ``rules/countries`` (shared with the countries stage)
    countries: CountryRules = field(repr=False, default=None)
    person_cue_forms: frozenset[str] = frozenset()
    #: first word of a gazetteer form -> the second words of its longer forms ("le" -> {"monde", "point"})
    gaz_seconds: dict[str, frozenset[str]] = field(default_factory=dict)
    #: non_actors.tsv ``before``: "l'affaire X", "la tempête X" name things
    thing_heads: frozenset[str] = frozenset()
    #: non_actors.tsv ``platform``: social networks, a medium after "sur", "via" or "sa page"
    platforms: frozenset[str] = frozenset()
    #: non_actors.tsv ``work``: "la série X", "le film X" name a work
    work_heads: frozenset[str] = frozenset()
    #: org_heads.tsv rows, longest head first
    org_heads: tuple[OrgHeadRow, ...] = ()
    #: asides.tsv: teasers of other pages and readers' comments (label lines' kin)
    asides: AsideCues = field(default_factory=AsideCues)


def is_acronym(form: str) -> bool:
    letters = [ch for ch in form if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and " " not in form


def load_rules(rules_dir: Path | Layers = ACTORS_DIR) -> ActorRules:
    """Load and validate every rule file of the actors stage (a folder or :class:`Layers`)."""
    rules_dir = as_layers(rules_dir)
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
    heads = load("org_heads.tsv", OrgHeadRow)
    asides = [r for _, r in load("asides.tsv", AsideRow)]
    if problems:
        raise RuleFileError(problems)
    check_unique(rules_dir / "actors.tsv", actors, "id")
    check_unique(rules_dir / "org_heads.tsv", heads, "head")

    index: dict[tuple[str, ...], list[GazEntry]] = {}
    gmax: dict[str, int] = {}
    by_name: dict[tuple[str, ...], GazEntry] = {}
    for _, row in actors:
        for form in row.names():
            key = key_of(form)
            if not key:
                continue
            e = GazEntry(row.id, row.canonical, row.type, row.country, form, is_acronym(form))
            index.setdefault(key, []).append(e)
            gmax[key[0]] = max(gmax.get(key[0], 0), len(key))
            by_name.setdefault(key, e)

    fold = fold_same_length

    def fset(kind):
        return frozenset(fold(r.name) for r in non_actors if r.kind == kind)

    return ActorRules(
        gaz_index=index, gaz_max=gmax, gaz_by_name=by_name,
        products=fset("product"), product_suffixes=fset("product_suffix"),
        terms=fset("term"), events=fset("event"), thing_heads=fset("before"), platforms=fset("platform"),
        work_heads=fset("work"),
        org_cues={fold(r.cue): r.type for r in cues if r.kind == "org"},
        org_suffixes=frozenset(r.cue for r in cues if r.kind == "org_suffix"),
        person_cues=frozenset(fold(r.cue) for r in cues if r.kind == "person"),
        descriptors=frozenset(fold(r.cue) for r in cues if r.kind == "descriptor"),
        gov_heads=frozenset(fold(r.cue) for r in cues if r.kind == "gov_head"),
        verbs=frozenset(fold(r.form) for r in verbs),
        countries=places.lexicon(places.overlay_layers(rules_dir)),
        person_cue_forms=frozenset(r.cue for r in cues if r.kind == "person"),
        org_heads=tuple(sorted((r for _, r in heads), key=lambda r: -len(r.head))),
        gaz_seconds=_seconds(index),
        asides=aside_cues((r.kind, r.text) for r in asides),
    )


def _seconds(index: dict[tuple[str, ...], list]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for key in index:
        if len(key) > 1:
            out.setdefault(key[0], set()).add(key[1])
    return {k: frozenset(v) for k, v in out.items()}


def default_rules():
    """The packaged rules, loaded once per process (shared with the run driver)."""
    return packaged(load_rules)


def french_words() -> frozenset[str]:
    """Folded French word forms and lemmas (spacy-lookups-data), loaded once per process."""
    return lemmas.folded_words(fold_same_length)
