"""Token streams for keyword matching (the sectors and events stages).

A :class:`Tok` is one matching unit with its *keys*: the lower form, the lookup lemma
(spacy-lookups-data), the doc's ``lemma_`` when the model sets one, naive singulars
(-s, -x, -aux → -al, -ies → -y) and a case-sensitive key (``CASE_KEY`` + the surface).
Elided articles and pronouns are keyed by their full form (``d'`` → de).

- :func:`doc_tokens`: the tokens of a spaCy ``doc`` (whitespace and bare hyphens dropped);
- :func:`text_tokens`: a small regex tokenizer, used without a doc (non-French articles)
  and for rule phrases;
- :func:`tokens_for`: either, for one body; the registry runs it once per article chunk
  as the ``tokens`` step (:func:`tokens_step`), and the stages read ``ctx.tokens``.

Hyphenated tokens are split into their parts ("semi‑conducteurs" → semi, conducteurs),
so spelling variants of hyphens do not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.text import lemmas

HYPHENS = "-\u2010\u2011\u2012"
_HYPHEN_SPLIT = re.compile(f"[{HYPHENS}]+")
_HYPHEN_PARTS = re.compile(f"[^{HYPHENS}]+")
_HAS_HYPHEN = re.compile(f"[{HYPHENS}]").search
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


def apos(text: str) -> str:
    """Typographic apostrophes (’ ʼ) as ``'``."""
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
        return frozenset((low, ELISIONS[low], CASE_KEY + apos(text)))
    keys = {low, lemma_of(low), CASE_KEY + apos(text), *singulars(low)}
    if lemma:
        keys.add(norm(lemma))
    return frozenset(keys)


@lru_cache(maxsize=100_000)
def _tok_info(text: str, lemma: str | None) -> tuple[str, frozenset[str], str]:
    # one keys object per distinct (word, lemma): PhraseIndex memoises lookups by it
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


_DOC_ATTRS = ["IDX", "ORTH", "LEMMA", "IS_SPACE"]


#: (orth hash, lemma hash) → token templates ``(offset, length, low, keys, lemma)``: keyed by
#: value (spaCy's string hashes), so any doc of any pipeline may share it.
_TEMPLATES: dict[tuple[int, int], tuple] = {}


def _templates(text: str, lemma: str | None) -> tuple:
    """Token templates ``(offset, length, low, keys, lemma)`` of one doc token."""
    if _HAS_HYPHEN(text):
        if not text.strip(HYPHENS):
            return ()
        return tuple((t.start, t.end - t.start, t.low, t.keys, t.lemma)
                     for t in _split_hyphenated(text, 0, lemma))
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
    append = out.append
    for m in TOKEN_RE.finditer(text):
        word = m.group()
        if not word.strip(HYPHENS):  # a bare hyphen
            continue
        low, keys, lem = _tok_info(word, None)
        start = offset + m.start()
        append(Tok(start, start + len(word), low, keys, lem))
    return out


def tokens_for(body: str, doc=None) -> list[Tok]:
    """Token stream of ``body``: the doc's tokens when there is a doc, else the regex tokenizer's."""
    return text_tokens(body) if doc is None else doc_tokens(doc)


def tokens_step(ctx, rules, settings) -> dict:
    """Registry step ``tokens``: the body's matching tokens, shared by sectors and events."""
    return {"tokens": tokens_for(ctx.body, ctx.doc)}
