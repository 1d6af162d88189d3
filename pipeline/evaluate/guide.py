"""GUIDE-format gold (``seeds``, ``pages``): every field of ``shared/gold/GUIDE.md``.

For each gold file ``<article>.json`` the input record of the same id is processed in
memory and compared with the rules of the independent scorer ``../shared/tools/score_guide.py``
(the two must agree on the same predictions):

- countries, dates (EDTF value), money ((amount, currency)) and sectors are sets per
  article, micro-averaged over articles;
- actors: a predicted actor's name matches an unused gold actor whose name or an alias
  is the same after folding case, accents, leading articles and punctuation;
- lines: gold body lines kept (a short line must survive as a line, a long one may be
  re-flowed) and gold boilerplate lines removed; ``optional`` lines are not scored, nor
  are mentions standing only on them.  The body is given either as text lists
  (``lines.boilerplate`` / ``lines.optional``) or by line numbers (``body_first_line`` ..
  ``body_last_line`` minus ``inner_boilerplate_lines``);
- events: a gold event is found by an unused predicted event whose sentence contains its
  ``sentence`` snippet; ``events_typed`` also needs the type.  Only affirmed, asserted or
  reported events count (negated, planned, possible and requested ones are not scored;
  the shared scorer, reading ``events.csv``, counts every row);
- title and published: accuracy over the gold files that give one (a gold ``null`` means
  the page prints none), with the number of wrong (not missing) values.

``gold_body=True`` feeds the gold body lines to the later stages instead of the clean
stage's choice (title and publication date still come from the whole page), so that the
entity, date and event figures can be measured apart from boilerplate removal.
``gold_published=True`` gives each record the gold publication date (when the gold file has
one) as an input date, so that the relative dates are measured apart from the reading of
the publication date (the published figure is then the input's and says nothing).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.evaluate.common import Accuracy, EvalError, Tally, line_norm, prepare_all, title_norm
from pipeline.process import Config, process_batch
from pipeline.read import iter_records
from pipeline.records import RawRecord
from pipeline.stages.events import counted

DEFAULT_GOLD = Path("../shared/gold/seeds")
FIELDS = ("countries", "actors", "dates", "money", "sectors", "events", "events_typed")
_ARTICLES = {"le", "la", "les", "l", "the"}


def norm_text(s: str | None) -> str:
    """Actor names: case, accents, apostrophes, punctuation and leading articles folded."""
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().replace("’", "'")
    words = re.sub(r"[^\w:]+", " ", s).split()
    while words and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def line_classes(gold: dict, raw_lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(body, boilerplate, optional) normalised lines of a raw text, from either gold format."""
    spec = gold.get("lines", {})
    normed = [line_norm(x) for x in raw_lines]
    if "body_first_line" in spec:
        a, b = spec["body_first_line"], spec["body_last_line"]
        inner, opt = set(spec.get("inner_boilerplate_lines", [])), set(spec.get("optional_lines", []))
        body = [x for i, x in enumerate(normed, 1) if x and a <= i <= b and i not in inner | opt]
        optl = [x for i, x in enumerate(normed, 1) if x and i in opt]
        body_set = set(body)
        bp = [x for i, x in enumerate(normed, 1) if x and x not in body_set and i not in opt]
        return body, bp, optl
    bpset = {line_norm(x) for x in spec.get("boilerplate", [])}
    optset = {line_norm(x) for x in spec.get("optional", [])}
    body = [x for x in normed if x and x not in bpset and x not in optset]
    return body, [x for x in normed if x in bpset], [x for x in normed if x in optset]


def _amount(x) -> float | None:
    try:
        return round(float(str(x).replace(",", ".").replace(" ", "")), 2)
    except ValueError:
        return None


def _match_actors(pred_names: list[str], gold_actors: list[dict]) -> list[tuple[str, int]]:
    """``(predicted name, gold index)`` of each match: a name matches an unused gold actor's name or alias."""
    keys = [{norm_text(g["name"])} | {norm_text(a) for a in g.get("aliases") or []} for g in gold_actors]
    used: set[int] = set()
    pairs = []
    for name in pred_names:
        n = norm_text(name)
        for i, ks in enumerate(keys):
            if i not in used and n in ks:
                used.add(i)
                pairs.append((name, i))
                break
    return pairs


@dataclass
class Report:
    """The scores of one GUIDE-format set."""

    name: str
    gold_files: int
    predicted: int
    matched: int
    fields: dict[str, Tally]
    body_lines: Tally
    boilerplate_lines: Tally
    title: Accuracy
    published: Accuracy
    gold_body: bool = False
    gold_published: bool = False
    details: list[dict] = field(default_factory=list)
    #: the type of each matched actor against the gold's (``wrong``: another type, ``missing``: none)
    actor_types: Accuracy = field(default_factory=Accuracy)

    def event_type_accuracy(self) -> tuple[int, int]:
        """(found events with the gold's type, found events)."""
        found, typed = self.fields.get("events"), self.fields.get("events_typed")
        return (typed.tp, found.tp) if found and typed else (0, 0)

    def as_dict(self) -> dict:
        return {
            "set": self.name, "gold_files": self.gold_files, "predicted": self.predicted,
            "matched": self.matched, "gold_body": self.gold_body,
            "gold_published": self.gold_published,
            **{k: v.row() for k, v in self.fields.items()},
            "lines": {"body_kept": round(self.body_lines.recall, 3),
                      "boilerplate_removed": round(self.boilerplate_lines.recall, 3),
                      "body_n": self.body_lines.gold, "boilerplate_n": self.boilerplate_lines.gold},
            "title": self.title.row(), "published": self.published.row(),
            "actor_types": self.actor_types.row(),
            "event_types": dict(zip(("ok", "n"), self.event_type_accuracy())),
        }

    def format(self) -> str:
        out = [f"frnews eval [{self.name}]: {self.matched} article(s) scored "
               f"({self.gold_files} gold, {self.predicted} input record(s))"
               + (" - gold body lines fed to the stages" if self.gold_body else "")
               + (" - gold publication date given" if self.gold_published else ""),
               f"{'field':<13} {'P':>6} {'R':>6} {'F1':>6}   tp/pred/gold"]
        for k, v in self.fields.items():
            out.append(f"{k:<13} {v.precision:6.3f} {v.recall:6.3f} {v.f1:6.3f}   {v.tp}/{v.pred}/{v.gold}")
        if not self.gold_body:
            out.append(f"lines: body kept {self.body_lines.recall:.3f} ({self.body_lines.tp}/{self.body_lines.gold}), "
                       f"boilerplate removed {self.boilerplate_lines.recall:.3f} "
                       f"({self.boilerplate_lines.tp}/{self.boilerplate_lines.gold})")
        if self.actor_types.n:
            out.append(f"actor type on matched actors {self.actor_types.text()}")
        ok, n = self.event_type_accuracy()
        if n:
            out.append(f"event type on found events {ok / n:.3f} ({ok}/{n})")
        out.append(f"title {self.title.text()}")
        out.append(f"published {self.published.text()}")
        return "\n".join(out)


def load_gold(gold_dir: Path) -> dict[str, dict]:
    golds = {}
    for p in sorted(Path(gold_dir).glob("*.json")):
        try:
            g = json.loads(p.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise EvalError(f"{p}: not a gold file: {e}") from None
        if not isinstance(g, dict) or not isinstance(g.get("article"), str):
            raise EvalError(f"{p}: not a gold file: no \"article\" id (see ../shared/gold/GUIDE.md)")
        golds[g["article"]] = g
    return golds


def _gold_body_records(records: list[RawRecord], golds: dict[str, dict], cfg: Config) -> list[RawRecord]:
    """Each record's gold body lines as an already clean text, with the title and date found on the page."""
    out = []
    for rec, art in zip(records, prepare_all(records, cfg)):
        body, _, _ = line_classes(golds[rec.article_id], (rec.text or "").splitlines())
        out.append(replace(rec, text="\n".join(body), html=None, title=rec.title or art.title,
                           published=rec.published or art.published))
    return out


def evaluate(gold_dir: Path, input_dirs: Iterable[Path], *, nlp=None, gold_body: bool = False,
             name: str = "seeds", fields: bool = True, gold_published: bool = False) -> Report:
    """Score the records of ``input_dirs`` that have a gold file in ``gold_dir``.

    Raises :class:`EvalError` when the gold folder holds no gold file or no input record
    matches one (nothing would be scored).  ``fields=False`` skips the model (title, date
    and lines only: the prepare phase).
    """
    golds = load_gold(gold_dir)
    inputs = list(input_dirs)
    if not golds:
        raise EvalError(f"no gold file (*.json) in {gold_dir}")
    all_records = list(iter_records(inputs))
    records = [r for r in all_records if r.article_id in golds]
    if not records:
        raise EvalError(f"none of the {len(all_records)} input record(s) of "
                        f"{', '.join(map(str, inputs))} matches one of the {len(golds)} gold file(s) "
                        f"of {gold_dir}: nothing to score")
    if gold_published:
        records = [replace(r, published=golds[r.article_id]["published"][:10])
                   if golds[r.article_id].get("published") else r for r in records]
    cfg = Config()
    raw_text = {r.article_id: r.text or "" for r in records}
    if gold_body:
        articles = process_batch(_gold_body_records(records, golds, cfg), nlp=nlp, cfg=Config(clean_text=False))
    elif fields:
        from pipeline.evaluate.common import dump_chrome

        articles = process_batch(records, nlp=nlp, chrome=dump_chrome(records, cfg), cfg=cfg)
    else:
        articles = prepare_all(records, cfg)
    tallies = {k: Tally() for k in FIELDS} if fields or gold_body else {}
    body_t, bp_t, title, pub, actor_types = Tally(), Tally(), Accuracy(), Accuracy(), Accuracy()
    details = []
    for art in articles:
        g = golds[art.article_id]
        gb, gbp, gopt = line_classes(g, raw_text[art.article_id].splitlines())
        if tallies:
            _score_fields(art, g, gb, gopt, tallies, actor_types)
        if not gold_body:
            body = line_norm(art.body)
            body_set = {line_norm(x) for x in art.body.splitlines()}
            gbset = set(gb)
            for ln, is_body in [(x, True) for x in gb] + [(x, False) for x in gbp if x not in gbset]:
                # short lines must survive as lines; long ones may be re-flowed into paragraphs
                kept = ln in body_set or (len(ln) >= 40 and ln in body)
                (body_t if is_body else bp_t).add(int(kept if is_body else not kept), 1, 1)
        if g.get("title"):
            title.add(title_norm(art.title), title_norm(g["title"]))
        if g.get("published"):
            pub.add((art.published or "")[:10], g["published"][:10])
        details.append({"article": art.article_id, "status": art.status, "error": art.error,
                        "title": art.title, "gold_title": g.get("title"), "published": art.published,
                        "gold_published": g.get("published"), "published_source": art.published_source})
    return Report(name=name, gold_files=len(golds), predicted=len(all_records), matched=len(articles),
                  fields=tallies, body_lines=body_t, boilerplate_lines=bp_t, title=title, published=pub,
                  gold_body=gold_body, gold_published=gold_published, details=details, actor_types=actor_types)


def _score_fields(art, g: dict, gold_body: list[str], gold_opt: list[str], t: dict[str, Tally],
                  types_t: Accuracy) -> None:
    body_all = "\n".join(gold_body).casefold()
    opt_all = "\n".join(gold_opt).casefold()
    # a mention whose text stands only on optional lines is not scored (GUIDE.md)
    ms = [m for m in art.mentions
          if not (m.text and line_norm(m.text).casefold() not in body_all and line_norm(m.text).casefold() in opt_all)]

    def vals(kind: str) -> set[str]:
        return {m.value for m in ms if m.kind == kind and m.value}

    pc, gc = {v.upper() for v in vals("country")}, set(g.get("countries", []))
    t["countries"].add(len(pc & gc), len(pc), len(gc))
    pa, ga = sorted(vals("actor")), g.get("actors", [])
    pairs = _match_actors(pa, ga)
    t["actors"].add(len(pairs), len(pa), len(ga))
    types = {m.value: m.actor_type for m in ms if m.kind == "actor" and m.value}
    for name, i in pairs:  # the type of each matched actor (GUIDE: PER, ORG, GOV ...)
        if ga[i].get("type"):
            types_t.add(types.get(name) or "", ga[i]["type"])
    pd_, gd = vals("date"), {d["value"] for d in g.get("dates", [])}
    t["dates"].add(len(pd_ & gd), len(pd_), len(gd))
    pm = {(_amount(m.amount if m.amount is not None else m.value), (m.currency or "").upper())
          for m in ms if m.kind == "money"}
    gm = {(_amount(x["amount"]), x["currency"]) for x in g.get("money", [])}
    t["money"].add(len(pm & gm), len(pm), len(gm))
    ps, gs = vals("sector"), set(g.get("sectors", []))
    t["sectors"].add(len(ps & gs), len(ps), len(gs))
    # only affirmed, asserted or reported events count; the negated, planned, possible and
    # requested ones stay in the table, marked (pipeline.stages.events.COUNTED)
    pe, ge = [e for e in art.events if counted(e)], g.get("events", [])
    used: set[int] = set()
    tp = tpt = 0
    for e in ge:
        snip = line_norm(e["sentence"]).casefold()
        for i, p in enumerate(pe):
            if i not in used and snip in line_norm(p.sentence).casefold():
                used.add(i)
                tp += 1
                tpt += int((p.event_type or "").upper() == e["type"])
                break
    t["events"].add(tp, len(pe), len(ge))
    t["events_typed"].add(tpt, len(pe), len(ge))
