"""Token-level tests of French grammar that the event guards use (on :class:`~pipeline.text.tokens.Tok`).

They read a token's lower form and lookup lemma only (the default pipeline has no
morphology): a future ending on a verb lemma, an infinitive, a participle, a plural noun,
a gerund or indirect speech opening the clause; a number or quantity before a participle
(a counted noun), an object pronoun mistaken for an article, a genitive, a quotation
introduced by a verb.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from pipeline.text.sentences import QUOTE_OPEN
from pipeline.text.tokens import Tok

VERB_LEMMA_ENDINGS = ("er", "ir", "re", "oir")
FUTURE_ENDINGS = ("rai", "ras", "ra", "rons", "rez", "ront")
_ER_PARTICIPLE = ("é", "ée", "és", "ées")
_OTHER_PARTICIPLE = ("i", "ie", "is", "ies", "u", "ue", "us", "ues")
GENITIVE = frozenset({"du", "de", "des", "d'", "d’"})


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


def quote_follows(body: str, end: int, s_end: int) -> bool:
    """A quotation opens within a few words after a trigger ending at ``end``: the verb outside the
    quotes acts on what they say ("a condamné « une attaque odieuse »", "a dénoncé un « massacre »")."""
    k = min((i for i in (body.find(q, end, s_end) for q in QUOTE_OPEN) if i >= 0), default=-1)
    return k >= 0 and len(body[end:k].split()) <= 6


def counted_noun(toks, i: int, lo: int, guards_in) -> bool:
    """The verb trigger at ``i`` is a noun counted by a number before it ("1 407 blessés", "trois
    blessés", "8 000 signes") or after a quantity noun and "de" ("le nombre de blessés",
    "des dizaines de blessés")."""
    prev = toks[i - 1].low
    if prev[:1].isdigit() or guards_in("quantity", i - 1, i):
        return True
    return prev in GENITIVE and i - 2 >= lo and guards_in("quantity", i - 2, i - 1)


#: subject pronouns: "l'" / "le" / "la" / "les" after them is an object pronoun, not an article
SUBJECT_PRONOUNS = frozenset({"il", "elle", "on", "ils", "elles", "nous", "vous", "je", "qui"})


def clitic(body: str, toks, i: int, lo: int, guards_in) -> bool:
    """The word before the verb trigger at ``i`` is an object pronoun, not an article: before an
    infinitive ("décidé de le placer en isolement"), or after a subject pronoun or a name
    ("il l'accuse", "Tsahal l'accuse d'avoir…")."""
    if not guards_in("definite", i - 1, i):
        return False
    if is_infinitive(toks[i]):
        return True
    if i - 2 < lo:
        return False
    before = toks[i - 2]
    if before.low in ("ne", "n'", "n’"):
        return guards_in("negation", i + 1, i + 3)  # "nous ne l'acceptons pas"
    return before.low in SUBJECT_PRONOUNS or (body[before.start].isupper() and i - 2 > lo
                                                and before.low not in GENITIVE)


def genitive(toks, i: int) -> bool:
    """Token ``i`` follows "du", "des", "de", "d'" or "de la" / "de l'"."""
    prev = toks[i - 1].low
    if prev in GENITIVE:
        return True
    return i > 1 and prev in ("la", "l'", "l’") and toks[i - 2].low == "de"


def first_word(toks, lo: int, hi: int) -> int:
    """Index of the sentence's first word token (after list marks and dashes)."""
    k = lo
    while k < hi and not any(ch.isalpha() for ch in toks[k].low):
        k += 1
    return k
