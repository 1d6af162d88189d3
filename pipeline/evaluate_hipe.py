"""PER / ORG scores on historical newspapers (HIPE-2022), the pipeline against spaCy alone.

The input is a JSONL file of documents ``{id, text, entities: [{start, end, text, label}],
partial_labels}`` (the development set's ``hipe/ner_dev.jsonl``; see its README).  Every
document's text goes through the model and the ``countries`` and ``actors`` stages (the
registry's own functions and packaged rules; no cleaning: the text is all body).  A
predicted actor of type ``PER`` is a PER mention, any other actor (``ORG``, ``GOV``,
``IGO``) an ORG mention, except a country or city name or a bare "le gouvernement" standing for
a government ("la France a signé": ``GOV:FR`` for the GUIDE, a place or no entity for HIPE,
which labels names literally: :data:`PLACE_RULES`), or a description rather than a name ("le
gouvernement britannique", "l'armée israélienne": :data:`DESCRIPTION_RULES`);
spaCy alone is the same model's ``PER`` and ``ORG`` entities on the same doc.

HIPE's fuzzy rule: a predicted mention matches an unused gold mention of its class in the
same document when one text contains the other after folding case, accents and
punctuation (a gold mention whose span overlaps the prediction is preferred, then any
other in text order).  Classes named in a document's ``partial_labels`` are not scored
for that document.  Scores are micro-averaged over documents.

``python -m pipeline.evaluate_hipe [PATH] [--json]`` prints both systems' scores.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

DEFAULT_HIPE = Path("../shared/dev/hipe/ner_dev.jsonl")
CLASSES = ("PER", "ORG")
#: Actor rules whose mention is a country or city name standing for its government ("la France a
#: signé", "Kigali a annoncé") or a bare common noun ("le gouvernement"): the GUIDE's ``GOV:XX``, but
#: HIPE labels names as written (the first are LOC, the last no entity).
PLACE_RULES = frozenset({"actors.gov.metonym", "actors.gov.subject", "actors.gov.bare"})
#: Actor rules whose mention is a description, not a name: a head and a demonym or a country ("le
#: gouvernement britannique", "le gouvernement du Kenya", "l'armée israélienne"); GUIDE actors, but
#: HIPE labels only names.
DESCRIPTION_RULES = frozenset({"actors.gov.adjective", "actors.gov.of", "actors.org.demonym"})
_PUNCT = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Case, accents and punctuation folded away; words joined by one space."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return " ".join(_PUNCT.sub(" ", s).replace("_", " ").split())


def fuzzy_match(pred: Sequence[tuple[int, int, str]], gold: Sequence[tuple[int, int, str]]) -> int:
    """True positives of one class in one document: ``(start, end, text)`` mentions matched
    one to one with HIPE's fuzzy rule (see the module docstring)."""
    gold_f = [(s, e, fold(t)) for s, e, t in gold]
    used: set[int] = set()
    tp = 0
    for ps, pe, pt in sorted(pred):
        p = fold(pt)
        if not p:
            continue
        ok = [i for i, (_, _, g) in enumerate(gold_f) if i not in used and g and (p in g or g in p)]
        if not ok:
            continue
        near = [i for i in ok if gold_f[i][0] < pe and ps < gold_f[i][1]]
        used.add((near or ok)[0])
        tp += 1
    return tp


def _prf(tp: int, npred: int, ngold: int) -> dict:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "pred": npred, "gold": ngold}


def read_documents(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def pipeline_mentions(text: str, doc) -> dict[str, list[tuple[int, int, str]]]:
    """The pipeline's PER and ORG mentions of ``text`` (``doc`` is the model's doc of it)."""
    from pipeline.stages.actors import find_actors
    from pipeline.stages.countries import find_countries
    from pipeline.text.fold import scan

    sc = scan(text)
    countries = find_countries(text, doc=doc, scan=sc)
    out: dict[str, list[tuple[int, int, str]]] = {c: [] for c in CLASSES}
    for m in find_actors(text, doc, countries=countries, scan=sc):
        if m.rule in PLACE_RULES or m.rule in DESCRIPTION_RULES:
            continue  # "la France a signé", "le gouvernement (britannique)": GOV for the GUIDE, no ORG name for HIPE
        out["PER" if m.actor_type == "PER" else "ORG"].append((m.start, m.end, m.text))
    return out


def spacy_mentions(doc) -> dict[str, list[tuple[int, int, str]]]:
    """spaCy alone: the model's PER and ORG entities."""
    out: dict[str, list[tuple[int, int, str]]] = {c: [] for c in CLASSES}
    for e in doc.ents:
        if e.label_ in out:
            out[e.label_].append((e.start_char, e.end_char, e.text))
    return out


def score_documents(docs: Iterable[dict], nlp) -> dict:
    """Scores of both systems over ``docs`` (HIPE JSONL rows) with the spaCy pipeline ``nlp``."""
    docs = list(docs)
    tally = {sys_: {c: [0, 0, 0] for c in CLASSES} for sys_ in ("pipeline", "spacy")}
    texts = [d["text"] for d in docs]
    from pipeline.settings import or_defaults
    from pipeline.stages.nlp import pipe_ner

    # spaCy alone reads every token; the pipeline's model only the text near capitalised words
    piped = pipe_ner(nlp, texts, context=or_defaults("run", None).ner_context)
    for d, doc, own in zip(docs, nlp.pipe(texts), piped):
        skip = set(d.get("partial_labels") or ())
        gold = {c: [(e["start"], e["end"], e["text"]) for e in d["entities"] if e["label"] == c] for c in CLASSES}
        for name, pred in (("pipeline", pipeline_mentions(d["text"], own)), ("spacy", spacy_mentions(doc))):
            for c in CLASSES:
                if c in skip:
                    continue
                t = tally[name][c]
                t[0] += fuzzy_match(pred[c], gold[c])
                t[1] += len(pred[c])
                t[2] += len(gold[c])
    return {"documents": len(docs),
            **{name: {c: _prf(*t) for c, t in per.items()} for name, per in tally.items()}}


def score_hipe(path: Path, *, nlp=None) -> dict:
    """PER / ORG precision, recall and F1 of the pipeline and of spaCy alone on the HIPE JSONL
    file ``path`` (``{"documents": n, "pipeline": {"PER": {...}, "ORG": {...}}, "spacy": {...}}``)."""
    if nlp is None:
        from pipeline.stages.nlp import load_nlp

        nlp = load_nlp()
    docs = read_documents(Path(path))
    longest = max((len(d["text"]) for d in docs), default=0)
    nlp.max_length = max(nlp.max_length, longest + 1)
    return score_documents(docs, nlp)


def format_scores(res: dict) -> str:
    lines = [f"hipe: {res['documents']} document(s), HIPE fuzzy match",
             f"{'system':10s} {'class':5s}     P      R     F1   (tp/pred/gold)"]
    for name in ("pipeline", "spacy"):
        for c in CLASSES:
            s = res[name][c]
            lines.append(f"{name:10s} {c:5s} {s['p']:.3f}  {s['r']:.3f}  {s['f1']:.3f}   "
                         f"({s['tp']}/{s['pred']}/{s['gold']})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    paths = [a for a in args if a != "--json"]
    res = score_hipe(Path(paths[0]) if paths else DEFAULT_HIPE)
    print(json.dumps(res, indent=1) if as_json else format_scores(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
