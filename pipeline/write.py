"""Export: rows of the output tables → CSV and Parquet.

Rows are built from the output contract (:mod:`pipeline.contract`); the run store keeps
them, and ``export_chunks`` streams rows (tuples in column order, as the run store
  hands them over) into ``<table>.csv`` (UTF-8 with
  BOM, so Excel shows accents; cells that a spreadsheet would read as a formula
  are neutralised, per OWASP's CSV-injection guidance) and into a partitioned
  Parquet dataset ``<table>.parquet/part-NNNNN.parquet`` (exact text).  Each
  file is written to a temporary name and renamed into place, so a killed run
  never leaves a half-written table behind; a format not asked for this time
  (``--format csv`` after a run that wrote both) is removed, so every table in the
  folder is this run's.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.contract import Table

#: A CSV cell starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PARQUET_ROWS_PER_PART = 50_000

_ARROW_TYPES = {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}


def schema(table: Table) -> pa.Schema:
    return pa.schema([(c.name, _ARROW_TYPES[c.type]) for c in table.columns])


def csv_safe(value: object) -> str:
    """A cell value as CSV text, neutralised against formula injection.

    Numbers are written as they are; a text cell whose first character is one
    of ``= + - @ TAB CR`` gets a leading apostrophe (and a TAB/CR is also
    visible as such), which spreadsheets display but never evaluate.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours (PermissionError), or the platform cannot tell
        return True
    return True


def sweep_leftovers(target: Path) -> list[Path]:
    """Remove the temporary copies of ``target`` left by a killed export (``.name.tmp-PID``,
    ``.name.old-PID`` of a process that no longer runs, or of this one); returns them."""
    removed = []
    for p in target.parent.glob(f".{target.name}.*-*"):
        kind, _, pid = p.name[len(target.name) + 2:].rpartition("-")
        if kind not in ("tmp", "old") or not pid.isdigit():
            continue
        if int(pid) != os.getpid() and _pid_alive(int(pid)):
            continue
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        removed.append(p)
    return removed


def _atomic_dir(target: Path) -> Path:
    sweep_leftovers(target)
    return target.with_name(f".{target.name}.tmp-{os.getpid()}")


def _replace(tmp: Path, target: Path) -> None:
    """Move ``tmp`` onto ``target`` (file or folder) as atomically as the OS allows."""
    if tmp.is_dir():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        if old.exists():
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    else:
        os.replace(tmp, target)


def _csv_column(values: Sequence, typ: str) -> Sequence:
    """One column's cells as ``csv_safe`` writes them (ints and None go to the csv module as they are)."""
    if typ == "string":
        return [v if v is None or not v.startswith(FORMULA_PREFIXES) else "'" + v for v in values]
    if typ == "int":
        return values
    return [csv_safe(None if v is None else (bool(v) if typ == "bool" else float(v))) for v in values]


def _arrow_column(values: Sequence, typ: str) -> pa.Array:
    if typ == "bool":  # stored as 0/1 in the run store
        return pa.array([None if v is None else bool(v) for v in values], pa.bool_())
    return pa.array(values, _ARROW_TYPES[typ])


def export_chunks(table: Table, chunks: Iterable[Sequence[tuple]], out_dir: Path, *, csv_out: bool = True,
                  parquet_out: bool = True, rows_per_part: int = PARQUET_ROWS_PER_PART) -> int:
    """Stream chunks of rows (tuples in the table's column order) into CSV and Parquet.

    Work is done a column at a time (one list comprehension per column for the
    CSV cells, one ``pa.array`` per column for Parquet): several times faster
    than converting cell by cell.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    cols = table.names()
    types = [c.type for c in table.columns]
    sch = schema(table)
    csv_path = out_dir / f"{table.name}.csv"
    pq_dir = out_dir / f"{table.name}.parquet"
    csv_tmp = _atomic_dir(csv_path)
    pq_tmp = _atomic_dir(pq_dir)
    if parquet_out:
        pq_tmp.mkdir(parents=True)
    n = 0
    part = 0
    buf: list[tuple] = []

    def flush(rows: list[tuple]) -> None:
        nonlocal part
        if not rows and part > 0:
            return
        columns = list(zip(*rows)) if rows else [()] * len(cols)
        tbl = pa.Table.from_arrays([_arrow_column(c, t) for c, t in zip(columns, types)], schema=sch)
        pq.write_table(tbl, pq_tmp / f"part-{part:05d}.parquet", compression="zstd")
        part += 1

    fh = open(csv_tmp, "w", encoding="utf-8-sig", newline="") if csv_out else None
    try:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL) if fh else None
        if writer:
            writer.writerow(cols)
        for chunk in chunks:
            if not chunk:
                continue
            if writer:
                columns = list(zip(*chunk))
                writer.writerows(zip(*[_csv_column(c, t) for c, t in zip(columns, types)]))
            n += len(chunk)
            if parquet_out:
                buf.extend(chunk)
                while len(buf) >= rows_per_part:
                    flush(buf[:rows_per_part])
                    buf = buf[rows_per_part:]
        if parquet_out:
            flush(buf)
    finally:
        if fh:
            fh.close()
    if csv_out:
        _replace(csv_tmp, csv_path)
    if parquet_out:
        _replace(pq_tmp, pq_dir)
    for wanted, path in ((csv_out, csv_path), (parquet_out, pq_dir)):
        if not wanted and path.exists():  # an earlier run's other format: stale, never mixed with this run's
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    return n


def iter_csv_rows(path: Path) -> Iterator[dict]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # bodies can exceed the 128 KiB default
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)
