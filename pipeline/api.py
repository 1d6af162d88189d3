"""The library surface, for notebooks and other programs.

    >>> import pipeline
    >>> t = pipeline.process_texts(["Le Sénégal a signé lundi un accord ..."], published="2024-03-04")
    >>> t.mentions[["kind", "text", "value"]]
    >>> res = pipeline.run(["dump.jsonl"], out="outputs/", workers=2)

``process_texts`` runs every stage in memory and returns the contract's tables as pandas
DataFrames (same columns and types as the CSV/Parquet output); ``run`` is ``frnews run``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pipeline.contract import CONTRACT, Contract
from pipeline.process import Config, process_batch
from pipeline.records import RawRecord


@dataclass(frozen=True)
class Tables:
    """The output tables as DataFrames."""

    articles: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame
    clusters: pd.DataFrame

    def __getitem__(self, name: str) -> pd.DataFrame:
        return getattr(self, name)


_DTYPES = {"string": "string", "int": "Int64", "float": "Float64", "bool": "boolean"}


def _frame(contract: Contract, name: str, rows: list[tuple]) -> pd.DataFrame:
    table = contract[name]
    df = pd.DataFrame.from_records(rows, columns=table.names())
    return df.astype({c.name: _DTYPES[c.type] for c in table.columns})


def process_texts(texts: Iterable[str], *, published: str | date | Sequence[str | date | None] | None = None,
                  ids: Sequence[str] | None = None, titles: Sequence[str | None] | None = None,
                  clean: bool = True, config: Path | None = None, rules: Path | None = None) -> Tables:
    """Process article texts in memory; returns the articles, mentions and events tables.

    ``published`` is one date for every text or one per text (ISO strings or dates);
    ``ids`` default to ``text-1``, ``text-2``...; ``clean=False`` keeps every line as body.
    """
    texts = list(texts)
    n = len(texts)
    if published is None or isinstance(published, (str, date)):
        pubs = [published] * n
    else:
        pubs = list(published)
    ids = list(ids) if ids is not None else [f"text-{i + 1}" for i in range(n)]
    titles = list(titles) if titles is not None else [None] * n
    if not (len(pubs) == len(ids) == len(titles) == n):
        raise ValueError("published, ids and titles must have one entry per text")
    records = [RawRecord(article_id=i, source="process_texts", text=t, title=ti,
                         published=p.isoformat() if isinstance(p, date) else p)
               for i, t, ti, p in zip(ids, texts, titles, pubs)]
    articles = process_batch(records, cfg=Config(clean_text=clean, config=config, rules=rules)) if records else []
    articles, clusters = _clustered(articles, config)
    rows = {name: [r for a in articles for r in CONTRACT[name].rows(a)] for name in CONTRACT}
    rows["clusters"] = clusters
    return Tables(**{name: _frame(CONTRACT, name, rows[name]) for name in CONTRACT})


def _clustered(articles: list, config: Path | None) -> tuple[list, list[tuple]]:
    """The articles with their events' ``cluster_id``, and the clusters rows (the ``clusters``
    post-pass of a run, in memory)."""
    from dataclasses import replace

    from pipeline.passes.clusters import Ev, Params, cluster_events, site_of
    from pipeline.settings import load_settings

    evs = []
    for a in articles:
        for e in a.events:
            x = dict(e.extra)
            evs.append(Ev(e.event_id, a.article_id, e.event_type, e.date, e.actors, e.countries, e.sentence,
                          x.get("polarity"), x.get("modality"), a.published, site_of(a.url, a.source)))
    ids, rows = cluster_events(evs, Params.of(load_settings(config)))
    out = []
    for a in articles:
        if a.events:
            a = replace(a, events=tuple(
                replace(e, extra=(*(kv for kv in e.extra if kv[0] != "cluster_id"), ("cluster_id", ids[e.event_id])))
                for e in a.events))
        out.append(a)
    return out, rows


def run(inputs: Sequence[str | Path] = ("corpus",), out: str | Path = "outputs", **options):
    """``frnews run`` as a function: ``options`` are :class:`pipeline.runner.RunOptions` fields
    (``workers``, ``clean``, ``force``, ``engine``, ``config``, ``rules``, ``csv``, ``parquet``...)."""
    from pipeline.runner import RunOptions
    from pipeline.runner import run as _run

    options.setdefault("progress", "none")
    return _run(RunOptions(inputs=tuple(Path(p) for p in inputs), out=Path(out), **options))
