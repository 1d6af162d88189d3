"""``ftib``: French regional news articles with every calendar date (span + EDTF value).

Counting rules of ``../shared/tools/score_dates.py`` (the two must agree on the same
predictions): the articles are already clean text (processed as ``--no-clean``), a
predicted date matches an unused gold date whose span overlaps its own (offsets mapped
from the body back to the input text), and it is right when the EDTF values are equal; a
prediction overlapping only an ``optional`` date is not counted.  Extraction (span) and
value P/R/F1.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate.common import EvalError, Tally
from pipeline.process import Config, process_batch
from pipeline.read import iter_records

DEFAULT_DIR = Path("../shared/dev/ftib")


def offset_map(body: str, text: str):
    """Body offset -> input-text offset (identity when the body is the text)."""
    if body == text:
        return lambda i: i
    ops = difflib.SequenceMatcher(None, body, text, autojunk=False).get_opcodes()

    def f(i: int) -> int:
        for _, b1, b2, t1, t2 in ops:
            if b1 <= i < b2 or i == b2 == len(body):
                return t1 + min(i - b1, max(t2 - t1 - 1, 0)) if t2 > t1 else t1
        return i
    return f


@dataclass
class DatesReport:
    name: str
    extraction: Tally
    value: Tally
    articles: int
    errors: list[str]

    def as_dict(self) -> dict:
        return {"set": self.name, "articles": self.articles, "extraction": self.extraction.row(),
                "value": self.value.row()}

    def format(self) -> str:
        x, v = self.extraction, self.value
        return (f"frnews eval [{self.name}]: {self.articles} article(s), {x.gold} gold date(s), {x.pred} predicted\n"
                f"dates extraction P {x.precision:.3f} R {x.recall:.3f} F1 {x.f1:.3f}\n"
                f"dates value      P {v.precision:.3f} R {v.recall:.3f} F1 {v.f1:.3f}")


def evaluate_ftib(path: Path = DEFAULT_DIR, *, nlp=None, name: str = "ftib") -> DatesReport:
    path = Path(path)
    src = path / "articles.jsonl"
    if not src.is_file():
        raise EvalError(f"{path} is not an ftib set (needs articles.jsonl and gold/)")
    texts = {}
    for line in src.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            texts[d["id"]] = d["text"]
    gold = {}
    for f in sorted((path / "gold").glob("*.json")):
        g = json.loads(f.read_text(encoding="utf-8"))
        gold[g["article"]] = g
    if not gold:
        raise EvalError(f"no gold file (*.json) in {path / 'gold'}")
    records = [r for r in iter_records([src]) if r.article_id in gold]
    if not records:
        raise EvalError(f"no article of {src} matches one of the {len(gold)} gold file(s)")
    arts = process_batch(records, nlp=nlp, cfg=Config(clean_text=False))
    pred: dict[str, list] = {}
    for a in arts:
        m = offset_map(a.body or "", texts.get(a.article_id, ""))
        pred[a.article_id] = [(m(x.start), m(max(x.end - 1, x.start)) + 1, x.value or "", x.text or "")
                              for x in a.mentions if x.kind == "date"]
    ext, val, errors = Tally(), Tally(), []
    for aid, g in gold.items():
        gd = [(d["start"], d["end"], d["value"], d["text"]) for d in g["dates"]]
        opt = [(d["start"], d["end"]) for d in g.get("optional_dates", [])]
        ext.gold += len(gd)
        val.gold += len(gd)
        used: set[int] = set()
        for s, e, v, t in pred.get(aid, []):
            if any(s < oe and os_ < e for os_, oe in opt) and not any(s < ge and gs < e for gs, ge, _, _ in gd):
                continue
            ext.pred += 1
            val.pred += 1
            for i, (gs, ge, gv, gt) in enumerate(gd):
                if i not in used and s < ge and gs < e:
                    used.add(i)
                    ext.tp += 1
                    if v == gv:
                        val.tp += 1
                    else:
                        errors.append(f"WRONG {aid} {gt!r}: gold {gv}, got {v} ({t!r})")
                    break
            else:
                errors.append(f"EXTRA {aid} {t!r} -> {v}")
        errors += [f"MISS  {aid} {gt!r} = {gv}" for i, (_, _, gv, gt) in enumerate(gd) if i not in used]
    return DatesReport(name=name, extraction=ext, value=val, articles=len(arts), errors=errors)
