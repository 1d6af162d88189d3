"""``frnews eval``: score the pipeline against gold files (``shared/gold/GUIDE.md``).

For each gold file ``<article>.json`` the matching input record (same id) is
processed in memory and compared field by field:

- countries, dates (EDTF value), money ((amount, currency)) and sectors are
  sets per article, micro-averaged over articles;
- actors match when a predicted actor's canonical name or any of its surface
  forms equals the gold name or one of its aliases, ignoring case, accents,
  articles and punctuation; ``type`` accuracy is reported on matched actors;
- lines: the share of gold body lines kept and of gold boilerplate lines
  removed (``optional`` lines are not scored);
- events: a gold event is found when a predicted event's sentence contains its
  ``sentence`` snippet; precision counts predicted events containing a gold
  snippet; type accuracy is reported on found events.  Only affirmed, asserted or
  reported events count (negated, planned, possible and requested ones are not scored).

Mentions found only on ``optional`` lines are neither rewarded nor penalised.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pipeline.process import process_batch
from pipeline.read import iter_records
from pipeline.records import Article
from pipeline.stages.events import counted

DEFAULT_GOLD = Path("../shared/gold/seeds")
_ARTICLES = re.compile(r"^(?:l'|d'|le |la |les |the |un |une |des |du |de la |de l')")


def norm_text(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.replace("’", "'").replace("‘", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().strip()
    s = _ARTICLES.sub("", s)
    s = re.sub(r"[^\w]+", " ", s)
    return " ".join(s.split())


def norm_line(s: str) -> str:
    return " ".join(s.replace("’", "'").split())


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add_sets(self, pred: set, gold: set) -> None:
        self.tp += len(pred & gold)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)


@dataclass
class Report:
    fields: dict[str, Score]
    lines_body_kept: float
    lines_boiler_removed: float
    actor_type_acc: float
    events_found: float
    events_precision: float
    event_type_acc: float
    title_acc: float
    published_acc: float
    articles: int
    details: list[dict]

    def as_dict(self) -> dict:
        return {
            "articles": self.articles,
            **{k: {"precision": round(v.precision, 3), "recall": round(v.recall, 3), "f1": round(v.f1, 3)}
               for k, v in self.fields.items()},
            "actor_type_accuracy": round(self.actor_type_acc, 3),
            "lines": {"body_kept": round(self.lines_body_kept, 3),
                      "boilerplate_removed": round(self.lines_boiler_removed, 3)},
            "events": {"found": round(self.events_found, 3), "precision": round(self.events_precision, 3),
                       "type_accuracy": round(self.event_type_acc, 3)},
            "title_accuracy": round(self.title_acc, 3),
            "published_accuracy": round(self.published_acc, 3),
        }

    def format(self) -> str:
        out = [f"frnews eval: {self.articles} article(s)", f"{'field':<10} {'P':>6} {'R':>6} {'F1':>6}"]
        for k, v in self.fields.items():
            out.append(f"{k:<10} {v.precision:6.3f} {v.recall:6.3f} {v.f1:6.3f}")
        out.append(f"actor type accuracy (matched actors): {self.actor_type_acc:.3f}")
        out.append(f"lines: body kept {self.lines_body_kept:.3f}, boilerplate removed {self.lines_boiler_removed:.3f}")
        out.append(f"events: found {self.events_found:.3f}, precision {self.events_precision:.3f}, "
                   f"type accuracy {self.event_type_acc:.3f}")
        out.append(f"title accuracy {self.title_acc:.3f}, published accuracy {self.published_acc:.3f}")
        return "\n".join(out)


def _optional_spans(article: Article, optional: set[str]) -> list[tuple[int, int]]:
    """Body character spans that come from gold ``optional`` lines."""
    spans = []
    for ln in article.lines:
        if ln.keep and norm_line(ln.text) in optional:
            start = article.body.find(ln.text)
            if start >= 0:
                spans.append((start, start + len(ln.text)))
    return spans


def _in_spans(m, spans) -> bool:
    return any(s <= m.start and m.end <= e for s, e in spans)


def _actor_match(pred: dict[str, set[str]], gold: list[dict]) -> tuple[int, int, int, int, int]:
    """(tp, fp, fn, type_ok, type_n) with a greedy one-to-one match."""
    gold_keys = [({norm_text(g["name"])} | {norm_text(a) for a in g.get("aliases") or []}, g) for g in gold]
    used: set[int] = set()
    tp = type_ok = 0
    pred_types = pred.pop("__types__", {})
    for value, forms in pred.items():
        keys = {norm_text(value)} | {norm_text(f) for f in forms}
        for i, (gk, g) in enumerate(gold_keys):
            if i not in used and keys & gk:
                used.add(i)
                tp += 1
                type_ok += int(pred_types.get(value) == g.get("type"))
                break
    return tp, len(pred) - tp, len(gold) - len(used), type_ok, tp


def evaluate(gold_dir: Path, input_dirs: Iterable[Path], *, nlp=None) -> Report:
    gold_files = sorted(gold_dir.glob("*.json"))
    golds = {json.loads(p.read_text(encoding="utf-8"))["article"]: json.loads(p.read_text(encoding="utf-8"))
             for p in gold_files}
    records = [r for r in iter_records(list(input_dirs)) if r.article_id in golds]
    articles = process_batch(records, nlp=nlp)
    fields = {k: Score() for k in ("countries", "actors", "dates", "money", "sectors")}
    body_kept = body_total = boiler_removed = boiler_total = 0
    type_ok = type_n = 0
    ev_found = ev_total = ev_pred_ok = ev_pred = ev_type_ok = 0
    title_ok = pub_ok = 0
    details = []
    for art in articles:
        g = golds[art.article_id]
        boiler = {norm_line(x) for x in g["lines"].get("boilerplate", [])}
        optional = {norm_line(x) for x in g["lines"].get("optional", [])}
        for ln in art.lines:
            key = norm_line(ln.text)
            if key in optional:
                continue
            if key in boiler:
                boiler_total += 1
                boiler_removed += int(not ln.keep)
            else:
                body_total += 1
                body_kept += int(ln.keep)
        spans = _optional_spans(art, optional)
        ms = [m for m in art.mentions if not _in_spans(m, spans)]
        fields["countries"].add_sets({m.value for m in ms if m.kind == "country"}, set(g["countries"]))
        fields["dates"].add_sets({m.value for m in ms if m.kind == "date"}, {d["value"] for d in g["dates"]})
        fields["money"].add_sets({(Decimal(str(m.amount)).normalize(), m.currency) for m in ms
                                  if m.kind == "money" and m.amount is not None},
                                 {(Decimal(str(x["amount"])).normalize(), x["currency"]) for x in g["money"]})
        fields["sectors"].add_sets({m.value for m in ms if m.kind == "sector"}, set(g["sectors"]))
        pred_actors: dict = {"__types__": {}}
        for m in ms:
            if m.kind == "actor":
                pred_actors.setdefault(m.value, set()).add(m.text)
                pred_actors["__types__"][m.value] = m.actor_type
        tp, fp, fn, tok, tn = _actor_match(pred_actors, g["actors"])
        fields["actors"].tp += tp
        fields["actors"].fp += fp
        fields["actors"].fn += fn
        type_ok += tok
        type_n += tn
        # only affirmed, asserted or reported events count; the negated, planned, possible and
        # requested ones stay in the table, marked (pipeline.stages.events.COUNTED)
        evs = [e for e in art.events if not any(s <= e.start and e.end <= en for s, en in spans)
               and counted(e)]
        snippets = [(norm_line(ge["sentence"]), ge) for ge in g["events"]]
        for snip, ge in snippets:
            ev_total += 1
            hit = next((e for e in evs if snip in norm_line(e.sentence)), None)
            if hit is not None:
                ev_found += 1
                ev_type_ok += int(hit.event_type == ge["type"])
        for e in evs:
            ev_pred += 1
            ev_pred_ok += int(any(snip in norm_line(e.sentence) for snip, _ in snippets))
        title_ok += int(norm_line(art.title or "") == norm_line(g.get("title") or ""))
        pub_ok += int((art.published or None) == g.get("published"))
        details.append({"article": art.article_id, "status": art.status, "error": art.error})
    n = len(articles)
    return Report(
        fields=fields,
        lines_body_kept=body_kept / body_total if body_total else 1.0,
        lines_boiler_removed=boiler_removed / boiler_total if boiler_total else 1.0,
        actor_type_acc=type_ok / type_n if type_n else 0.0,
        events_found=ev_found / ev_total if ev_total else 1.0,
        events_precision=ev_pred_ok / ev_pred if ev_pred else 0.0,
        event_type_acc=ev_type_ok / ev_found if ev_found else 0.0,
        title_acc=title_ok / n if n else 0.0,
        published_acc=pub_ok / n if n else 0.0,
        articles=n,
        details=details,
    )
