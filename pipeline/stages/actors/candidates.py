"""What every candidate finder of the actors stage shares: the candidate record and small tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.stages.actors.rules import ActorRules
from pipeline.text import lemmas
from pipeline.text.fold import fold_same_length


@dataclass
class Cand:
    """An actor span before overlaps are resolved and names joined (see :mod:`.resolve`)."""

    start: int
    end: int
    name: str
    type: str
    rule: str
    priority: int
    country: str | None = None
    canonical: str | None = None
    role: str | None = None
    fixed: bool = False  # type and canonical come from the gazetteer or a GOV pattern


#: Leading articles of a name ("la Banque mondiale", "l'ONU", "The World Bank").
ARTICLE = re.compile(r"^(?:(?:l['’]|le |la |les |du |des |de la |de l['’]|d['’]|au |aux "
                     r"|the |The |Le |La |Les |L['’]))+")
#: The text before a word opens a clause: the word may be a subject.
CLAUSE_START = re.compile(r"(?:^|[.!?:;,–—\-(«»\n\]]|\bet|\bque|\bqu['’]|\bou|\bmais)\s*$")


def desc_alt(descriptors) -> str:
    return "|".join(re.escape(x) for x in descriptors)


def heads_alt(heads) -> str:
    return "|".join(sorted((re.escape(h) for h in heads), key=len, reverse=True))


def verb_after(body: str, pos: int, R: ActorRules) -> bool:
    """Whether the word after ``pos`` is a verb.

    A form of ``verbs.tsv``, a clitic, or an inflected form of an -er/-ir/-re/-oir lemma.
    """
    m = re.match(r"\s+([\w'’-]+)", body[pos:pos + 40])
    if not m:
        return False
    w = m.group(1)
    f = fold_same_length(w)
    if f in R.verbs or f.split("'")[0] + "'" in R.verbs:
        return True
    if f in ("ne", "n", "se", "s", "y") or f.startswith(("n'", "s'")):
        return True
    if not w[:1].islower():
        return False
    lemma = lemmas.lemma(w.lower())
    lemma = fold_same_length(lemma) if lemma else None
    if lemma and lemma != f and lemma.endswith(("er", "ir", "re", "oir")) \
            and (not f.endswith("s") or f.endswith(("ons", "ez"))):
        return True
    return False
