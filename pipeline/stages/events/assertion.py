"""Polarity and modality of a trigger from the cue words around it (``guards.tsv``).

See :func:`assertion`; ``frnews eval`` counts only the affirmed events that are asserted or
reported (:data:`pipeline.stages.events.COUNTED`).
"""

from __future__ import annotations

from pipeline.stages.events.grammar import first_word, is_future, is_infinitive

#: Roots promoted to AGREE when their verb trigger is in the future tense.
FUTURE_TO_AGREE = frozenset({"COOPERATE", "AID", "SUPPORT"})
_IMPERATIVE = ("ons", "ez")
_REFLEXIVE = frozenset({"se", "s'", "s’"})

_CONDITIONAL = ("rait", "raient")


def assertion(toks, cand, row, c_lo: int, c_hi: int, t_lo: int, t_hi: int, guards_in,
               settings) -> tuple[str, str]:
    """(polarity, modality) of one trigger from the cue words around it (``guards.tsv``).

    - negated: a ``negation`` word within ``negation_before`` tokens before / ``negation_after`` after;
    - possible: a ``hedge`` in the clause, or the trigger verb in the conditional ("signerait"), but a
      conditional after "que" is the future in the past of reported speech: reported;
    - requested: an infinitive trigger after a ``request`` verb in its clause ("appelle à suspendre"),
      unless the trigger is itself a speech act;
    - planned: a ``planned`` cue before an infinitive trigger in its clause ("prévoit de signer",
      "va signer"), or a verb trigger in the simple future (except the future commitments typed AGREE);
    - reported: an ``attribution`` cue in the sentence ("selon", "d'après", "aurait");
    - else asserted.
    """
    i = cand.i
    head = toks[i]
    if head.low in _REFLEXIVE and cand.j > i + 1:
        head = toks[i + 1]  # the verb of a reflexive trigger: "se tiendra", "s'engagera"
    negated = guards_in("negation", max(t_lo, i - settings.negation_before), min(t_hi, cand.j + settings.negation_after))
    polarity = "negated" if negated else "affirmed"
    verb = row.kind == "verb"
    conditional = verb and head.low != head.lemma and head.low.endswith(_CONDITIONAL) \
        and head.lemma.endswith(("er", "ir", "re", "oir"))
    if conditional and any(toks[k].low in ("que", "qu'") for k in range(t_lo, i)):
        return polarity, "reported"  # future in the past: "a annoncé qu'il mettrait à disposition"
    if guards_in("hedge", c_lo, c_hi) or conditional:
        return polarity, "possible"
    infinitive = verb and is_infinitive(head)
    if infinitive and not row.speech and guards_in("request", c_lo, i):
        return polarity, "requested"
    if verb and i == first_word(toks, t_lo, t_hi) and head.low != head.lemma and head.low.endswith(_IMPERATIVE):
        return polarity, "requested"  # an imperative opening the sentence: "Soutenons le chœur"
    if (infinitive and guards_in("planned", c_lo, i)) or (verb and is_future(head)
                                                         and row.plover not in FUTURE_TO_AGREE):
        return polarity, "planned"
    if guards_in("attribution", t_lo, t_hi):
        return polarity, "reported"
    return polarity, "asserted"
