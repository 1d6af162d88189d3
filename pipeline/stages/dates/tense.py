"""The tense of a date's clause: which way a date without a year (a bare weekday, a month, a
holiday) points from its anchor.  "weak" cues ("dès", "à partir de") decide only when the
sentence has no other.

The cues are data (``pipeline/rules/dates/tense.tsv``): words ("sera", "prévu", "avait"),
verb endings ("-eront", "-aient") and auxiliaries followed by a past participle ("a signé",
"sont arrivés").  The cue nearest to the date within its sentence decides; a sentence
without one gives ``None`` (the caller then takes the nearest occurrence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.stages.dates.rows import TenseRow, surface_key

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")  # "s'était" is two words, "rendez-vous" one
#: a past participle (regular endings and the common irregular ones)
_PARTICIPLE = re.compile(r"[^\W\d_]+(?:é|ée|és|ées|i|ie|is|ies|ise|ises|it|ite|its|ites|u|ue|us|ues|ert|erte|erts"
                         r"|ertes|ort|orte|orts|aint|ainte|eint|einte|uit|uite|ed)$")
#: words that may stand between an auxiliary and its participle ("a déjà signé", "n'a pas été")
_BETWEEN = frozenset({"pas", "deja", "bien", "encore", "jamais", "aussi", "ete", "notamment", "toujours",
                      "plus", "ensuite", "finalement", "enfin", "alors", "egalement", "donc", "meme"})
_STOP = ".!?;\n"
_REFLEXIVE = frozenset({"s", "se", "me", "m", "te", "t", "nous", "vous"})


_key = lru_cache(maxsize=8192)(surface_key)  # the same words recur in every sentence


@dataclass(frozen=True, slots=True)
class Tense:
    direction: str  # "past" | "future"
    cue: str  # the word that decided
    weak: bool = False  # a weak cue ("dès"): the sentence had no other


class TenseCues:
    """The compiled rows of ``tense.tsv``."""

    def __init__(self, rows: list[TenseRow]):
        self.words = {surface_key(r.surface): r.direction for r in rows if r.kind == "word"}
        self.suffixes = sorted(((surface_key(r.surface), r.direction) for r in rows if r.kind == "suffix"),
                               key=lambda x: -len(x[0]))
        #: auxiliaries as written in lower case ("a", never the preposition "à")
        self.aux = {r.surface.lower(): r.direction for r in rows if r.kind == "aux"}
        #: "est" / "sont": past only in a reflexive or with a verb conjugated with être
        self.aux_etre = {r.surface.lower(): r.direction for r in rows if r.kind == "aux_etre"}
        self.etre_verbs = tuple(r.surface.lower() for r in rows if r.kind == "etre_verb")
        #: as written in lower case ("dès", never the article "des")
        self.weak = {r.surface.lower(): r.direction for r in rows if r.kind == "weak"}
        #: nouns shaped like a participle ("a lieu" is present)
        self.nonverbs = frozenset(r.surface.lower() for r in rows if r.kind == "nonverb")

    def classify(self, words: list[str], raw: list[str], i: int) -> str | None:
        """The direction word ``i`` gives, if any (``words`` folded, ``raw`` lower-cased)."""
        w = words[i]
        if w in self.words:
            return self.words[w]
        if raw[i] in self.aux_etre:
            reflexive = i > 0 and raw[i - 1] in _REFLEXIVE
            for nxt, nxt_raw in zip(words[i + 1:i + 4], raw[i + 1:i + 4], strict=True):
                if nxt in self.words:
                    return self.words[nxt]
                if len(nxt) >= 3 and nxt_raw not in self.nonverbs and _PARTICIPLE.match(nxt_raw):
                    if reflexive or nxt_raw.startswith(self.etre_verbs):
                        return self.aux_etre[raw[i]]
                    return None
                if nxt not in _BETWEEN:
                    break
            return None
        if raw[i] in self.aux:
            for nxt, nxt_raw in zip(words[i + 1:i + 4], raw[i + 1:i + 4], strict=True):
                if nxt in self.words:
                    return self.words[nxt]
                if len(nxt) >= 3 and nxt_raw not in self.nonverbs and _PARTICIPLE.match(nxt_raw):
                    return self.aux[raw[i]]
                if nxt not in _BETWEEN:
                    break
            return None
        if len(w) >= 5:
            for suf, direction in self.suffixes:
                if w.endswith(suf) and len(w) - len(suf) >= 2:
                    return direction
        return None


def clause_tense(text: str, start: int, end: int, cues: TenseCues, before: int, after: int) -> Tense | None:
    """The tense cue nearest to ``text[start:end]`` in its sentence (at most ``before`` /
    ``after`` characters away), or ``None``."""
    lo = max(max(text.rfind(c, 0, start) for c in _STOP) + 1, start - before, 0)
    hi_stops = [i for i in (text.find(c, end) for c in _STOP) if i != -1]
    hi = min([end + after, len(text), *hi_stops])
    best: tuple[int, Tense] | None = None
    weak: tuple[int, Tense] | None = None
    for seg_lo, seg_hi, left in ((lo, start, True), (end, hi, False)):
        toks = [(m.start(), m.group()) for m in _WORD.finditer(text, seg_lo, seg_hi)]
        # the words after the segment let an auxiliary see its participle across the date
        tail = [m.group() for m in _WORD.finditer(text, seg_hi, min(len(text), seg_hi + 40))][:3]
        raw = [w.lower() for _, w in toks] + [w.lower() for w in tail]
        words = [_key(w) for w in raw]
        for i, (pos, w) in enumerate(toks):
            dist = start - pos if left else pos - end
            d = cues.classify(words, raw, i)
            if d is None:
                if raw[i] in cues.weak and (weak is None or dist < weak[0]):
                    weak = (dist, Tense(cues.weak[raw[i]], w, weak=True))
                continue
            if best is None or dist < best[0]:
                best = (dist, Tense(d, w))
    if best:
        return best[1]
    return weak[1] if weak else None
