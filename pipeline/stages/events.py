"""Events stage: sentences that report an action, typed with a PLOVER root.

A sentence reports an event when it holds a *trigger* from
``rules/events/triggers.jsonl`` that survives the guards of
``rules/events/guards.tsv``.  At most one event per sentence: the surviving
trigger with the highest ``weight`` wins, ties going to the earliest one.

Sentences come from a rule splitter: a cut after . ! ? … unless the word
before is an abbreviation (M., Dr., J.-C., initials), and at every line break
(a headline or a bullet is its own sentence).  It costs a fraction of the
model's ``senter`` and measured the same on the seeds and fixtures.

Trigger-level guards (a trigger is dropped when):

- it lies inside quotation marks (« », “ ”, " ");
- a *hedge* (pourrait, envisagé, potentiellement...) is in the same clause
  (clauses are cut at , ; : ( ) —): hypothetical actions are not events;
- a *negation* (pas, jamais, aucun...) is within 3 tokens before or 2 after;
- it is a verb preceded by a *determiner* ("des demandes", "un signe": the
  noun homograph of the verb), or a weak verb's participle right after
  "determiner + noun" ("la société soutenue par Amazon": an adjective);
- it is an infinitive verb with a *purpose* word (pour, afin de, visant à...)
  earlier in its clause ("pour soutenir l'innovation": an aim, not an act);
- it is a noun preceded (within 2 tokens) by a *demonstrative* ("ce
  partenariat" refers back to an event already reported), or a plural noun
  (generic use: "les partenariats") unless the rule allows plurals;
- it is a ``speech`` trigger (appeler à, exhorter...) in a sentence that also
  holds a *reporting* verb (a souligné, a insisté...): a call made within a
  speaker's remarks is an opinion;
- its ``context`` requirement fails: by default nouns need an actor, country,
  date or money mention elsewhere in the sentence, verbs need nothing;
- its ``near`` words are not within ``window`` tokens, or a ``veto_before`` /
  ``veto_after`` word is within ``veto_window`` tokens.

Sentence-level guards: a sentence that starts with a quotation mark, is mostly
(≥ 50 %) quoted, or ends with "?" reports no event.

Future promotion: a verb trigger of COOPERATE, AID or SUPPORT in the future
tense ("accompagnera", "travailleront") is typed AGREE (PLOVER: a commitment
to future cooperation is an agreement).

The event's actors, countries, sectors and money are the values of the
mentions inside the sentence (first-appearance order, no repeats); its date is
the first date mention in the sentence (``date_source="text"``), else the
publication date (``"published"``), else None.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.records import Event, Mention
from pipeline.rulebook import RULES_DIR, RuleFileError, RuleModel, check_unique, load_jsonl, load_tsv
from pipeline.stages.sectors import (
    PhraseIndex,
    Tok,
    compile_phrase,
    rule_words,
    tokens_for,
)

PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
Plover = Literal["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                 "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
ContextKind = Literal["actor", "country", "date", "money"]
#: Context kinds a noun trigger accepts by default.
ANY_CONTEXT = ("actor", "country", "date", "money")
#: Roots promoted to AGREE when their verb trigger is in the future tense.
FUTURE_TO_AGREE = frozenset({"COOPERATE", "AID", "SUPPORT"})
_FUTURE_ENDINGS = ("rai", "ras", "ra", "rons", "rez", "ront")

_ID_RE = re.compile(r"^events\.([a-z]+)\.[a-z0-9_]+$")
_GUARD_ID_RE = re.compile(r"^events\.guard\.[a-z_]+\.[a-z0-9_]+$")
CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "—", "[", "]"})


class TriggerRow(RuleModel):
    """One line of ``triggers.jsonl``."""

    id: str
    plover: Plover
    lang: Literal["fr", "en"] = "fr"
    lemmas: list[str] | None = None
    pattern: str | None = None
    hint: list[str] | None = None
    kind: Literal["verb", "noun"] = "verb"
    weight: int = Field(default=3, ge=1, le=9)
    context: list[ContextKind] | Literal["none", "any"] | None = None
    plural: bool = False
    speech: bool = False
    near: list[str] | None = None
    window: int = Field(default=4, ge=1, le=20)
    veto_before: list[str] | None = None
    veto_after: list[str] | None = None
    veto_window: int = Field(default=2, ge=1, le=10)
    example: str

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise ValueError("id must look like events.<root>.<name> (lowercase, digits, _)")
        return v

    @field_validator("pattern")
    @classmethod
    def _regex_compiles(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as err:
                raise ValueError(f"invalid regex: {err}") from None
        return v

    @field_validator("lemmas", "near", "veto_before", "veto_after")
    @classmethod
    def _words(cls, v: list[str] | None) -> list[str] | None:
        if v is not None:
            if not v:
                raise ValueError("empty list")
            for w in v:
                if not rule_words(w):
                    raise ValueError(f"{w!r} has no word")
        return v

    @model_validator(mode="after")
    def _consistent(self):
        m = _ID_RE.match(self.id)
        if m and m.group(1) != self.plover.lower():
            raise ValueError(f"id {self.id!r} does not name root {self.plover}")
        if (self.lemmas is None) == (self.pattern is None):
            raise ValueError("exactly one of lemmas / pattern is required")
        if self.hint is not None and self.pattern is None:
            raise ValueError("hint only applies to a pattern")
        if self.hint and not any(h in self.example.lower() for h in self.hint):
            raise ValueError(f"example contains none of the hints {self.hint}")
        if any(h != h.lower() or not h for h in self.hint or ()):
            raise ValueError("hints must be non-empty lowercase substrings")
        return self

    @property
    def context_kinds(self) -> tuple[str, ...]:
        if self.context == "none":
            return ()
        if self.context == "any":
            return ANY_CONTEXT
        if self.context is None:
            return ANY_CONTEXT if self.kind == "noun" else ()
        return tuple(self.context)


GuardKind = Literal["hedge", "negation", "determiner", "demonstrative", "purpose", "reporting"]


class GuardRow(RuleModel):
    """One line of ``guards.tsv``."""

    id: str
    kind: GuardKind
    word: str
    lang: Literal["fr", "en"]
    example: str | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _GUARD_ID_RE.match(v):
            raise ValueError("id must look like events.guard.<kind>.<name>")
        return v

    @field_validator("word")
    @classmethod
    def _has_word(cls, v: str) -> str:
        if not rule_words(v):
            raise ValueError("word has no token")
        return v

    @model_validator(mode="after")
    def _kind_in_id(self):
        if self.id.split(".")[2] != self.kind:
            raise ValueError(f"id {self.id!r} does not name kind {self.kind}")
        return self


@dataclass(frozen=True)
class _Compiled:
    row: TriggerRow
    regex: re.Pattern | None
    near: tuple[tuple[frozenset[str], ...], ...]
    veto_before: tuple[tuple[frozenset[str], ...], ...]
    veto_after: tuple[tuple[frozenset[str], ...], ...]


@dataclass(frozen=True)
class EventRules:
    triggers: tuple[_Compiled, ...]
    index: PhraseIndex
    regexes: tuple[_Compiled, ...]
    guards: PhraseIndex
    guard_rows: tuple[GuardRow, ...]


def load_rules(rules_dir: Path = RULES_DIR / "events") -> EventRules:
    """Load and validate ``triggers.jsonl`` and ``guards.tsv``; raises :class:`RuleFileError`."""
    rules_dir = Path(rules_dir)
    tpath, gpath = rules_dir / "triggers.jsonl", rules_dir / "guards.tsv"
    missing = [(str(p), 0, "", f"missing {p.name}") for p in (tpath, gpath) if not p.is_file()]
    if missing:
        raise RuleFileError(missing)
    trows = load_jsonl(tpath, TriggerRow)
    check_unique(tpath, trows)
    grows = load_tsv(gpath, GuardRow)
    check_unique(gpath, grows)
    compiled = []
    for _, r in trows:
        compiled.append(_Compiled(
            row=r,
            regex=re.compile(r.pattern, re.IGNORECASE) if r.pattern else None,
            near=tuple(compile_phrase(w) for w in r.near or ()),
            veto_before=tuple(compile_phrase(w) for w in r.veto_before or ()),
            veto_after=tuple(compile_phrase(w) for w in r.veto_after or ()),
        ))
    index = PhraseIndex([(compile_phrase(" ".join(c.row.lemmas)), c) for c in compiled if c.row.lemmas])
    guards = PhraseIndex([(compile_phrase(g.word), g) for _, g in grows])
    return EventRules(tuple(compiled), index, tuple(c for c in compiled if c.regex),
                      guards, tuple(g for _, g in grows))


@lru_cache(maxsize=1)
def _default_rules() -> EventRules:
    return load_rules()


# --------------------------------------------------------------------------------------------
# Sentences and quotes
# --------------------------------------------------------------------------------------------

_LINE_RE = re.compile(r"[^\n]+")
_SENT_END = re.compile(r"[.!?…]+(?:\s?[»”\"')\]])*\s+(?=(?:[«“\"'(\[]\s?)?[A-ZÀ-ÖØ-Þ0-9])")
_ABBREV = re.compile(r"(?:\b(?:M|Mme|Mmes|MM|Dr|Pr|Me|St|Ste|av|apr|J\.-C|etc|cf|p|art|n°|No|Mr|Mrs|Ms|Jr|Inc|Ltd|Co|vs)"
                     r"|\b[A-Z])\.$")
_QUOTE_RE = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"\n]*\"")
_QUOTE_OPEN = "«“\"„"


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(body: str) -> list[tuple[int, int]]:
    """Sentence spans of ``body``: cut after . ! ? … (not after an abbreviation) and at every line break."""
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(body):
        pos = line.start()
        for m in _SENT_END.finditer(line.group()):
            cut = line.start() + m.end()
            head = body[pos:line.start() + m.start() + 1].rstrip()
            if _ABBREV.search(head):
                continue
            s, e = _strip_span(body, pos, cut)
            if e > s:
                spans.append((s, e))
            pos = cut
        s, e = _strip_span(body, pos, line.end())
        if e > s:
            spans.append((s, e))
    return spans


def quote_spans(body: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTE_RE.finditer(body)]


def _quoted_share(start: int, end: int, quotes: Sequence[tuple[int, int]]) -> float:
    inside = sum(max(0, min(e, end) - max(s, start)) for s, e in quotes)
    return inside / max(1, end - start)


def _in_quotes(start: int, end: int, quotes: Sequence[tuple[int, int]]) -> bool:
    return any(s < start and end <= e for s, e in quotes)


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cand:
    i: int  # first token
    j: int  # end token (exclusive)
    start: int
    end: int
    rule: _Compiled


def stable_event_id(article_id: str, start: int, end: int, event_type: str) -> str:
    """The id of an event, the same in every run: a hash of its article, span in the body and type."""
    return hashlib.sha1(f"{article_id}|{start}|{end}|{event_type}".encode()).hexdigest()[:16]


def _seq_at(toks: Sequence[Tok], k: int, seq: tuple[frozenset[str], ...]) -> bool:
    if k < 0 or k + len(seq) > len(toks):
        return False
    return all(seq[x] & toks[k + x].keys for x in range(len(seq)))


def _any_seq(toks: Sequence[Tok], lo: int, hi: int, seqs) -> bool:
    for k in range(max(lo, 0), min(hi, len(toks))):
        for seq in seqs:
            if _seq_at(toks, k, seq):
                return True
    return False


_VERB_LEMMA_ENDINGS = ("er", "ir", "re", "oir")
#: Verb triggers up to this weight are "weak": dropped inside a gerund clause like nouns.
WEAK_WEIGHT = 4


def _is_future(tok: Tok) -> bool:
    """A French simple-future verb form ("accompagnera", "travailleront")."""
    return (tok.low != tok.lemma and tok.lemma.endswith(_VERB_LEMMA_ENDINGS)
            and tok.low.endswith(_FUTURE_ENDINGS))


def _is_infinitive(tok: Tok) -> bool:
    return tok.low == tok.lemma and tok.low.endswith(_VERB_LEMMA_ENDINGS)


def _indirect_speech(toks: Sequence[Tok], reporting: Sequence[int], lo: int, i: int) -> bool:
    """A reporting verb followed by "que" opens indirect speech before token ``i``."""
    k = bisect_left(reporting, lo)
    while k < len(reporting) and reporting[k] < i:
        if any(toks[x].low in ("que", "qu'") for x in range(reporting[k] + 1, i)):
            return True
        k += 1
    return False


def _in_gerund(toks: Sequence[Tok], lo: int, i: int) -> bool:
    """A gerund ("en formalisant", "tout en promouvant") opens the clause before token ``i``."""
    for k in range(lo, i - 1):
        if toks[k].low == "en":
            nxt = toks[k + 1]
            if nxt.low.endswith("ant") and len(nxt.low) > 4 and nxt.lemma.endswith(_VERB_LEMMA_ENDINGS):
                return True
    return False


_ER_PARTICIPLE = ("é", "ée", "és", "ées")
_OTHER_PARTICIPLE = ("i", "ie", "is", "ies", "u", "ue", "us", "ues")


def _is_participle(tok: Tok) -> bool:
    if tok.low == tok.lemma:
        return False
    if tok.lemma.endswith("er"):
        return tok.low.endswith(_ER_PARTICIPLE)
    return tok.lemma.endswith(("ir", "re", "oir")) and tok.low.endswith(_OTHER_PARTICIPLE)


def _is_plural(tok: Tok) -> bool:
    return tok.low.endswith(("s", "x")) and tok.low != tok.lemma and not tok.lemma.endswith(("s", "x"))


def find_events(article_id: str, body: str, doc, mentions: Sequence[Mention], *,
                published: datetime.date | None = None, rules: EventRules | None = None) -> list[Event]:
    """Events of one article (at most one per sentence, in text order)."""
    rules = rules or _default_rules()
    if not body:
        return []
    toks = tokens_for(body, doc)
    if not toks:
        return []
    starts = [t.start for t in toks]
    sentences = split_sentences(body)
    quotes = quote_spans(body)

    # Trigger candidates over the whole body (token sequences, then regexes).
    cands: list[_Cand] = [_Cand(i, j, toks[i].start, toks[j - 1].end, c)
                          for i, j, c in rules.index.find(toks)]
    low_body = body.lower()
    for c in rules.regexes:
        if c.row.hint and not any(h in low_body for h in c.row.hint):
            continue
        for m in c.regex.finditer(body):
            if m.end() <= m.start():
                continue
            i = bisect_left(starts, m.start())
            j = max(i + 1, bisect_left(starts, m.end()))
            if i < len(toks):
                cands.append(_Cand(i, min(j, len(toks)), m.start(), m.end(), c))
    # A trigger word inside a name is not an action: "ministère de la Coopération",
    # "Forces de soutien rapide" (multi-word actor mentions; the model's raw entities
    # are not used: on English passages it tags whole clauses).  A trigger heading
    # the name stays: "Sommet de l'Union africaine" is an event.
    names = [(m.start, m.end) for m in mentions if m.kind == "actor" and " " in m.text]
    if names:
        cands = [c for c in cands if not any(s < c.start and c.end <= e for s, e in names)]
    cands.sort(key=lambda c: c.start)
    cand_starts = [c.start for c in cands]

    # Guard words by token position.
    guard_at: dict[str, list[int]] = {}
    for i, _j, g in rules.guards.find(toks):
        guard_at.setdefault(g.kind, []).append(i)
    for v in guard_at.values():
        v.sort()

    def guards_in(kind: str, lo: int, hi: int) -> bool:
        pos = guard_at.get(kind)
        if not pos:
            return False
        k = bisect_left(pos, lo)
        return k < len(pos) and pos[k] < hi

    ms = sorted(mentions, key=lambda m: m.start)
    m_starts = [m.start for m in ms]
    pub_iso = published.isoformat() if isinstance(published, datetime.date) else None

    events: list[Event] = []
    for s_start, s_end in sentences:
        lo = bisect_left(cand_starts, s_start)
        hi = bisect_left(cand_starts, s_end)
        if lo == hi:
            continue
        text = body[s_start:s_end]
        lead = text.lstrip("—–-•*· \t")
        if lead[:1] in _QUOTE_OPEN or text.rstrip("»”\" ").endswith("?"):
            continue
        if quotes and _quoted_share(s_start, s_end, quotes) >= 0.5:
            continue
        t_lo = bisect_left(starts, s_start)
        t_hi = bisect_left(starts, s_end)
        s_mentions = ms[bisect_left(m_starts, s_start):bisect_right(m_starts, s_end)]
        s_mentions = [m for m in s_mentions if m.end <= s_end]
        clause_cuts = [k for k in range(t_lo, t_hi) if toks[k].low in CLAUSE_BREAKS]
        reporting = guards_in("reporting", t_lo, t_hi)

        def clause_of(i: int) -> tuple[int, int]:
            k = bisect_left(clause_cuts, i)
            c_lo = clause_cuts[k - 1] + 1 if k > 0 else t_lo
            c_hi = clause_cuts[k] if k < len(clause_cuts) else t_hi
            return c_lo, c_hi

        best: _Cand | None = None
        for cand in cands[lo:hi]:
            if cand.end > s_end or cand.i < t_lo:
                continue
            row = cand.rule.row
            if quotes and _in_quotes(cand.start, cand.end, quotes):
                continue
            c_lo, c_hi = clause_of(cand.i)
            if guards_in("hedge", c_lo, c_hi):
                continue
            if guards_in("negation", max(t_lo, cand.i - 3), min(t_hi, cand.j + 2)):
                continue
            if row.speech and reporting:
                continue
            head = toks[cand.i]
            if row.kind == "verb":
                if cand.i > t_lo and guards_in("determiner", cand.i - 1, cand.i):
                    continue
                if _is_infinitive(head) and guards_in("purpose", c_lo, cand.i):
                    continue
                if row.weight <= WEAK_WEIGHT and cand.i - 2 >= t_lo and _is_participle(head) \
                        and guards_in("determiner", cand.i - 2, cand.i - 1):
                    continue  # adjectival participle: "la société soutenue par Amazon"
            else:
                if guards_in("demonstrative", max(t_lo, cand.i - 2), cand.i):
                    continue
                if _indirect_speech(toks, guard_at.get("reporting", ()), t_lo, cand.i):
                    continue  # "il a rappelé que la coopération ... est une piste"
                if not row.plural and _is_plural(head):
                    continue  # generic use: "les partenariats"
            if (row.kind == "noun" or row.weight <= WEAK_WEIGHT) and _in_gerund(toks, c_lo, cand.i):
                continue  # backgrounded: "en posant les bases d'une coopération renforcée"
            if cand.rule.near and not _any_seq(toks, max(t_lo, cand.i - row.window), min(t_hi, cand.j + row.window),
                                               cand.rule.near):
                continue
            if cand.rule.veto_before and _any_seq(toks, max(t_lo, cand.i - row.veto_window), cand.i,
                                                  cand.rule.veto_before):
                continue
            if cand.rule.veto_after and _any_seq(toks, cand.j, min(t_hi, cand.j + row.veto_window),
                                                 cand.rule.veto_after):
                continue
            need = row.context_kinds
            if need and not any(m.kind in need and (m.end <= cand.start or m.start >= cand.end)
                                for m in s_mentions):
                continue
            if best is None or row.weight > best.rule.row.weight:
                best = cand
        if best is None:
            continue
        row = best.rule.row
        etype = row.plover
        if etype in FUTURE_TO_AGREE and row.kind == "verb" and _is_future(toks[best.i]):
            etype = "AGREE"
        events.append(_make_event(article_id, body, s_start, s_end, best, etype, s_mentions, pub_iso))
    return events


def _values(mentions: Sequence[Mention], kind: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for m in mentions:
        if m.kind == kind and m.value:
            seen.setdefault(m.value, None)
    return tuple(seen)


def _make_event(article_id, body, start, end, cand: _Cand, etype, mentions, pub_iso) -> Event:
    dates = [m for m in mentions if m.kind == "date" and m.value]
    if dates:
        date, source = dates[0].value, "text"
    elif pub_iso:
        date, source = pub_iso, "published"
    else:
        date, source = None, None
    return Event(
        event_id=stable_event_id(article_id, start, end, etype),
        article_id=article_id,
        event_type=etype,
        sentence=body[start:end],
        start=start,
        end=end,
        trigger=body[cand.start:cand.end],
        rule=cand.rule.row.id,
        date=date,
        date_source=source,
        actors=_values(mentions, "actor"),
        countries=_values(mentions, "country"),
        sectors=_values(mentions, "sector"),
        money=_values(mentions, "money"),
    )
