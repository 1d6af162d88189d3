"""What every development-set scorer shares: normalisation, P/R/F1 tallies, the dump pre-passes.

The normalisations are the ones of the independent scorers in ``../shared/tools/`` (the
project is held to them): ``title_norm`` for headlines, ``line_norm`` for raw lines, ``fold``
for the snippets of ``pages-web/``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.process import Config, prepare
from pipeline.records import RawRecord


class EvalError(Exception):
    """A user mistake (an empty or wrong folder, no article matching the gold): exit code 2."""


class ScorerUnavailable(EvalError):
    """A registered set whose scorer module is not installed yet: skipped by ``--set all``."""


def title_norm(s: str | None) -> str:
    """Headline equality ignoring case, accents, quotes and punctuation."""
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", s).split())


#: pages-web snippets are folded like titles before the substring test
fold = title_norm


def line_norm(s: str | None) -> str:
    s = unicodedata.normalize("NFC", s or "").replace("’", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip()


@dataclass
class Tally:
    """Micro-averaged counts: true positives, predicted, gold."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, tp: int, pred: int, gold: int) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else (1.0 if not self.pred else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict:
        return {"p": round(self.precision, 3), "r": round(self.recall, 3), "f1": round(self.f1, 3),
                "tp": self.tp, "pred": self.pred, "gold": self.gold}


@dataclass
class Accuracy:
    """Title or date accuracy over the gold items that give one; ``wrong`` = a value that is not the gold's."""

    ok: int = 0
    wrong: int = 0
    n: int = 0

    def add(self, got: str, gold: str) -> None:
        self.n += 1
        self.ok += int(got == gold)
        self.wrong += int(bool(got) and got != gold)

    @property
    def missing(self) -> int:
        return self.n - self.ok - self.wrong

    def row(self) -> dict:
        acc = round(self.ok / self.n, 3) if self.n else None
        wrong = round(self.wrong / self.n, 3) if self.n else None
        return {"accuracy": acc, "wrong": wrong, "ok": self.ok, "n_wrong": self.wrong,
                "n_missing": self.missing, "n": self.n}

    def text(self) -> str:
        if not self.n:
            return "n/a (no gold)"
        return (f"{self.ok / self.n:.3f} ({self.ok}/{self.n}; wrong {self.wrong}, "
                f"missing {self.missing})")


def dump_chrome(records: Iterable[RawRecord], cfg: Config = Config()) -> frozenset[str]:
    """The dump-level chrome pre-pass over ``records``, as ``frnews run`` does it on the same inputs."""
    from pipeline.passes.chrome import ChromeLearner
    from pipeline.settings import load_settings

    if not cfg.clean_text:
        return frozenset()
    learner = ChromeLearner(load_settings(cfg.config)["clean"])
    seen: set[bytes] = set()
    for rec in records:
        if rec.text:
            h = hashlib.blake2b(rec.text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
            if h not in seen:
                seen.add(h)
                learner.add(rec.text)
    return learner.result()


def prepare_all(records: list[RawRecord], cfg: Config = Config()):
    """The prepare phase (decode, clean, metadata: no model) of every record, with the dump's chrome."""
    chrome = dump_chrome(records, cfg)
    return [prepare(r, chrome=chrome, cfg=cfg).article for r in records]
