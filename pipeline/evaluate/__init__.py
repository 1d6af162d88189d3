"""``frnews eval``: score the pipeline on the development sets, one module per kind of gold.

The set registry (:data:`SETS`) names each set, its default folder and its scorer; ``frnews
eval --set NAME`` runs one, ``--set all`` every one whose folder exists, and ``frnews eval``
with no arguments the seeds only (fast: five articles).  A scorer takes the set's folder
and returns a report with ``format()`` (text) and ``as_dict()`` (JSON).  Adding a set is
one :class:`EvalSet` line: ``score(path, options) -> report``.

- ``seeds``, ``pages``: GUIDE-format gold, every field (:mod:`.guide`);
- ``pages-web``: title, date, snippets kept / removed, per language (:mod:`.pagesweb`);
- ``ftib``: date extraction and value P/R/F1 (:mod:`.ftib`);
- ``hipe``: PER/ORG on historical newspapers (``pipeline.evaluate_hipe.score_hipe``).

A folder with no gold, or inputs matching none of it, is a user mistake: :class:`EvalError`
(``frnews eval`` exits 2 and says what it found), never a perfect score over nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate.common import EvalError, ScorerUnavailable
from pipeline.evaluate.guide import DEFAULT_GOLD, Report, evaluate, line_classes, norm_text

__all__ = ["DEFAULT_GOLD", "SETS", "EvalError", "EvalSet", "Options", "Report", "ScorerUnavailable", "evaluate",
           "line_classes", "norm_text", "run_set"]

DEV = Path("../shared/dev")


@dataclass(frozen=True)
class Options:
    """What ``frnews eval`` passes to a scorer besides the folder."""

    gold_body: bool = False
    gold_published: bool = False
    nlp: object = None


@dataclass(frozen=True)
class EvalSet:
    name: str
    default: Path
    score: Callable[[Path, Options], object]
    doc: str


class _Dict:
    """A scorer that returns a plain dict (``score_hipe``) as a report."""

    def __init__(self, name: str, data: dict, formatter: Callable[[dict], str] | None = None):
        #: ``formatter``: the scorer module's ``format_scores``, when it has one
        self.name, self.data, self.formatter = name, data, formatter

    def as_dict(self) -> dict:
        return {"set": self.name, **self.data}

    def format(self) -> str:
        import json

        text = self.formatter(self.data) if self.formatter else json.dumps(self.data, indent=1, default=str)
        return f"frnews eval [{self.name}]:\n" + text


def _guide(name: str, input_sub: str | None):
    def score(path: Path, opts: Options):
        if input_sub is None:  # the seeds: gold in shared/gold/seeds, input corpus/
            return evaluate(path, [Path("corpus")], nlp=opts.nlp, gold_body=opts.gold_body, name=name,
                            gold_published=opts.gold_published)
        return evaluate(path / "gold", [path / input_sub], nlp=opts.nlp, gold_body=opts.gold_body, name=name,
                        gold_published=opts.gold_published)
    return score


def _pagesweb(path: Path, opts: Options):
    from pipeline.evaluate.pagesweb import evaluate_pagesweb

    return evaluate_pagesweb(path)


def _ftib(path: Path, opts: Options):
    from pipeline.evaluate.ftib import evaluate_ftib

    return evaluate_ftib(path, nlp=opts.nlp)


def _module_scorer(module: str, function: str, name: str, file: str | None = None):
    """A scorer living in another module, imported when the set is run."""
    def score(path: Path, opts: Options):
        try:
            mod = importlib.import_module(module)
            fn = getattr(mod, function)
        except (ImportError, AttributeError) as err:
            raise ScorerUnavailable(f"the {name} scorer ({module}.{function}) is not available: {err}") from None
        return _Dict(name, fn(path / file if file else path, nlp=opts.nlp), getattr(mod, "format_scores", None))
    return score


SETS: dict[str, EvalSet] = {s.name: s for s in (
    EvalSet("seeds", DEFAULT_GOLD, _guide("seeds", None), "the five seed articles (corpus/), every GUIDE field"),
    EvalSet("pages", DEV / "pages", _guide("pages", "raw"), "real French page dumps, every GUIDE field"),
    EvalSet("pages-web", DEV / "pages-web", _pagesweb, "web pages of 33 languages: title, date, snippets"),
    EvalSet("ftib", DEV / "ftib", _ftib, "French regional news: date extraction and values"),
    EvalSet("hipe", DEV / "hipe", _module_scorer("pipeline.evaluate_hipe", "score_hipe", "hipe", "ner_dev.jsonl"),
            "historical newspapers: PER/ORG"),
)}


def run_set(name: str, path: Path | None = None, opts: Options = Options()):
    """Score one registered set (its default folder unless ``path``)."""
    s = SETS[name]
    folder = Path(path) if path is not None else s.default
    if not folder.exists():
        raise EvalError(f"{name}: folder {folder} not found")
    return s.score(folder, opts)
