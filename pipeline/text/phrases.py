"""Rule phrases matched as token sequences (the sectors lexicon, the events triggers and guards).

A rule phrase is split into words like a body (:func:`rule_words`), each word compiled to
the set of token keys it accepts (:func:`word_keys`, syntax below); a phrase matches where
consecutive tokens (:mod:`pipeline.text.tokens`) each have one of its word's keys.
:class:`PhraseIndex` finds every match of many phrases at once.

Word syntax: ``word`` (its lower form and lookup lemma, + -er verb forms); ``=a|b``
(exactly these lowercase surface forms); ``!AI`` (this surface form, case-sensitive);
``a|=b|c`` (the union of the alternatives, each read as above).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.text.tokens import CASE_KEY, ELISIONS, HYPHENS, Tok, apos, lemma_of, norm


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
        return frozenset(CASE_KEY + apos(w) for w in word[1:].split("|"))
    if word.startswith("=") and len(word) > 1:
        return frozenset(norm(w) for w in word[1:].split("|"))
    low = norm(word)
    if low in ELISIONS:
        return frozenset((ELISIONS[low],))
    lem = lemma_of(low)
    return frozenset({low, lem} | _er_forms(lem) | _er_forms(low))


_RULE_WORD = re.compile(r"[^\s|]*\|\S*|[=!]\S+"  # alternatives, exact / case-sensitive words
                        r"|(?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])['’ʼ](?=\w|\s|$)"  # elided words
                        r"|\w+(?:&\w+)*|[^\w\s]",
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
    """The key sets of a rule phrase's words, in order."""
    return tuple(word_keys(w) for w in rule_words(phrase))


def display_phrase(phrase: str) -> str:
    """The phrase as written, without the ``=`` / ``!`` markers and alternatives."""
    return " ".join(w.lstrip("=!").split("|")[0] for w in phrase.split())


class PhraseIndex:
    """Token-sequence matcher: phrases indexed by the keys of their first word."""

    def __init__(self, phrases: Sequence[tuple[tuple[frozenset[str], ...], object]]):
        #: first-word key -> ``(phrase number, word keys, payload)`` of the phrases it may start
        self.first: dict[str, list[tuple[int, tuple[frozenset[str], ...], object]]] = {}
        for n, (seq, payload) in enumerate(phrases):
            if not seq:
                continue
            for k in seq[0]:
                self.first.setdefault(k, []).append((n, seq, payload))
        self.keyset = frozenset(self.first)
        #: token keys -> candidate phrases (keyed by value).  Tokens of the same word share
        #: one keys object (see ``tokens._tok_info``) and a frozenset caches its hash, so a
        #: lookup is cheap; the set intersection is done once per distinct word.
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
            for n, seq, payload in self.first[k]:
                # a phrase reached again through another key would be tried again with the
                # same outcome: keep its first trial only
                if n not in seen:
                    seen.add(n)
                    out.append((seq, payload, len(seq)))
        return tuple(out)

    def __getstate__(self):
        return {"first": self.first, "keyset": self.keyset}

    def __setstate__(self, state):
        self.first, self.keyset = state["first"], state["keyset"]
        self._memo = {}
