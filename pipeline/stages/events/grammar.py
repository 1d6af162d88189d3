"""Token-level tests of French grammar that the event guards use (on :class:`~pipeline.text.tokens.Tok`).

They read a token's lower form and lookup lemma only (the default pipeline has no
morphology): a future ending on a verb lemma, an infinitive, a participle, a plural noun,
a gerund or indirect speech opening the clause.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from pipeline.text.tokens import Tok

VERB_LEMMA_ENDINGS = ("er", "ir", "re", "oir")
FUTURE_ENDINGS = ("rai", "ras", "ra", "rons", "rez", "ront")
_ER_PARTICIPLE = ("é", "ée", "és", "ées")
_OTHER_PARTICIPLE = ("i", "ie", "is", "ies", "u", "ue", "us", "ues")


def seq_at(toks: Sequence[Tok], k: int, seq: tuple[frozenset[str], ...]) -> bool:
    """The compiled phrase ``seq`` matches the tokens from index ``k``."""
    if k < 0 or k + len(seq) > len(toks):
        return False
    return all(seq[x] & toks[k + x].keys for x in range(len(seq)))


def any_seq(toks: Sequence[Tok], lo: int, hi: int, seqs) -> bool:
    """One of the compiled phrases ``seqs`` starts at a token index in ``[lo, hi)``."""
    for k in range(max(lo, 0), min(hi, len(toks))):
        for seq in seqs:
            if seq_at(toks, k, seq):
                return True
    return False


def is_future(tok: Tok) -> bool:
    """A French simple-future verb form ("accompagnera", "travailleront")."""
    return (tok.low != tok.lemma and tok.lemma.endswith(VERB_LEMMA_ENDINGS)
            and tok.low.endswith(FUTURE_ENDINGS))


def is_infinitive(tok: Tok) -> bool:
    """A verb in the infinitive (the form is its own lemma)."""
    return tok.low == tok.lemma and tok.low.endswith(VERB_LEMMA_ENDINGS)


def indirect_speech(toks: Sequence[Tok], reporting: Sequence[int], lo: int, i: int) -> bool:
    """A reporting verb followed by "que" opens indirect speech before token ``i``."""
    k = bisect_left(reporting, lo)
    while k < len(reporting) and reporting[k] < i:
        if any(toks[x].low in ("que", "qu'") for x in range(reporting[k] + 1, i)):
            return True
        k += 1
    return False


def in_gerund(toks: Sequence[Tok], lo: int, i: int) -> bool:
    """A gerund ("en formalisant", "tout en promouvant") opens the clause before token ``i``."""
    for k in range(lo, i - 1):
        if toks[k].low == "en":
            nxt = toks[k + 1]
            if nxt.low.endswith("ant") and len(nxt.low) > 4 and nxt.lemma.endswith(VERB_LEMMA_ENDINGS):
                return True
    return False


def is_participle(tok: Tok) -> bool:
    """A past participle ("soutenue", "choisis") of a verb lemma."""
    if tok.low == tok.lemma:
        return False
    if tok.lemma.endswith("er"):
        return tok.low.endswith(_ER_PARTICIPLE)
    return tok.lemma.endswith(("ir", "re", "oir")) and tok.low.endswith(_OTHER_PARTICIPLE)


def is_plural(tok: Tok) -> bool:
    """A plural form whose lemma is singular ("partenariats")."""
    return tok.low.endswith(("s", "x")) and tok.low != tok.lemma and not tok.lemma.endswith(("s", "x"))
