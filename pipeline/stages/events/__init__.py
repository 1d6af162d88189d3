"""Events stage: sentences that report an action, typed with a PLOVER root.

A sentence reports an event when it holds a *trigger* from
``rules/events/triggers.jsonl`` that survives the guards of
``rules/events/guards.tsv``.  One event per sentence: among the surviving
triggers, counted ones (affirmed, asserted or reported) first, then those not
in the *frame* of another act ("lors de la manifestation"), then those not
after a verb trigger of their clause ("a condamné l'attaque": the verb is the
act), then the highest ``weight``, ties going to the earliest one.  A second
event comes from a counted verb trigger of another type in another clause
(weight ≥ ``second_weight``).

Each event is marked (see :func:`.assertion.assertion`): ``polarity`` negated when a
*negation* (pas, jamais, aucun...) is within 3 tokens before or 2 after
(``negation_before``, ``negation_after``); ``modality`` possible (a *hedge*
such as pourrait, envisagé, si in the clause, or a conditional verb),
requested, planned, reported or asserted.  Marked events stay in the table;
``frnews eval`` scores only the counted ones.  The source and target actors
come from the parse of the event sentences that hold an actor (:mod:`.roles`).

Sentences come from the rule splitter of :mod:`pipeline.text.sentences` (a cut
after . ! ? … unless the word before is an abbreviation, and at every line
break); tokens from :mod:`pipeline.text.tokens` (the registry's ``tokens`` step).
The numbers below are the defaults of the ``[events]`` settings table.

Trigger-level guards (a trigger is dropped when):

- a *description* cue opens its clause before it ("il s'agit du premier
  partenariat signé…"), or it is a noun complementing a noun after a
  demonstrative ("cet accord de collaboration");
- it is a verb followed by an incise pronoun ("concède-t-elle": reported speech);
- it is a noun heading a multi-word actor name after "du / de la / des" ("le
  rapport du Forum économique mondial": an organisation);
- it lies inside quotation marks (« », “ ”, " ");
- it is a verb preceded by a *determiner* ("des demandes", "un signe": the
  noun homograph of the verb), or a weak verb's (weight ≤ ``weak_weight``)
  participle right after "determiner + noun" ("la société soutenue par
  Amazon": an adjective);
- it is an infinitive verb with a *purpose* word (pour, afin de, visant à...)
  earlier in its clause ("pour soutenir l'innovation": an aim, not an act);
- it is a noun preceded (within 2 tokens, ``demonstrative_before``) by a
  *demonstrative* ("ce partenariat" refers back to an event already
  reported), or a plural noun (generic use: "les partenariats") unless the
  rule allows plurals, or a noun after indirect speech ("a rappelé que");
- it is a noun, or a weak verb, inside a gerund clause ("en posant les bases
  d'une coopération renforcée": backgrounded);
- it is a ``speech`` trigger (appeler à, exhorter...) in a sentence that also
  holds a *reporting* verb (a souligné, a insisté...): a call made within a
  speaker's remarks is an opinion;
- its ``context`` requirement fails: by default nouns need an actor, country,
  date or money mention elsewhere in the sentence, verbs need nothing;
- its ``near`` words are not within ``window`` tokens, or a ``veto_before`` /
  ``veto_after`` word is within ``veto_window`` tokens.

A verb trigger after a *degree* adverb is an adjective ("assez critique"); a noun trigger
written with a capital inside the sentence, without an article, is a name ("de Libération").
Rows of ``lang`` en do not fire on a French article (``language``). A heading (no final
punctuation, no list mark) whose best trigger is a noun reports no event: it names a topic
("Grève reconductible à partir du 5 mars").

Sentence-level guards: a sentence that starts with a quotation (not a quoted name that
closes early: "« Les Amis du Sahel » appelle …"), is mostly
(≥ 50 %, ``quoted_share``) quoted, or ends with "?" reports no event; in a mostly quoted
sentence, a verb trigger outside the quotes that a quotation follows within six words
still counts ("l'Arabie saoudite condamnant « … »": the condemnation is the act).

Grammar cues on the words before a trigger: a verb trigger after a number or a
*quantity* noun + "de" is a counted noun ("1 407 blessés", "le nombre de blessés"); an
article (*definite* guard) before a verb trigger is an object pronoun when the verb is an
infinitive ("décidé de le placer") or follows a subject pronoun or a name ("Tsahal
l'accuse"); a generic noun trigger (weight ≤ ``anaphora_weight``) after a definite article,
whose rule already fired in an earlier full sentence, is that event again ("a signé un
accord … L'accord couvre …"). A trigger row with ``negated`` turns its negated form into an
affirmed event of that root ("n'acceptent pas": REJECT).

Call to protest: a ``speech`` REQUEST trigger ("appelle à") followed in its clause by a
PROTEST trigger ("la grève", "la manifestation") is typed PROTEST: the call mobilises it.

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

from pipeline.records import Event, Mention
from pipeline.settings import StageSettings, or_defaults
from pipeline.stages.events.assertion import FUTURE_TO_AGREE, assertion
from pipeline.stages.events.grammar import (
    GENITIVE,
    any_seq,
    clitic,
    counted_noun,
    first_word,
    genitive,
    in_gerund,
    indirect_speech,
    is_future,
    is_infinitive,
    is_participle,
    is_plural,
    quote_follows,
)
from pipeline.stages.events.roles import with_roles
from pipeline.stages.events.rules import (
    ANY_CONTEXT,
    PLOVER,
    CompiledTrigger,
    EventRules,
    GuardRow,
    TriggerRow,
    default_rules,
    load_rules,
)
from pipeline.text.sentences import QUOTE_OPEN, in_quotes, quote_spans, quoted_share, split_sentences
from pipeline.text.tokens import Tok, tokens_for

__all__ = ["ANY_CONTEXT", "COUNTED", "PLOVER", "counted", "EventRules", "GuardRow", "Settings", "TriggerRow", "find_events",
           "load_rules", "run", "stable_event_id"]

CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "—", "[", "]"})


class Settings(StageSettings):
    """``[events]``: the token windows and thresholds of the guards."""

    #: verb triggers up to this weight are "weak": dropped inside a gerund clause (like nouns)
    #: and as a participle right after "determiner + noun"
    weak_weight: int
    #: a negation this many tokens before a trigger drops it
    negation_before: int
    #: a negation this many tokens after a trigger's end drops it
    negation_after: int
    #: a demonstrative this many tokens before a noun trigger drops it ("ce partenariat")
    demonstrative_before: int
    #: a generic noun trigger up to this weight ("accord", "partenariat") after a definite article, whose rule
    #: already fired in an earlier full sentence that reported an event, refers back to it ("l'accord"): dropped
    anaphora_weight: int
    #: a sentence at least this share of which is inside quotation marks reports no event, unless a verb
    #: trigger outside the quotes introduces them ("a condamné « une attaque odieuse »")
    quoted_share: float
    #: a counted verb trigger at least this strong, in another clause and of another type than the
    #: sentence's first event, is a second event of the sentence
    second_weight: int
    #: find each event's source and target actors with the dependency parser (event sentences with an actor only)
    roles: bool
    #: the spaCy package whose tok2vec + parser reads those sentences
    parser_model: str
    #: clusters post-pass: events at most this many days apart can report the same event
    cluster_window_days: int
    #: clusters post-pass: least Jaccard index of two events' sentence content words to link them
    cluster_min_similarity: float
    #: clusters post-pass: a block (type, participant, date bucket) larger than this links nothing
    cluster_max_block: int


@dataclass(slots=True)
class _Cand:
    i: int  # first token
    j: int  # end token (exclusive)
    start: int
    end: int
    rule: CompiledTrigger


def stable_event_id(article_id: str, start: int, end: int, event_type: str) -> str:
    """The id of an event, the same in every run: a hash of its article, span in the body and type."""
    return hashlib.sha1(f"{article_id}|{start}|{end}|{event_type}".encode()).hexdigest()[:16]


def find_events(article_id: str, body: str, doc, mentions: Sequence[Mention], *,
                published: datetime.date | None = None, rules: EventRules | None = None,
                tokens: Sequence[Tok] | None = None, settings: Settings | None = None,
                language: str | None = None) -> list[Event]:
    """Events of one article (at most one per sentence, in text order).

    ``mentions`` are the article's countries, actors, dates, money and sectors; ``tokens``
    the body's tokens (:func:`pipeline.text.tokens.tokens_for`), computed from ``doc`` when
    not given; ``language`` the article's (ISO 639-1): the English rows do not fire on a
    French article ("supports", "grants" are French words too).
    """
    rules = rules or default_rules()
    settings = or_defaults("events", settings)
    if not body:
        return []
    toks = tokens_for(body, doc) if tokens is None else tokens
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
        # ... and a name heading a genitive is an organisation, not a meeting: "le rapport du Forum
        # économique mondial", "un membre de la Conférence épiscopale"
        cands = [c for c in cands if not (c.rule.row.kind == "noun" and c.i > 0 and genitive(toks, c.i)
                                          and any(s == c.start and c.end < e for s, e in names))]
    if language == "fr":
        cands = [c for c in cands if c.rule.row.lang != "en"]
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
    reported: set[str] = set()  # rule ids of the triggers of the earlier event sentences
    for s_start, s_end in sentences:
        lo = bisect_left(cand_starts, s_start)
        hi = bisect_left(cand_starts, s_end)
        if lo == hi:
            continue
        text = body[s_start:s_end]
        lead = text.lstrip("—–-•*· \t")
        if text.rstrip("»”\" ").endswith("?"):
            continue
        mostly_quoted = bool(quotes) and quoted_share(s_start, s_end, quotes) >= settings.quoted_share
        if lead[:1] in QUOTE_OPEN:
            q = s_end - len(lead)  # the opening mark
            if mostly_quoted or not any(a == q for a, _ in quotes):
                continue  # a quotation ("« Nous avons signé… »"), not a quoted name opening the sentence
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
        negated_type: dict[int, str] = {}  # trigger start -> root of a negated trigger that rejects
        survivors: list[str] = []  # rule ids of the triggers that passed the guards
        protests: list[tuple[int, tuple[int, int]]] = []  # PROTEST triggers that passed: (token, clause)
        best_rank: tuple = ()
        best_mark = ("affirmed", "asserted")
        clause_marks: list[tuple[int, tuple[str, str]]] = []  # verb triggers' marks, by token
        verbs: list = []  # counted verb triggers strong enough to be a second event of the sentence
        for cand in cands[lo:hi]:
            if cand.end > s_end or cand.i < t_lo:
                continue
            row = cand.rule.row
            if quotes and in_quotes(cand.start, cand.end, quotes):
                continue
            if mostly_quoted and (row.kind != "verb" or row.speech or not quote_follows(body, cand.end, s_end)):
                continue  # a quoted sentence reports no event, unless a verb outside the quotes introduces it
            c_lo, c_hi = clause_of(cand.i)
            if guards_in("description", c_lo, cand.i):
                continue  # "il s'agit du premier partenariat signé…": describes, does not report
            if row.speech and reporting:
                continue
            head = toks[cand.i]
            if row.kind == "verb":
                if cand.i > t_lo and guards_in("determiner", cand.i - 1, cand.i) \
                        and not clitic(body, toks, cand.i, t_lo, guards_in):
                    continue
                if cand.i > t_lo and counted_noun(toks, cand.i, t_lo, guards_in):
                    continue  # a count of people, not an act: "1 407 blessés", "le nombre de blessés"
                if cand.i > t_lo and guards_in("degree", cand.i - 1, cand.i):
                    continue  # an adjective: "assez critique", "très soutenu"
                if is_infinitive(head) and guards_in("purpose", c_lo, cand.i):
                    continue
                if row.weight <= settings.weak_weight and cand.i - 2 >= t_lo and is_participle(head) \
                        and guards_in("determiner", cand.i - 2, cand.i - 1):
                    continue  # adjectival participle: "la société soutenue par Amazon"
            else:
                if body[cand.start].isupper() and cand.i > first_word(toks, t_lo, t_hi) \
                        and not guards_in("determiner", cand.i - 1, cand.i):
                    continue  # a name or a title, not an act: "collaborateurs de Libération", "des 12e Assises"
                if guards_in("demonstrative", max(t_lo, cand.i - settings.demonstrative_before), cand.i):
                    continue
                if row.weight <= settings.anaphora_weight and row.id in reported and cand.i > t_lo \
                        and guards_in("definite", cand.i - 1, cand.i):
                    continue  # "l'accord" after an accord already reported: the same event again
                if cand.i - 3 >= t_lo and toks[cand.i - 1].low in GENITIVE \
                        and guards_in("demonstrative", cand.i - 3, cand.i - 2):
                    continue  # the complement of an anaphoric noun: "cet accord de collaboration"

                if indirect_speech(toks, guard_at.get("reporting", ()), t_lo, cand.i):
                    continue  # "il a rappelé que la coopération ... est une piste"
                if not row.plural and is_plural(head):
                    continue  # generic use: "les partenariats"
            if (row.kind == "noun" or row.weight <= settings.weak_weight) and in_gerund(toks, c_lo, cand.i):
                continue  # backgrounded: "en posant les bases d'une coopération renforcée"
            if cand.rule.near and not any_seq(toks, max(t_lo, cand.i - row.window),
                                              min(t_hi, cand.j + row.window), cand.rule.near):
                continue
            if cand.rule.veto_before and any_seq(toks, max(t_lo, cand.i - row.veto_window), cand.i,
                                                 cand.rule.veto_before):
                continue
            if cand.rule.veto_after and any_seq(toks, cand.j, min(t_hi, cand.j + row.veto_window),
                                                cand.rule.veto_after):
                continue
            need = row.context_kinds
            if need and not any(m.kind in need and (m.end <= cand.start or m.start >= cand.end)
                                for m in s_mentions):
                continue
            if INCISE.match(body, cand.end):
                continue  # a verb in an incise reports speech: "concède-t-elle", "dénonce-t-il"
            mark = assertion(toks, cand, row, c_lo, c_hi, t_lo, t_hi, guards_in, settings)
            if row.negated and mark[0] == "negated":
                # refusing is an act: "nous ne l'acceptons pas" rejects (PLOVER REJECT)
                mark = ("affirmed", mark[1])
                negated_type[cand.start] = row.negated
            elif row.only_negated:
                continue
            framed = dominated = False
            if row.kind == "noun":
                # the noun object of a marked verb shares its marks: "va signer un accord"
                verb = next(((k, m) for k, m in reversed(clause_marks) if c_lo <= k < cand.i), None)
                if verb is not None:
                    dominated = True  # "a condamné l'attaque", "soutient la grève": the verb is the act
                    if mark in COUNTED:
                        mark = verb[1]
                # the setting of another act: "blessé lors de la manifestation", "en marge du sommet"
                framed = guards_in("frame", max(t_lo, cand.i - 4), cand.i)
            else:
                clause_marks.append((cand.i, mark))
            survivors.append(row.id)
            if row.plover == "PROTEST":
                protests.append((cand.i, clause_of(cand.i)))
            rank = (mark in COUNTED, not framed, not dominated, row.weight)
            if best is None or rank > best_rank:
                best, best_rank, best_mark = cand, rank, mark
            if row.kind == "verb" and mark in COUNTED and row.weight >= settings.second_weight:
                verbs.append((cand, mark, clause_of(cand.i)))
        if best is None:
            continue
        # a heading (no full stop, no list mark) whose act is only a noun names a topic, it does not
        # report: "Grève reconductible à partir du 5 mars"; a list item is content: "- soutien des syndicats à …"
        if best.rule.row.kind == "noun" and not text.rstrip().endswith(_SENTENCE_END) and lead == text.lstrip():
            continue
        chosen = [(best, best_mark)]
        # a second act in another clause of the sentence, of another type: "requis par le procureur,
        # confirmé par la Cour qui a rejeté le pourvoi"
        b_clause = clause_of(best.i)
        second = [(c, m) for c, m, cl in verbs if cl != b_clause and c.rule.row.plover != best.rule.row.plover]
        if second and best_mark in COUNTED:
            chosen.append(max(second, key=lambda cm: cm[0].rule.row.weight))
        for cand, mark in sorted(chosen, key=lambda cm: cm[0].start):  # text order
            row = cand.rule.row
            etype = negated_type.get(cand.start, row.plover)
            if row.speech and etype == "REQUEST" and any(k > cand.i and cl == clause_of(cand.i) for k, cl in protests):
                etype = "PROTEST"  # a call to strike or demonstrate mobilises a protest: "appelle à la grève"
            if etype in FUTURE_TO_AGREE and row.kind == "verb" and is_future(toks[cand.i]):
                etype = "AGREE"
            events.append(_make_event(article_id, body, s_start, s_end, cand, etype, s_mentions, pub_iso, mark))
        if text.rstrip().endswith(_SENTENCE_END):
            # "a signé un accord": a later "l'accord" is that one (a headline without a full stop
            # announces the event the lead then reports: it introduces no referent)
            reported.update(survivors)
    if settings.roles and doc is not None:
        events = with_roles(events, body, ms, model=settings.parser_model, doc=doc)
    return events


INCISE = re.compile(r"-(?:t-)?(?:il|elle|on|ils|elles)\b", re.IGNORECASE)
_SENTENCE_END = (".", "!", "…", "»", "”", '"', ")")


#: (polarity, modality) pairs that count as events (``frnews eval``); the rest stay in the table, marked
COUNTED = frozenset({("affirmed", "asserted"), ("affirmed", "reported")})


def counted(event: Event) -> bool:
    """An affirmed event that is asserted or reported (what ``frnews eval`` scores)."""
    extra = dict(event.extra)
    return (extra.get("polarity") or "affirmed", extra.get("modality") or "asserted") in COUNTED
def _values(mentions: Sequence[Mention], *kinds: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for m in mentions:
        if m.kind in kinds and m.value:
            seen.setdefault(m.value, None)
    return tuple(seen)


def _make_event(article_id, body, start, end, cand: _Cand, etype, mentions, pub_iso,
                mark: tuple[str, str] = ("affirmed", "asserted")) -> Event:
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
        # the sentence's own sectors (GUIDE), whether or not they are the article's topics
        sectors=_values(mentions, "sector", "sector_hit"),
        money=_values(mentions, "money"),
        extra=(("polarity", mark[0]), ("modality", mark[1]), ("source_actors", ""), ("target_actors", "")),
    )


def run(ctx, rules: EventRules | None, settings: Settings | None) -> dict:
    """Stage ``events``: reads the body, its doc and tokens, the publication date, the language and
    every mention; writes ``events``."""
    mentions = sorted([*ctx.countries, *ctx.actors, *ctx.dates, *ctx.money, *ctx.sectors],
                      key=lambda m: (m.start, m.end, m.kind))
    return {"events": tuple(find_events(ctx.article_id, ctx.body, ctx.doc, mentions, published=ctx.published,
                                        rules=rules, tokens=ctx.tokens, settings=settings,
                                        language=getattr(ctx, "language", None)))}
