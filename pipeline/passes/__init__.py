"""Dump-level passes: work over the whole dump, before or after the per-article stages.

- A **pre-pass** sees every raw record of the dump before any is processed (in the parent
  process, streaming) and hands the per-article stages one context input: today's only
  pre-pass learns the lines that recur across the dump (site chrome) for the clean stage.
  It also names, for each record, the part of its result that record depends on, which
  goes into the record's cache key (an article whose chrome lines changed is recomputed).
- A **post-pass** runs after every article of the run is in the run store and reads the
  results from there (so an incremental run does not recompute cached articles); it may
  add or update rows of contract tables in the store before the export: the
  ``clusters`` pass (:mod:`pipeline.passes.clusters`) links the events that report the
  same real event across articles and writes the ``clusters`` table.

Adding a pass is one class here (or in a module of this package) and one line in
:data:`PREPASSES` or :data:`POSTPASSES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pipeline.passes import clusters
from pipeline.passes.chrome import ChromeLearner, touched


class Learner(Protocol):
    def add(self, text: str) -> None: ...
    def result(self) -> Any: ...


@dataclass(frozen=True)
class PrePass:
    name: str
    #: the context input the result is given to the stages as (see pipeline.context.INPUTS)
    provides: str
    #: ``make(settings) -> Learner``
    make: Callable[[Any], Learner]
    #: the value the stages get when the pass does not run (``--no-clean`` for chrome)
    empty: Any
    #: ``key_part(text, result) -> str``: what of the result one record depends on (its cache key)
    key_part: Callable[[str, Any], str]
    #: ``enabled(config) -> bool``
    enabled: Callable[[Any], bool] = lambda cfg: True


@dataclass(frozen=True)
class PostPass:
    name: str
    #: ``run(store, run_id, settings) -> dict`` (a summary for run.json)
    run: Callable[[Any, str, Any], dict]


PREPASSES: tuple[PrePass, ...] = (
    PrePass("chrome", provides="chrome", make=lambda settings: ChromeLearner(settings["clean"]), empty=frozenset(),
            key_part=lambda text, chrome: "\x1e".join(touched(text, chrome)),
            enabled=lambda cfg: cfg.clean_text),
)

POSTPASSES: tuple[PostPass, ...] = (
    PostPass("clusters", run=clusters.run),
)
