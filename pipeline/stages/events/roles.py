"""Who acts and who is acted on: the source and target actors of an event, from the clause's syntax.

Only the sentences that hold an event *and* actor mentions on both sides of its trigger
are parsed (spaCy's dependency parser over the part of that sentence that holds them,
batched per article), so the cost grows with the number of events, not with the text.
The parser pipeline is the packaged model's ``tok2vec`` + ``parser`` (no NER, no
morphology).  When the article's doc comes from the same model (the ``nlp`` stage's
pipeline: same vectors), the two components are loaded once per process onto *that*
pipeline's vocabulary (no second vocabulary, vectors or tokenizer: ≈ 0.05 s instead of
≈ 1 s) and read a ``Doc`` made of the doc's own tokens over the parsed window (no second
tokenization); the components are called directly on the article's windows as one
batch.  Otherwise (a doc of another pipeline) the model is loaded whole and parses the
window's text inside a memory zone.

Roles, read from Universal Dependencies labels around the trigger's predicate:

- active clause: ``nsubj`` → source; ``obj``, ``iobj`` and complements introduced by
  "à", "avec", "contre", "auprès de", "envers" → target;
- passive clause (an ``aux:pass`` child, or a participle modifying a noun: "l'imam
  condamné par le tribunal"): ``nsubj:pass`` / the modified noun → target, the "par"
  complement → source;
- a present participle modifying a noun ("l'Arabie saoudite condamnant …"): that noun → source;
- no subject of its own (pronoun-dropped): the subject of the verb it depends on
  ("X a décidé de suspendre …", "X a signé puis a ratifié …": ``xcomp`` / ``conj``), and
  the antecedent of a relative "qui";
- a noun trigger that is the object of a verb ("a pris la décision de", "ont conclu un
  accord") takes that verb's roles; otherwise its "par" complement is the source and its
  "contre" / "avec" / "entre" / "à" complements the target.

Coordination needs no rule: a role's phrase spans its conjuncts ("la France et le Maroc").
An actor both sides of the trigger is reported as source only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from pipeline.records import Event, Mention

log = logging.getLogger(__name__)

SUBJ = frozenset({"nsubj", "csubj"})
SUBJ_PASS = frozenset({"nsubj:pass", "csubj:pass"})
OBJ = frozenset({"obj", "iobj"})
OBL = ("obl", "nmod")  # prefixes: obl, obl:arg, obl:mod, obl:agent, nmod
TARGET_CASES = frozenset({"à", "au", "aux", "avec", "contre", "auprès", "envers", "vers", "entre"})
AGENT_CASES = frozenset({"par"})
#: dependents whose subtree is another clause: not part of a role's phrase
CLAUSAL = frozenset({"acl", "acl:relcl", "advcl", "ccomp", "xcomp", "parataxis", "csubj", "appos"})
RELATIVE = frozenset({"qui", "lequel", "laquelle", "lesquels", "lesquelles"})
VERBAL_DEPS = frozenset({"ROOT", "xcomp", "ccomp", "advcl", "conj", "acl", "acl:relcl", "parataxis", "csubj"})


_OTHER_COMPONENTS = ["ner", "morphologizer", "attribute_ruler", "lemmatizer", "senter"]


@lru_cache(maxsize=2)
def load_parser(model: str):
    """The model's tok2vec + parser (no NER, no morphology) with its own vocabulary and tokenizer,
    once per process and model."""
    import spacy

    nlp = spacy.load(model, exclude=_OTHER_COMPONENTS)
    log.debug("loaded %s parser with components %s", model, nlp.pipe_names)
    return nlp


@lru_cache(maxsize=4)
def _vectors_name(model: str) -> str | None:
    from spacy.util import get_package_path, load_meta

    return load_meta(get_package_path(model) / "meta.json").get("vectors", {}).get("name")


#: (model, id(vocab)) -> (vocab, tok2vec, parser): the vocab is kept so that its id stays its own
_SHARED: dict[tuple[str, int], tuple] = {}


def shared_parser(model: str, vocab):
    """The model's ``(tok2vec, parser)`` components loaded onto ``vocab`` (the ``nlp`` stage's
    pipeline's vocabulary), or None when ``vocab`` is not that model's (other vectors)."""
    key = (model, id(vocab))
    hit = _SHARED.get(key)
    if hit is not None:
        return hit[1:]
    if not vocab.vectors.shape[0] or vocab.vectors.name != _vectors_name(model):
        return None
    import spacy

    nlp = spacy.load(model, vocab=vocab, exclude=[*_OTHER_COMPONENTS, "vocab", "tokenizer"])
    log.debug("loaded %s parser onto the shared vocabulary with components %s", model, nlp.pipe_names)
    if len(_SHARED) >= 2:
        _SHARED.clear()
    _SHARED[key] = (vocab, nlp.get_pipe("tok2vec"), nlp.get_pipe("parser"))
    return _SHARED[key][1:]


def _case(tok) -> str:
    """The preposition introducing ``tok`` ("par", "à", "avec" …), lower case, or ""."""
    for c in tok.children:
        if c.dep_ in ("case", "mark") and c.i < tok.i:
            return c.lower_
    return ""


def _phrase(tok) -> set[int]:
    """Token indices of ``tok``'s phrase: its subtree without clausal dependents."""
    out = {tok.i}
    stack = [c for c in tok.children if c.dep_ not in CLAUSAL]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack.extend(c for c in t.children if c.dep_ not in CLAUSAL)
    return out


def _is_passive(pred) -> bool:
    return any(c.dep_ == "aux:pass" for c in pred.children)


def _subjects(pred, depth: int = 0) -> tuple[list, list]:
    """(active subjects, passive subjects) of ``pred``, borrowed along xcomp / conj / relative chains."""
    act = [c for c in pred.children if c.dep_ in SUBJ]
    pas = [c for c in pred.children if c.dep_ in SUBJ_PASS]
    if act or pas:
        # "qui" stands for the noun the relative clause modifies
        act = [pred.head if a.lower_ in RELATIVE and pred.dep_.startswith("acl") else a for a in act]
        pas = [pred.head if a.lower_ in RELATIVE and pred.dep_.startswith("acl") else a for a in pas]
        return act, pas
    if depth < 3 and pred.head is not pred and pred.dep_ in ("xcomp", "conj"):
        a, p = _subjects(pred.head, depth + 1)
        if pred.dep_ == "xcomp":
            return a + p, []  # "X a décidé de suspendre": X acts
        return a, p
    return [], []


def roles_of(sdoc, trig_start: int, trig_end: int) -> tuple[set[int], set[int]]:
    """Token indices of the source and target phrases of the trigger at ``[trig_start, trig_end)``
    (character offsets into the sentence doc's text)."""
    span = [t for t in sdoc if t.idx < trig_end and t.idx + len(t.text) > trig_start]
    if not span:
        return set(), set()
    ids = {t.i for t in span}
    head = next((t for t in span if t.head.i not in ids or t.head is t), span[0])
    src: list = []
    tgt: list = []
    pred = head
    nominal = head.dep_ not in VERBAL_DEPS
    if nominal and head.dep_ in OBJ and head.head is not head:
        pred, nominal = head.head, False  # light verb: "a pris la décision", "ont signé un accord"
    if nominal:
        for c in head.children:
            case = _case(c)
            if c.dep_.startswith(OBL) and case in AGENT_CASES:
                src.append(c)
            elif c.dep_.startswith(OBL) and case in TARGET_CASES:
                tgt.append(c)
        if head.dep_ in SUBJ_PASS | SUBJ:
            # "l'attaque a visé X": the noun's own verb names the target
            v = head.head
            tgt += [c for c in v.children if c.dep_ in OBJ]
    else:
        passive = _is_passive(pred)
        if pred.dep_ == "acl" and pred.head is not pred:
            if pred.lower_.endswith("ant"):
                src.append(pred.head)  # "l'Arabie saoudite condamnant …"
            else:
                tgt.append(pred.head)  # "l'imam condamné par …"
                passive = True
        act, pas = _subjects(pred)
        if passive:
            tgt += act + pas
        else:
            src += act
            tgt += pas
        for c in pred.children:
            case = _case(c)
            if c.dep_ in OBJ:
                tgt.append(c)
            elif c.dep_.startswith(OBL) and case in AGENT_CASES and (passive or pred.dep_ == "acl"):
                src.append(c)
            elif c.dep_.startswith(OBL) and case in TARGET_CASES:
                tgt.append(c)
    s_ids: set[int] = set()
    for t in src:
        s_ids |= _phrase(t)
    t_ids: set[int] = set()
    for t in tgt:
        t_ids |= _phrase(t)
    return s_ids, t_ids - s_ids


def actors_in(sdoc, tok_ids: set[int], actors: Sequence[tuple[int, int, str]]) -> tuple[str, ...]:
    """Values of the actor mentions (``(start, end, value)``, sentence offsets) that overlap the tokens."""
    if not tok_ids:
        return ()
    spans = [(sdoc[i].idx, sdoc[i].idx + len(sdoc[i].text)) for i in sorted(tok_ids)]
    seen: dict[str, None] = {}
    for s, e, v in actors:
        if any(a < e and s < b for a, b in spans):
            seen.setdefault(v, None)
    return tuple(seen)


def source_target(nlp, items: Sequence[tuple[str, int, int, Sequence[tuple[int, int, str]]]]
                  ) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """For each ``(sentence, trigger start, trigger end, actor spans)``, the (sources, targets)
    actor values; one ``nlp.pipe`` call for all of them, inside a memory zone."""
    if not items:
        return []
    out = []
    with nlp.memory_zone():
        for (text, ts, te, actors), sdoc in zip(items, nlp.pipe([it[0] for it in items])):
            s_ids, t_ids = roles_of(sdoc, ts, te)
            src = actors_in(sdoc, s_ids, actors)
            tgt = tuple(v for v in actors_in(sdoc, t_ids, actors) if v not in src)
            out.append((src, tgt))
    return out


def source_target_docs(components, doc, items: Sequence[tuple[int, int, int, int, Sequence[tuple[int, int, str]]]]
                        ) -> list[tuple[tuple[str, ...], tuple[str, ...]] | None]:
    """Like :func:`source_target` over windows of ``doc`` (the article's doc, shared vocabulary):
    each item is ``(window start, window end, trigger start, trigger end, actor spans)`` in body
    offsets.  The window's tokens are the doc's own; the tok2vec and the parser run once over
    all the windows.  None for a window that does not fall on the doc's tokens."""
    from spacy.tokens import Doc

    tok2vec, parser = components
    sdocs, offs, out = [], [], []
    for lo, hi, *_ in items:
        span = doc.char_span(lo, hi, alignment_mode="expand")
        if span is None or not len(span):
            offs.append(None)
            continue
        words = [t.text for t in span]
        spaces = [bool(t.whitespace_) for t in span]
        spaces[-1] = False
        sdocs.append(Doc(doc.vocab, words=words, spaces=spaces))
        offs.append(span.start_char)
    if sdocs:
        tok2vec.set_annotations(sdocs, tok2vec.predict(sdocs))
        parser.set_annotations(sdocs, parser.predict(sdocs))
    k = 0
    for (_, _, ts, te, actors), off in zip(items, offs):
        if off is None:
            out.append(None)
            continue
        sdoc = sdocs[k]
        k += 1
        s_ids, t_ids = roles_of(sdoc, ts - off, te - off)
        spans = [(a - off, b - off, v) for a, b, v in actors]
        src = actors_in(sdoc, s_ids, spans)
        out.append((src, tuple(v for v in actors_in(sdoc, t_ids, spans) if v not in src)))
    return out


_CLAUSE_CHARS = ",;:(—"
_PASSIVE_BEFORE = re.compile(r"\b(?:été|est|sont|était|étaient|fut|furent|sera|seront)\s+(?:\w+\s+)?$", re.IGNORECASE)
_AGENT_BEFORE = re.compile(r"\bpar\s+(?:l['’]\s*|la\s+|le\s+|les\s+|un\s+|une\s+|des\s+)?$", re.IGNORECASE)


def _one_side_roles(sent: str, ts: int, te: int, spans) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(sources, targets) when every actor stands on one side of the trigger: before an active
    trigger they act ("X et Y ont signé"), before a passive one ("X a été arrêté") they are acted
    on; after the trigger they are acted on, unless they are the passive's agent ("par la police")."""
    src: dict[str, None] = {}
    tgt: dict[str, None] = {}
    for a, b, value in sorted(spans):
        if b <= ts:
            (tgt if _PASSIVE_BEFORE.search(sent[b:ts]) else src).setdefault(value, None)
        elif a >= te:
            (src if _AGENT_BEFORE.search(sent[te:a]) else tgt).setdefault(value, None)
    return tuple(src), tuple(v for v in tgt if v not in src)


def _parse_window(body: str, start: int, end: int, t_start: int, t_end: int,
                  spans: Sequence[tuple[int, int, str]]) -> tuple[int, int]:
    """The part of the sentence ``body[start:end]`` the parser reads (offsets in the sentence):
    from the sentence start when an actor comes before the trigger (its subject), else from the
    start of the trigger's clause; to the end of the word holding the last actor or the trigger.
    Half the words of a sentence on average: the parse cost is in the words."""
    ts, te = t_start - start, t_end - start
    sent = body[start:end]
    first = min(a for a, _, _ in spans)
    if first < ts:
        lo = 0
    else:
        lo = max(sent.rfind(c, 0, ts) for c in _CLAUSE_CHARS) + 1
    hi = max(te, max(b for _, b, _ in spans))
    while hi < len(sent) and not sent[hi].isspace():
        hi += 1
    return lo, hi


def with_roles(events: list[Event], body: str, mentions: Sequence[Mention], model: str, doc=None) -> list[Event]:
    """``events`` with their source and target actors, parsing only the sentences that hold actors
    on both sides of the trigger (``doc``: the body's doc, whose tokens and vocabulary the parse
    reuses when it comes from ``model``)."""
    actors = [m for m in mentions if m.kind == "actor" and m.value]
    if not actors:
        return events
    todo, where, out_one, spans_at = [], [], [], []
    for k, e in enumerate(events):
        spans = [(m.start - e.start, m.end - e.start, m.value) for m in actors if e.start <= m.start and m.end <= e.end]
        if spans:
            ts = body.find(e.trigger, e.start, e.end) if e.trigger else -1
            if ts < 0:
                continue
            t0, t1 = ts - e.start, ts - e.start + len(e.trigger)
            if all(b <= t0 for _, b, _ in spans) or all(a >= t1 for a, _, _ in spans):
                # every actor on one side of the trigger: that side and the voice tell their role
                # without a parse (the parser is for the sentences with actors on both sides)
                out_one.append((k, _one_side_roles(body[e.start:e.end], t0, t1, spans)))
                continue
            lo, hi = _parse_window(body, e.start, e.end, ts, ts + len(e.trigger), spans)
            todo.append((body[e.start + lo:e.start + hi], ts - e.start - lo, ts - e.start - lo + len(e.trigger),
                         [(a - lo, b - lo, v) for a, b, v in spans]))
            where.append(k)
            spans_at.append((e, lo))
    results = list(out_one)
    if todo:
        shared = shared_parser(model, doc.vocab) if doc is not None else None
        if shared is not None:
            got = source_target_docs(shared, doc, [(e.start + lo, e.start + lo + len(text), e.start + lo + ts, e.start + lo + te,
                                                    [(e.start + lo + a, e.start + lo + b, v) for a, b, v in sp])
                                                   for (text, ts, te, sp), (e, lo) in zip(todo, spans_at)])
            left = [(k, it) for k, it, r in zip(where, todo, got) if r is None]
            results += [(k, r) for k, r in zip(where, got) if r is not None]
        else:
            left = list(zip(where, todo))
        if left:
            results += list(zip([k for k, _ in left], source_target(load_parser(model), [it for _, it in left])))
    if not results:
        return events
    out = list(events)
    for k, (src, tgt) in results:
        e = out[k]
        extra = tuple((n, v) for n, v in e.extra if n not in ("source_actors", "target_actors"))
        out[k] = replace(e, extra=(*extra, ("source_actors", "; ".join(src)), ("target_actors", "; ".join(tgt))))
    return out
