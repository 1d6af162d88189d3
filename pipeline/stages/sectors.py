"""Sectors stage: domains of activity named in the body (GUIDE "Sectors").

The lexicon ``rules/sectors/lexicon.tsv`` lists French and English keywords and
multi-word phrases for every sector slug.  Matching is done on *token keys*
(:mod:`pipeline.text.tokens`) so that inflections count ("hôpitaux" → hôpital,
"écoles" → école):

- with a spaCy ``doc`` the tokens are the doc's tokens, keyed by their lower
  form, its lookup lemma (spacy-lookups-data) and the doc's ``lemma_`` when
  the model sets one (frnews' default pipeline does not: see ``stages/nlp``);
- without a doc (non-French articles) a small regex tokenizer is used and the
  keys are the lower form, its naive singular (-s, -x, -aux → -al) and its
  lookup lemma.

Hyphenated tokens are split into their parts ("semi‑conducteurs" → semi,
conducteurs) on both sides, so spelling variants of hyphens do not matter.
Overlapping matches are resolved longest-first ("recherche d'emploi" beats
"la recherche").

The article's sectors are decided at article level from weighted evidence
(``rules/sectors/README.md``, "Article-level decision"): every keyword hit gets a
``weight`` (the headline and the lede weigh more, a short label line such as a menu
entry less, a repeated keyword less than a new one, an ``indirect`` keyword, a person of the
domain or a relational adjective, less than a word naming the domain), a sector's ``score`` is the sum
of its hits' weights, and a sector is the article's when its score reaches
``[sectors] min_score`` and ``min_share`` of the best sector's score and it is a topic rather
than a passing mention: ``topic_share`` of the best score, two different keywords, a list of
domains ("l'éducation, la santé et l'agriculture") or a topic cue before a keyword ("la réforme
des retraites": ``rules/sectors/topic_cues.tsv``).  Every hit is
emitted as a ``Mention`` with its ``weight`` and its sector's ``score``: kind
``sector`` when the sector is the article's, ``sector_hit`` (evidence only) when not,
so an analyst can raise the threshold on ``score`` or read what was left out.

The phrase matcher (:mod:`pipeline.text.phrases`) is shared with the events stage.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from pydantic import field_validator, model_validator

from pipeline.records import Mention
from pipeline.rulebook import (
    RULES_DIR,
    Layers,
    RuleFileError,
    RuleModel,
    as_layers,
    check_unique,
    load_tsv,
    packaged,
    rule_id,
)
from pipeline.settings import StageSettings, or_defaults
from pipeline.text.labels import is_label_line
from pipeline.text.phrases import PhraseIndex, compile_phrase, display_phrase, rule_words
from pipeline.text.spans import longest_non_overlapping
from pipeline.text.tokens import Tok, tokens_for

#: Sector slugs of GUIDE.md, in the guide's order.
SLUGS = (
    "health", "education", "public_administration", "employment", "social_protection", "agriculture",
    "water_sanitation", "energy", "transport", "digital", "finance", "industry", "mining", "trade",
    "tourism", "environment", "urban_development", "security_defence", "justice", "tax", "research",
)

Slug = Literal[SLUGS]  # type: ignore[valid-type]


class Settings(StageSettings):
    """``[sectors]`` in ``pipeline/defaults.toml``: the weights of the article-level decision."""

    #: weight of a keyword hit in the headline (the body's first line)
    title_weight: float
    #: weight of a keyword hit in the lede (the first ``lede_chars`` characters after the headline)
    lede_weight: float
    #: characters after the headline that make the lede
    lede_chars: int
    #: factor on a hit of a keyword already seen in the article (repetition counts less than variety)
    repeat_factor: float
    #: factor on a hit in a short label line (menu entry, tag, caption) other than the headline
    label_line_factor: float
    #: a line of at most this many words, not ending like a sentence, is a label line
    label_line_words: int
    #: factor on a hit inside an actor's name ("Social Choice and Welfare", "Crédit agricole")
    name_factor: float
    #: factor on a hit of an ``indirect`` or ``ambiguous`` lexicon row (a person of the domain, a
    #: relational adjective, a word often used in another sense)
    indirect_factor: float
    #: a sector is the article's when its score reaches this ...
    min_score: float
    #: ... and this share of the best sector's score
    min_share: float
    #: below this share of the best sector's score, a sector named by one keyword only (maybe
    #: repeated) and in no list of domains is a passing mention, not the article's
    topic_share: float


# --------------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------------

_ID_RE = re.compile(r"^sectors\.([a-z_]+)\.[a-z0-9_]+$")
SectorId = rule_id(_ID_RE, "sectors.<slug>.<name> (lowercase, digits, _)")


class _PhraseRow(RuleModel):
    """Columns shared by ``lexicon.tsv`` and ``exclude.tsv``."""

    id: str
    phrase: str
    lang: Literal["fr", "en"]
    example: str | None = None

    @field_validator("phrase")
    @classmethod
    def _phrase_words(cls, v: str) -> str:
        if not rule_words(v):
            raise ValueError("phrase has no word")
        return v


class LexiconRow(_PhraseRow):
    """One row of ``lexicon.tsv``."""

    id: SectorId
    slug: Slug
    #: ``domain`` (blank): the word names the domain itself ("santé", "hôpital", "justice");
    #: ``indirect``: a person of the domain or a relational adjective ("médecin", "judiciaire");
    #: ``ambiguous``: a word whose everyday sense is often another ("données" = figures, "formation"
    #: = a group, "villes" = places); both weigh ``indirect_factor``
    evidence: Literal["domain", "indirect", "ambiguous"] | None = None

    @model_validator(mode="after")
    def _id_matches_slug(self):
        m = _ID_RE.match(self.id)
        if m and m.group(1) != self.slug:
            raise ValueError(f"id {self.id!r} does not name slug {self.slug!r}")
        return self


_EXCLUDE_ID_RE = re.compile(r"^sectors\.exclude\.[a-z0-9_]+$")
ExcludeId = rule_id(_EXCLUDE_ID_RE, "sectors.exclude.<name>")


class ExcludeRow(_PhraseRow):
    """One row of ``exclude.tsv``: a phrase that names no sector although it holds a keyword."""

    id: ExcludeId


_CUE_ID_RE = re.compile(r"^sectors\.cue\.[a-z0-9_]+$")
CueId = rule_id(_CUE_ID_RE, "sectors.cue.<name>")


class CueRow(RuleModel):
    """One row of ``topic_cues.tsv``: words that, right before a keyword, name its sector as a topic."""

    id: CueId
    cue: str
    lang: Literal["fr", "en"]
    example: str

    @field_validator("cue")
    @classmethod
    def _cue_words(cls, v: str) -> str:
        if not re.fullmatch(r"[^\W\d_]+(?:['’ -][^\W\d_]+)*", v):
            raise ValueError("cue must be words separated by spaces, hyphens or apostrophes")
        return v


#: a cue's final preposition also matches its forms with an article
_CUE_TAILS = {"de": r"(?:de\s+la\s+|de\s+l['’]\s*|des\s+|du\s+|de\s+|d['’]\s*)",
              "sur": r"sur\s+(?:la\s+|le\s+|les\s+|l['’]\s*)?"}


def cue_pattern(cues: Iterable[CueRow]) -> re.Pattern | None:
    """One pattern matching any cue at the end of the text before a keyword (README)."""
    alts = []
    for row in cues:
        words = row.cue.lower().split()
        tail = _CUE_TAILS.get(words[-1]) if len(words) > 1 else None
        head = words[:-1] if tail else words
        alt = r"\s+".join([re.escape(head[0]) + "s?"] + [re.escape(w) for w in head[1:]])
        alts.append(alt + (r"\s+" + tail if tail else r"\s+"))
    return re.compile(r"\b(?:" + "|".join(alts) + r")$", re.IGNORECASE) if alts else None


@dataclass(frozen=True)
class SectorRules:
    rows: tuple[LexiconRow, ...]
    index: PhraseIndex
    excludes: tuple[ExcludeRow, ...] = ()
    #: ``topic_cues.tsv`` as one pattern (None: no cue)
    cues: re.Pattern | None = None
    cue_rows: tuple[CueRow, ...] = ()


def load_rules(rules_dir: Path | Layers = RULES_DIR / "sectors") -> SectorRules:
    """Load and validate ``lexicon.tsv`` (and the optional ``exclude.tsv`` and ``topic_cues.tsv``);
    raises :class:`RuleFileError`.

    ``rules_dir`` is a folder or the :class:`~pipeline.rulebook.Layers` of the packaged folder
    and a team's overlay (whose rows are added to the packaged ones).
    """
    rules_dir = as_layers(rules_dir)
    path = rules_dir / "lexicon.tsv"
    if not path.exists():
        raise RuleFileError([(str(path), 0, "", "missing lexicon.tsv")])
    rows = load_tsv(path, LexiconRow)
    check_unique(path, rows)
    problems = []
    for lineno, row in rows:
        if not compile_phrase(row.phrase):
            where = str(getattr(lineno, "path", path))  # an overlay row knows its own file
            problems.append((where, int(lineno), "phrase", "phrase compiles to no token"))
    if problems:
        raise RuleFileError(problems)
    plain = tuple(r for _, r in rows)
    excludes: tuple[ExcludeRow, ...] = ()
    xpath = rules_dir / "exclude.tsv"
    if xpath.exists():
        xrows = load_tsv(xpath, ExcludeRow)
        check_unique(xpath, xrows)
        excludes = tuple(r for _, r in xrows)
    cues: tuple[CueRow, ...] = ()
    cpath = rules_dir / "topic_cues.tsv"
    if cpath.exists():
        crows = load_tsv(cpath, CueRow)
        check_unique(cpath, crows)
        cues = tuple(r for _, r in crows)
    index = PhraseIndex([(compile_phrase(r.phrase), r) for r in plain]
                        + [(compile_phrase(r.phrase), r) for r in excludes])
    return SectorRules(plain, index, excludes, cue_pattern(cues), cues)


def default_rules() -> SectorRules:
    """The packaged rules, loaded once per process (shared with the run driver)."""
    return packaged(load_rules)


def keyword_hits(body: str, doc=None, *, rules: SectorRules | None = None,
                 tokens: Sequence[Tok] | None = None) -> list[Mention]:
    """Every lexicon hit in ``body`` (kind ``sector``, no weight yet), in text order."""
    rules = rules or default_rules()
    if not body:
        return []
    toks = tokens_for(body, doc) if tokens is None else tokens
    out = []
    for i, j, row in longest_non_overlapping(rules.index.find(toks), lambda m: (m[0], m[1])):
        if isinstance(row, ExcludeRow):
            continue  # "Banque mondiale": the keyword is part of a name, not a topic
        start, end = toks[i].start, toks[j - 1].end
        out.append(Mention(kind="sector", text=body[start:end], start=start, end=end, value=row.slug,
                           rule=row.id, keyword=display_phrase(row.phrase),
                           extra=(("evidence", row.evidence or "domain"),)))
    return out


#: lexicon ``evidence`` values weighed by ``indirect_factor``
_WEAK = frozenset({"indirect", "ambiguous"})


def hit_weight(body: str, start: int, seen_before: bool, settings: Settings, in_name: bool = False,
               lines: Sequence[int] | None = None, indirect: bool = False) -> float:
    """The evidence weight of one keyword hit at ``start`` (README "Article-level decision").

    ``lines`` are the offsets of the body's line breaks (computed here when not given);
    ``indirect``: the hit is of an ``indirect`` or ``ambiguous`` lexicon row."""
    if lines is None:
        lines = [i for i, ch in enumerate(body) if ch == "\n"]
    title_end = lines[0] if lines else len(body)
    if start < title_end:
        w = settings.title_weight
    else:
        k = bisect_right(lines, start)
        line_start = lines[k - 1] + 1 if k else 0
        line_end = lines[k] if k < len(lines) else len(body)
        line = body[line_start:line_end].strip()
        if is_label_line(line, settings.label_line_words):
            w = settings.label_line_factor  # a menu entry or a tag near the top is no lede
        else:
            w = settings.lede_weight if start < title_end + 1 + settings.lede_chars else 1.0
    if in_name:
        w *= settings.name_factor
    if indirect:
        w *= settings.indirect_factor
    if seen_before:
        w *= settings.repeat_factor
    return w


#: a sentence ends at . ! ? … before a space, or at a line break
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n")
#: what may stand between two items of a list of domains: punctuation and these words
_LIST_WORDS = frozenset("et ou ni de d du des la le les l à au aux en comme ainsi que qu notamment "
                        "voire puis mais aussi tels telles tel telle".split())
_WORD = re.compile(r"\w+")
#: a sentence naming this many sectors lists domains
_LIST_SECTORS = 3


#: ... of which at least one separates items when there are words (a complement, "la santé des
#: élèves", is no list; two keywords side by side, "crédits d'impôt R&D", are)
_LIST_SEPARATORS = frozenset("et ou ni à comme voire puis notamment ainsi aussi".split())
_PUNCT = re.compile(r"[,;:/()–—-]")


def _joined_by_list_words(gap: str) -> bool:
    words = [w.lower() for w in _WORD.findall(gap)]
    return (len(words) <= 4 and all(w in _LIST_WORDS for w in words)
            and (not words or bool(_PUNCT.search(gap)) or any(w in _LIST_SEPARATORS for w in words)))


def listed_with_others(body: str, hits: Sequence[Mention]) -> set[str]:
    """The sectors of ``hits`` (in text order) named in a list of domains: next to a keyword of
    another sector with only punctuation and list words between them ("l'éducation, de la santé et
    de la gouvernance", "du renseignement à la santé publique"), or in a sentence that names
    ``_LIST_SECTORS`` sectors.  A sector so listed is named as a topic even once."""
    out: set[str] = set()
    sentence: list[Mention] = []
    for m in [*hits, None]:
        prev = sentence[-1] if sentence else None
        if m is None or (prev is not None and _SENTENCE_END.search(body, prev.end, m.start)):
            if len({g.value for g in sentence}) >= _LIST_SECTORS:
                out.update(g.value for g in sentence)
            sentence = []
            prev = None
        if m is None:
            break
        if prev is not None and prev.value != m.value and prev.end <= m.start \
                and _joined_by_list_words(body[prev.end:m.start]):
            out.update((prev.value, m.value))
        sentence.append(m)
    return out


def cued(body: str, hits: Sequence[Mention], cues: re.Pattern | None) -> set[str]:
    """The sectors of ``hits`` right after a topic cue ("la réforme des retraites", "le secteur de
    l'énergie", "en matière d'éducation": ``topic_cues.tsv``)."""
    if cues is None:
        return set()
    return {m.value for m in hits if cues.search(body, max(0, m.start - 60), m.start)}


def weigh(body: str, hits: Sequence[Mention], settings: Settings | None = None,
          names: Sequence[Mention] = (), cues: re.Pattern | None = None) -> list[Mention]:
    """``hits`` with their ``weight`` and their sector's ``score``; kind ``sector`` for the article's
    sectors, ``sector_hit`` for the evidence of the others.  ``names`` are the article's actor
    mentions: a hit inside a longer one is part of a name; ``cues`` the rules' topic cues."""
    settings = or_defaults("sectors", settings)
    if not hits:
        return []
    lines = [m.start() for m in re.finditer("\n", body)]
    spans = sorted((a.start, a.end) for a in names if not a.value.startswith("GOV:"))
    starts = [s for s, _ in spans]
    seen: set[str] = set()
    weights = []
    for m in hits:
        k = bisect_right(starts, m.start)  # names starting at or before the hit (names do not overlap)
        in_name = bool(k) and m.end <= spans[k - 1][1] and spans[k - 1][1] - spans[k - 1][0] > m.end - m.start
        weights.append(hit_weight(body, m.start, m.rule in seen, settings, in_name, lines,
                                  dict(m.extra).get("evidence") in _WEAK))
        seen.add(m.rule)
    scores: dict[str, float] = {}
    for m, w in zip(hits, weights):
        scores[m.value] = scores.get(m.value, 0.0) + w
    top = max(scores.values(), default=0.0)
    keywords: dict[str, set[str]] = {}
    for m in hits:
        keywords.setdefault(m.value, set()).add(m.rule)
    # a topic: a main one (topic_share of the best), or named by two different keywords, or in a
    # list of domains; else a passing mention ("Internet fonctionne", "les tests Covid")
    topics = {s for s, v in scores.items() if v >= settings.topic_share * top or len(keywords[s]) > 1}
    if len(topics) < len(scores):
        rest = [m for m in hits if m.value not in topics]
        topics |= listed_with_others(body, hits) | cued(body, rest, cues)
    kept = {s for s, v in scores.items()
            if v >= settings.min_score and v >= settings.min_share * top and s in topics}
    return [replace(m, kind="sector" if m.value in kept else "sector_hit",
                    extra=(("weight", round(w, 3)), ("score", round(scores[m.value], 3))))
            for m, w in zip(hits, weights)]


def find_sectors(body: str, doc=None, *, rules: SectorRules | None = None,
                 tokens: Sequence[Tok] | None = None, settings: Settings | None = None,
                 actors: Sequence[Mention] = ()) -> list[Mention]:
    """Sector evidence in ``body``: every keyword hit (in text order) with its ``weight`` and its
    sector's ``score``; kind ``sector`` when the sector is the article's, else ``sector_hit``.

    ``tokens`` are the body's tokens (:func:`pipeline.text.tokens.tokens_for`), computed from
    ``doc`` when not given; ``actors`` the actors stage's mentions (a hit inside a name weighs less).
    """
    rules = rules or default_rules()
    return weigh(body, keyword_hits(body, doc, rules=rules, tokens=tokens), settings, actors, rules.cues)


def run(ctx, rules: SectorRules | None, settings: Settings | None) -> dict:
    """Stage ``sectors``: reads ``body``, ``tokens``, ``actors``; writes ``sectors``."""
    return {"sectors": tuple(find_sectors(ctx.body, rules=rules, tokens=ctx.tokens, settings=settings,
                                          actors=ctx.actors))}


def sector_set(mentions: Iterable[Mention]) -> list[str]:
    """The article's sectors: distinct slugs in first-mention order."""
    seen: dict[str, None] = {}
    for m in mentions:
        if m.kind == "sector":
            seen.setdefault(m.value, None)
    return list(seen)
