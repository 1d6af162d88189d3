"""The analysts' files written beside the tables: the Excel workbook and the HTML report.

:func:`write_extras` takes the rows of each contract table once (``chunks_of(name)``: at the
end of a run, the run store's rows; for ``frnews report``, the exported tables read back by
:func:`read_table`) and feeds them to the workbook writer and to the report's aggregator in
one pass.  Both stay in flat memory: the workbook is written in constant-memory mode and the
report keeps only counts and a bounded number of examples.
"""

from __future__ import annotations

import csv
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from pipeline.contract import Contract, Table
from pipeline.write import sweep_leftovers

log = logging.getLogger(__name__)

ChunksOf = Callable[[str], Iterable[Sequence[tuple]]]


def write_extras(out: Path, contract: Contract, chunks_of: ChunksOf, *, xlsx: bool = True, report: bool = True,
                 lang: str = "fr", meta: dict | None = None) -> dict[str, float]:
    """Write ``out/frnews.xlsx`` and/or ``out/report.html``; returns the seconds each took."""
    from pipeline.export.xlsx import WORKBOOK_NAME, WorkbookWriter
    from pipeline.report import REPORT_NAME, Aggregator, render

    timings: dict[str, float] = {}
    if not (xlsx or report):
        return timings
    agg = Aggregator(contract) if report else None
    wb = WorkbookWriter(out / WORKBOOK_NAME, contract) if xlsx else None
    t_wb = t_agg = 0.0

    def fed(table: Table, chunks: Iterable[Sequence[tuple]]) -> Iterator[Sequence[tuple]]:
        nonlocal t_agg
        for chunk in chunks:
            if agg is not None:
                t = time.perf_counter()
                agg.add(table.name, chunk)
                t_agg += time.perf_counter() - t
            yield chunk

    try:
        for name in contract:
            t = time.perf_counter()
            t_in = t_agg
            if wb is not None:
                wb.write_table(contract[name], fed(contract[name], chunks_of(name)))
            else:
                for _ in fed(contract[name], chunks_of(name)):
                    pass
            t_wb += time.perf_counter() - t - (t_agg - t_in)
        if wb is not None:
            t = time.perf_counter()
            wb.close()
            t_wb += time.perf_counter() - t
            timings["xlsx"] = round(t_wb, 3)
            if any(lg.cut_count or len(lg.parts) > 1 for lg in wb.logs.values()):
                log.info("workbook: %s", "; ".join(
                    f"{n}: {lg.cut_count} cell(s) cut, {len(lg.parts)} sheet(s)" for n, lg in wb.logs.items()))
    except BaseException:
        if wb is not None:
            wb.abort()
        raise
    if agg is not None:
        t = time.perf_counter()
        path = out / REPORT_NAME
        sweep_leftovers(path)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_text(render(agg, lang=lang, meta=meta or {}), encoding="utf-8", errors="replace")
        tmp.replace(path)
        timings["report"] = round(t_agg + time.perf_counter() - t, 3)
    return timings


def extras_from_store(path: Path, contract: Contract, run_id: str, out: Path, xlsx: bool, report: bool,
                      lang: str, meta: dict) -> dict[str, float]:
    """:func:`write_extras` over run ``run_id`` of the run store at ``path``, on a read-only
    connection of its own (what the side process of a run with several workers does)."""
    from pipeline.store import Store

    store = Store.reader(path, contract)
    try:
        return write_extras(out, contract, lambda name: store.chunks(name, run_id), xlsx=xlsx, report=report,
                            lang=lang, meta=meta)
    finally:
        store.close()


# -- the exported tables read back (for ``frnews report`` on an output folder) ---------------

def _from_csv_cell(value: str, typ: str):
    if value == "":
        return None
    if typ == "int":
        return int(value)
    if typ == "float":
        return float(value)
    if typ == "bool":
        return value == "true"
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):  # undo the CSV neutralisation
        return value[1:]
    return value


def read_table(out: Path, table: Table, size: int = 2000) -> Iterator[list[tuple]]:
    """Rows of ``table`` from ``out`` (its Parquet folder, else its CSV) in the contract's column
    order, in chunks; a column the files lack is ``None``.  Nothing when neither exists."""
    names = table.names()
    pq_dir = out / f"{table.name}.parquet"
    if pq_dir.is_dir():
        import pyarrow.parquet as pq

        for part in sorted(pq_dir.glob("*.parquet")):
            f = pq.ParquetFile(part)
            have = [n for n in names if n in f.schema_arrow.names]
            for batch in f.iter_batches(batch_size=size, columns=have):
                cols = {n: batch.column(n).to_pylist() for n in have}
                empty = [None] * batch.num_rows
                yield list(zip(*(cols.get(n, empty) for n in names)))
        return
    path = out / f"{table.name}.csv"
    if not path.exists():
        return
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    types = [c.type for c in table.columns]
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        at = [header.index(n) if n in header else None for n in names]
        chunk: list[tuple] = []
        for rec in reader:
            chunk.append(tuple(None if i is None or i >= len(rec) else _from_csv_cell(rec[i], t)
                               for i, t in zip(at, types)))
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
