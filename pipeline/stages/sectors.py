"""Sectors stage: domains of activity named in the body (GUIDE "Sectors").

The lexicon ``rules/sectors/lexicon.tsv`` lists French and English keywords and
multi-word phrases for every sector slug.  Matching is done on *token keys*
so that inflections count ("hôpitaux" → hôpital, "écoles" → école):

- with a spaCy ``doc`` the tokens are the doc's tokens, keyed by their lower
  form, its lookup lemma (spacy-lookups-data) and the doc's ``lemma_`` when
  the model sets one (frnews' default pipeline does not: see ``stages/nlp``);
- without a doc (non-French articles) a small regex tokenizer is used and the
  keys are the lower form, its naive singular (-s, -x, -aux → -al) and its
  lookup lemma.

Hyphenated tokens are split into their parts ("semi‑conducteurs" → semi,
conducteurs) on both sides, so spelling variants of hyphens do not matter.
Overlapping matches are resolved longest-first ("recherche d'emploi" beats
"la recherche").  Every occurrence is emitted as a ``Mention`` (kind
``sector``); the article's sectors are the set of their values.

The token matcher below is shared with the events stage.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import field_validator, model_validator

from pipeline.text import lemmas
from pipeline.records import Mention
from pipeline.rulebook import RULES_DIR, RuleFileError, RuleModel, check_unique, load_tsv

#: Sector slugs of GUIDE.md, in the guide's order.
SLUGS = (
    "health", "education", "public_administration", "employment", "social_protection", "agriculture",
    "water_sanitation", "energy", "transport", "digital", "finance", "industry", "mining", "trade",
    "tourism", "environment", "urban_development", "security_defence", "justice", "tax", "research",
)

Slug = Literal[
    "health", "education", "public_administration", "employment", "social_protection", "agriculture",
    "water_sanitation", "energy", "transport", "digital", "finance", "industry", "mining", "trade",
    "tourism", "environment", "urban_development", "security_defence", "justice", "tax", "research",
]

# --------------------------------------------------------------------------------------------
# Token keys (shared with the events stage)
# --------------------------------------------------------------------------------------------

HYPHENS = "-\u2010\u2011\u2012"
_HYPHEN_SPLIT = re.compile(f"[{HYPHENS}]+")
_HYPHEN_PARTS = re.compile(f"[^{HYPHENS}]+")
#: Regex tokenizer used without a doc (and for lexicon phrases): French elided
#: articles/pronouns, words (with inner "&" as in R&D), single punctuation marks.
TOKEN_RE = re.compile(
    r"(?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])['’ʼ](?=\w)|\w+(?:&\w+)*|[^\w\s]",
    re.IGNORECASE,
)
ELISIONS = {
    "d'": "de", "l'": "le", "qu'": "que", "s'": "se", "n'": "ne", "j'": "je", "m'": "me", "t'": "te",
    "c'": "ce", "jusqu'": "jusque", "lorsqu'": "lorsque", "puisqu'": "puisque", "quoiqu'": "quoique",
}
#: Prefix of a case-sensitive key ("!AI" in a rule matches the token "AI" only).
CASE_KEY = "\x00"


def _apos(text: str) -> str:
    return text.replace("’", "'").replace("ʼ", "'")


def norm(text: str) -> str:
    """Lowercase with typographic apostrophes unified."""
    return text.lower().replace("’", "'").replace("ʼ", "'")


@lru_cache(maxsize=200_000)
def lemma_of(word: str) -> str:
    """Lookup lemma of a lowercase word (the word itself when unknown)."""
    lemma = lemmas.lemma(word)
    return norm(lemma) if lemma else word


def singulars(word: str) -> tuple[str, ...]:
    """Naive French/English singulars of a lowercase word (plural variants)."""
    if len(word) <= 3:
        return ()
    out = []
    if word.endswith("aux"):
        out.append(word[:-3] + "al")
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    if word[-1] in "sx":
        out.append(word[:-1])
    return tuple(out)


@dataclass(slots=True)
class Tok:
    """One matching unit: a token (or a part of a hyphenated token)."""

    start: int
    end: int
    low: str
    keys: frozenset[str]
    lemma: str = ""


def _keys(text: str, lemma: str | None) -> frozenset[str]:
    low = norm(text)
    if low in ELISIONS:
        return frozenset((low, ELISIONS[low], CASE_KEY + _apos(text)))
    keys = {low, lemma_of(low), CASE_KEY + _apos(text), *singulars(low)}
    if lemma:
        keys.add(norm(lemma))
    return frozenset(keys)


@lru_cache(maxsize=100_000)
def _tok_info(text: str, lemma: str | None) -> tuple[str, frozenset[str], str]:
    low = norm(text)
    lem = norm(lemma) if lemma and lemma != text else lemma_of(low)
    if low in ELISIONS:
        lem = ELISIONS[low]
    return low, _keys(text, lemma), lem


def _tok(start: int, text: str, lemma: str | None) -> Tok:
    low, keys, lem = _tok_info(text, lemma)
    return Tok(start, start + len(text), low, keys, lem)


def _split_hyphenated(text: str, start: int, lemma: str | None) -> list[Tok]:
    parts = [(m.start(), m.group()) for m in _HYPHEN_PARTS.finditer(text)]
    lemma_parts = _HYPHEN_SPLIT.split(lemma) if lemma else []
    if len(lemma_parts) != len(parts):
        lemma_parts = [None] * len(parts)
    return [_tok(start + off, p, lp) for (off, p), lp in zip(parts, lemma_parts)]


_HAS_HYPHEN = re.compile(f"[{HYPHENS}]").search
_DOC_ATTRS = ["IDX", "ORTH", "LEMMA", "IS_SPACE"]


#: (orth hash, lemma hash) → token templates ``(offset, length, low, keys, lemma)``.
_TEMPLATES: dict[tuple[int, int], tuple] = {}


def _templates(text: str, lemma: str | None) -> tuple:
    if _HAS_HYPHEN(text):
        if not text.strip(HYPHENS):
            return ()
        return tuple((t.start, t.end - t.start, t.low, t.keys, t.lemma) for t in _split_hyphenated(text, 0, lemma))
    if not text.strip():
        return ()
    low, keys, lem = _tok_info(text, lemma)
    return ((0, len(text), low, keys, lem),)


def doc_tokens(doc) -> list[Tok]:
    """Token stream of a spaCy doc (whitespace and bare hyphens dropped)."""
    out: list[Tok] = []
    if not len(doc):
        return out
    strings = doc.vocab.strings
    cache = _TEMPLATES
    if len(cache) > 200_000:
        cache.clear()
    append = out.append
    for idx, orth, lem, space in doc.to_array(_DOC_ATTRS).tolist():
        if space:
            continue
        tpl = cache.get((orth, lem))
        if tpl is None:
            tpl = cache[(orth, lem)] = _templates(strings[orth], strings[lem] if lem else None)
        for off, n, low, keys, lemma in tpl:
            append(Tok(idx + off, idx + off + n, low, keys, lemma))
    return out


def text_tokens(text: str, offset: int = 0) -> list[Tok]:
    """Token stream of plain text with the regex tokenizer (no spaCy)."""
    out: list[Tok] = []
    for m in TOKEN_RE.finditer(text):
        word = m.group()
        if all(c in HYPHENS for c in word):
            continue
        out.append(_tok(offset + m.start(), word, None))
    return out


#: One-slot cache: the sectors and events stages tokenize the same doc one after the other.
#: (Not kept in ``doc.user_data``, which must stay serializable.)
_LAST: tuple = (None, None)


def tokens_for(body: str, doc=None) -> list[Tok]:
    """Token stream of ``body`` (computed once per doc)."""
    global _LAST
    if doc is None:
        return text_tokens(body)
    last = _LAST  # one read, one write: safe under the GIL
    if last[0] is doc:
        return last[1]
    toks = doc_tokens(doc)
    _LAST = (doc, toks)
    return toks


def _er_forms(lemma: str) -> set[str]:
    """Present-tense and participle forms of an -er verb ("signer" → signe, signent, signé...).

    The lookup table maps some of them to a homograph noun ("signe" → signe),
    so a rule written with the infinitive would otherwise miss "le Rwanda signe".
    """
    if len(lemma) > 4 and lemma.endswith("er"):
        stem = lemma[:-2]
        return {stem + "e", stem + "es", stem + "ent", stem + "ons", stem + "ez",
                stem + "é", stem + "ée", stem + "és", stem + "ées", stem + "ant"}
    return set()


def word_keys(word: str) -> frozenset[str]:
    """Keys a rule word accepts.

    ``word`` (default): its lower form and lookup lemma (+ -er verb forms);
    ``=a|b``: exactly these lowercase surface forms; ``!AI``: this surface
    form, case-sensitive; ``a|=b|c``: the union of the alternatives (each
    read as above), e.g. ``promettre|=promis|=promise``.
    """
    if "|" in word and word[0] not in "=!":
        return frozenset().union(*(word_keys(w) for w in word.split("|") if w))
    if word.startswith("!") and len(word) > 1:
        return frozenset(CASE_KEY + _apos(w) for w in word[1:].split("|"))
    if word.startswith("=") and len(word) > 1:
        return frozenset(norm(w) for w in word[1:].split("|"))
    low = norm(word)
    if low in ELISIONS:
        return frozenset((ELISIONS[low],))
    lem = lemma_of(low)
    return frozenset({low, lem} | _er_forms(lem) | _er_forms(low))


_RULE_WORD = re.compile(r"[^\s|]*\|\S*|[=!]\S+|(?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])['’ʼ](?=\w|\s|$)|\w+(?:&\w+)*|[^\w\s]",
                        re.IGNORECASE)


def rule_words(phrase: str) -> list[str]:
    """Split a rule phrase into words the same way bodies are tokenized."""
    out: list[str] = []
    for m in _RULE_WORD.finditer(phrase):
        w = m.group()
        if w[0] in "=!":
            out.append(w)
            continue
        if all(c in HYPHENS for c in w):
            continue
        out.append(w)
    return out


def compile_phrase(phrase: str) -> tuple[frozenset[str], ...]:
    return tuple(word_keys(w) for w in rule_words(phrase))


def display_phrase(phrase: str) -> str:
    """The phrase as written, without the ``=`` / ``!`` markers and alternatives."""
    return " ".join(w.lstrip("=!").split("|")[0] for w in phrase.split())


class PhraseIndex:
    """Token-sequence matcher: phrases indexed by the keys of their first word."""

    def __init__(self, phrases: Sequence[tuple[tuple[frozenset[str], ...], object]]):
        self.first: dict[str, list[tuple[tuple[frozenset[str], ...], object]]] = {}
        for seq, payload in phrases:
            if not seq:
                continue
            for k in seq[0]:
                self.first.setdefault(k, []).append((seq, payload))
        self.keyset = frozenset(self.first)
        #: token keys -> candidate phrases.  Tokens of the same word share one keys object
        #: (see ``_tok_info``) and a frozenset caches its hash, so a lookup is cheap; the set
        #: intersection is done once per distinct word.
        self._memo: dict[frozenset[str], tuple] = {}

    def find(self, toks: Sequence[Tok]) -> list[tuple[int, int, object]]:
        """All matches as ``(first_token, end_token_exclusive, payload)`` (overlaps kept)."""
        out = []
        append = out.append
        memo = self._memo
        if len(memo) > 100_000:
            memo.clear()
        keylist = [t.keys for t in toks]
        hits = list(map(memo.get, keylist))
        n = len(toks)
        for i, hit in enumerate(hits):
            if hit is None:
                keys = keylist[i]
                hit = memo[keys] = self._candidates(keys)
            if not hit:
                continue
            for seq, payload, m in hit:
                if i + m > n:
                    continue
                ok = True
                for j in range(1, m):
                    if not (seq[j] & keylist[i + j]):
                        ok = False
                        break
                if ok:
                    append((i, i + m, payload))
        return out

    def _candidates(self, keys: frozenset[str]) -> tuple:
        """The phrases a token with ``keys`` may start, in trial order, each once."""
        hits = keys & self.keyset
        if not hits:
            return ()
        seen: set[int] = set()
        out = []
        for k in sorted(hits):  # set order varies with the hash seed: sort for stable results
            for seq, payload in self.first[k]:
                # a phrase reached again through another key would be tried again with the
                # same outcome: keep its first trial only
                if id(seq) not in seen:
                    seen.add(id(seq))
                    out.append((seq, payload, len(seq)))
        return tuple(out)

    def __getstate__(self):
        return {"first": self.first, "keyset": self.keyset}

    def __setstate__(self, state):
        self.first, self.keyset = state["first"], state["keyset"]
        self._memo = {}


def longest_first(matches: Iterable[tuple[int, int, object]]) -> list[tuple[int, int, object]]:
    """Non-overlapping matches, longer (then earlier) ones first, returned in text order."""
    taken: list[tuple[int, int, object]] = []
    used: set[int] = set()
    for i, j, p in sorted(matches, key=lambda x: (-(x[1] - x[0]), x[0])):
        if any(k in used for k in range(i, j)):
            continue
        used.update(range(i, j))
        taken.append((i, j, p))
    taken.sort(key=lambda x: x[0])
    return taken


def token_index_at(toks: Sequence[Tok], char: int) -> int:
    """Index of the first token starting at or after ``char``."""
    return bisect_left([t.start for t in toks], char)


# --------------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------------

_ID_RE = re.compile(r"^sectors\.([a-z_]+)\.[a-z0-9_]+$")


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

    slug: Slug

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise ValueError("id must look like sectors.<slug>.<name> (lowercase, digits, _)")
        return v

    @model_validator(mode="after")
    def _id_matches_slug(self):
        m = _ID_RE.match(self.id)
        if m and m.group(1) != self.slug:
            raise ValueError(f"id {self.id!r} does not name slug {self.slug!r}")
        return self


_EXCLUDE_ID_RE = re.compile(r"^sectors\.exclude\.[a-z0-9_]+$")


class ExcludeRow(_PhraseRow):
    """One row of ``exclude.tsv``: a phrase that names no sector although it holds a keyword."""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _EXCLUDE_ID_RE.match(v):
            raise ValueError("id must look like sectors.exclude.<name>")
        return v


@dataclass(frozen=True)
class SectorRules:
    rows: tuple[LexiconRow, ...]
    index: PhraseIndex
    excludes: tuple[ExcludeRow, ...] = ()


def load_rules(rules_dir: Path = RULES_DIR / "sectors") -> SectorRules:
    """Load and validate ``lexicon.tsv`` (and the optional ``exclude.tsv``); raises :class:`RuleFileError`."""
    rules_dir = Path(rules_dir)
    path = rules_dir / "lexicon.tsv"
    if not path.is_file():
        raise RuleFileError([(str(path), 0, "", "missing lexicon.tsv")])
    rows = load_tsv(path, LexiconRow)
    check_unique(path, rows)
    problems = []
    for lineno, row in rows:
        if not compile_phrase(row.phrase):
            problems.append((str(path), lineno, "phrase", "phrase compiles to no token"))
    if problems:
        raise RuleFileError(problems)
    plain = tuple(r for _, r in rows)
    excludes: tuple[ExcludeRow, ...] = ()
    xpath = rules_dir / "exclude.tsv"
    if xpath.is_file():
        xrows = load_tsv(xpath, ExcludeRow)
        check_unique(xpath, xrows)
        excludes = tuple(r for _, r in xrows)
    index = PhraseIndex([(compile_phrase(r.phrase), r) for r in plain]
                        + [(compile_phrase(r.phrase), r) for r in excludes])
    return SectorRules(plain, index, excludes)


@lru_cache(maxsize=1)
def _default_rules() -> SectorRules:
    return load_rules()


def find_sectors(body: str, doc=None, *, rules: SectorRules | None = None) -> list[Mention]:
    """Sector mentions in ``body`` (one per occurrence, in text order)."""
    rules = rules or _default_rules()
    if not body:
        return []
    toks = tokens_for(body, doc)
    out = []
    for i, j, row in longest_first(rules.index.find(toks)):
        if isinstance(row, ExcludeRow):
            continue  # "Banque mondiale": the keyword is part of a name, not a topic
        start, end = toks[i].start, toks[j - 1].end
        out.append(Mention(kind="sector", text=body[start:end], start=start, end=end, value=row.slug,
                           rule=row.id, keyword=display_phrase(row.phrase)))
    return out


def sector_set(mentions: Iterable[Mention]) -> list[str]:
    """The article's sectors: distinct slugs in first-mention order."""
    seen: dict[str, None] = {}
    for m in mentions:
        if m.kind == "sector":
            seen.setdefault(m.value, None)
    return list(seen)
