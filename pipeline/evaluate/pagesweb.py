"""``pages-web``: web-page dumps of many sites and languages (``gold.jsonl``: title, published,
``with`` / ``without`` snippets).

Counting rules of ``../shared/tools/score_pagesweb.py`` (the two must agree on the same
predictions): the kept text is the article body folded (case, accents, punctuation); a
``with`` snippet is kept when its folded form is a substring of it, a ``without`` snippet is
removed when it is not; title accuracy after folding, publication date on its first ten
characters, both over the pages whose gold gives one.  Figures for French, the other
languages, and per language.  Only the prepare phase runs (no model): the body, the title
and the date are all known after it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.evaluate.common import Accuracy, EvalError, fold, prepare_all, title_norm
from pipeline.read import iter_records

DEFAULT_DIR = Path("../shared/dev/pages-web")


@dataclass
class Group:
    title: Accuracy = field(default_factory=Accuracy)
    published: Accuracy = field(default_factory=Accuracy)
    with_ok: int = 0
    with_n: int = 0
    without_ok: int = 0
    without_n: int = 0
    pages: int = 0

    def row(self) -> dict:
        return {"pages": self.pages, "title": self.title.row(), "published": self.published.row(),
                "kept": round(self.with_ok / self.with_n, 3) if self.with_n else None,
                "removed": round(self.without_ok / self.without_n, 3) if self.without_n else None,
                "with_n": self.with_n, "without_n": self.without_n}


@dataclass
class WebReport:
    name: str
    groups: dict[str, Group]
    empty_pages: int
    details: list[dict]

    def as_dict(self) -> dict:
        return {"set": self.name, "empty_pages": self.empty_pages,
                **{k: g.row() for k, g in self.groups.items()}}

    def format(self) -> str:
        out = [f"frnews eval [{self.name}]: {self.groups['all'].pages} page(s), "
               f"{self.empty_pages} with an empty body",
               f"{'group':<8} {'pages':>5} {'title':>6} {'date':>6} {'wrong':>6} {'kept':>6} {'removed':>7}"
               "   n title/date/with/without"]

        def f(x):
            return "   n/a" if x is None else f"{x:6.3f}"

        order = ["all", "fr", "other"] + sorted(k for k in self.groups if k.startswith("lang:"))
        for k in order:
            g = self.groups.get(k)
            if g is None:
                continue
            r = g.row()
            out.append(f"{k:<8} {g.pages:>5} {f(r['title']['accuracy'])} {f(r['published']['accuracy'])} "
                       f"{f(r['published']['wrong'])} {f(r['kept'])} {f(r['removed']):>7}"
                       f"   {g.title.n}/{g.published.n}/{g.with_n}/{g.without_n}")
        return "\n".join(out)


def evaluate_pagesweb(path: Path = DEFAULT_DIR, *, name: str = "pages-web") -> WebReport:
    """Score the dumps of ``path/pages/`` against ``path/gold.jsonl``."""
    path = Path(path)
    gold_file, pages = path / "gold.jsonl", path / "pages"
    if not gold_file.is_file() or not pages.is_dir():
        raise EvalError(f"{path} is not a pages-web set (needs gold.jsonl and pages/)")
    golds = [json.loads(x) for x in gold_file.read_text(encoding="utf-8").splitlines() if x.strip()]
    if not golds:
        raise EvalError(f"{gold_file} holds no gold record")
    records = [r for r in iter_records([pages]) if r.article_id in {g["id"] for g in golds}]
    if not records:
        raise EvalError(f"no page of {pages} matches one of the {len(golds)} gold record(s)")
    arts = {a.article_id: a for a in prepare_all(records)}
    groups: dict[str, Group] = defaultdict(Group)
    empty = 0
    details = []
    for g in golds:
        a = arts.get(g["id"])
        lang = g.get("language") or "und"
        keys = ("all", "fr" if lang == "fr" else "other", f"lang:{lang}")
        body = fold(a.body if a else "")
        title = a.title if a else None
        published = (a.published or "")[:10] if a else ""
        empty += int(not body)
        for k in keys:
            grp = groups[k]
            grp.pages += 1
            if g.get("title"):
                grp.title.add(title_norm(title), title_norm(g["title"]))
            if g.get("published"):
                grp.published.add(published, g["published"][:10])
            for s in g.get("with", []):
                grp.with_n += 1
                grp.with_ok += int(fold(s) in body)
            for s in g.get("without", []):
                grp.without_n += 1
                grp.without_ok += int(fold(s) not in body)
        details.append({"id": g["id"], "language": lang, "title": title, "gold_title": g.get("title"),
                        "published": published or None, "gold_published": g.get("published"),
                        "published_source": a.published_source if a else None,
                        "lost": [s for s in g.get("with", []) if fold(s) not in body],
                        "kept_chrome": [s for s in g.get("without", []) if fold(s) in body]})
    return WebReport(name=name, groups=dict(groups), empty_pages=empty, details=details)
