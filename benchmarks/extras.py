"""Memory and time of the workbook (frnews.xlsx) and the report (report.html) at the end of a run.

On the synthetic dump of ``throughput.py`` (N/10 and N articles), each run in a fresh
process with one worker (everything in that process, so its max RSS is the run's peak):

- peak memory of the whole run with the workbook and report on, at N/10 and N articles
  (the target: at N, within 1.2x of the peak at N/10);
- the peak just before the workbook and report are written, so what they add is seen;
- the seconds they take (``run.json`` timings ``xlsx`` and ``report``) beside the run's.

Then, without the model, ``frnews report --xlsx`` alone on the N-article output folder and
on the same tables repeated ten times (10 x N articles): its peak memory and seconds, to show
that they stay flat with the size of the tables.

The last line is machine-readable::

    mem_ratio=… xlsx_s=… report_s=… run_s=… extras_share=… solo_mem_ratio_10x=…

Usage: ``python benchmarks/extras.py [--articles 10000] [--workers 1] [--keep DIR]``;
``python benchmarks/extras.py --solo-from DIR [--solo-times 10,100]`` runs the second part alone on
an output folder kept earlier.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from throughput import build_dump  # noqa: E402

CHILD_RUN = """
import json, resource, sys
from pathlib import Path
import pipeline.runner as runner
seen = {}
real = runner.write_extras
def measured(*a, **k):
    seen["before_extras_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return real(*a, **k)
runner.write_extras = measured
res = runner.run(runner.RunOptions(inputs=(Path(sys.argv[1]),), out=Path(sys.argv[2]), workers=int(sys.argv[3]),
                                   force=True, progress="none"))
seen["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
seen["children_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
seen["timings"] = res.timings
seen["seconds"] = res.seconds
print(json.dumps(seen))
"""

CHILD_SOLO = """
import json, resource, sys, time
from pathlib import Path
from pipeline.contract import CONTRACT
from pipeline.export import read_table, write_extras
out = Path(sys.argv[1])
t = time.perf_counter()
timings = write_extras(out, CONTRACT, lambda n: read_table(out, CONTRACT[n]), xlsx=True, report=True)
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "timings": timings,
                  "seconds": time.perf_counter() - t,
                  "xlsx_mb": (out / "frnews.xlsx").stat().st_size / 2**20,
                  "report_kb": (out / "report.html").stat().st_size / 1024}))
"""


def child(code: str, *args) -> dict:
    res = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        raise RuntimeError(res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def repeat_tables(src: Path, dst: Path, times: int) -> None:
    """``dst``: the Parquet tables of ``src`` repeated ``times`` times (ids suffixed ``~k``), in row
    groups of the run's part size (as ``frnews run`` writes them), streamed to disk."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from pipeline.write import PARQUET_ROWS_PER_PART

    for table_dir in src.glob("*.parquet"):
        out = dst / table_dir.name
        out.mkdir(parents=True)
        tbl = pq.read_table(table_dir)
        with pq.ParquetWriter(out / "part-00000.parquet", tbl.schema, compression="zstd") as w:
            for k in range(times):
                t = tbl
                for col in ("article_id", "event_id"):
                    if col in t.column_names:
                        t = t.set_column(t.column_names.index(col), col,
                                         pc.binary_join_element_wise(t[col], pa.scalar(f"~{k}"), pa.scalar("")))
                w.write_table(t, row_group_size=PARQUET_ROWS_PER_PART)


def solo(folder: Path, tmpd: Path, articles: int, times: list[int]) -> dict[int, dict]:
    """``frnews report --xlsx`` alone (a fresh process, no model) on ``folder``'s tables repeated."""
    out = {}
    for k in times:
        d = tmpd / f"solo{k}"
        repeat_tables(folder, d, k)
        s = out[k] = child(CHILD_SOLO, d)
        print(f"frnews report --xlsx alone on {k} x {articles} articles: {s['seconds']:.1f}s "
              f"(workbook {s['timings']['xlsx']:.1f}s, report {s['timings']['report']:.1f}s), peak memory "
              f"{s['peak_mb']:.0f} MB, frnews.xlsx {s['xlsx_mb']:.1f} MB, report.html {s['report_kb']:.0f} KB",
              flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=None, help="keep the N-article output folder here")
    ap.add_argument("--solo-from", type=Path, default=None, metavar="DIR",
                    help="only the second part: frnews report --xlsx alone on DIR's tables, repeated --solo-times")
    ap.add_argument("--solo-times", default="1,10", help="repetitions for --solo-from (default 1,10)")
    args = ap.parse_args()
    if args.solo_from:
        n = json.loads((args.solo_from / "run.json").read_text(encoding="utf-8"))["records"]
        with tempfile.TemporaryDirectory() as tmp:
            res = solo(args.solo_from, Path(tmp), n, [int(x) for x in args.solo_times.split(",")])
        first, last = min(res), max(res)
        print(f"solo_mem_ratio_{last}x_over_{first}x={res[last]['peak_mb'] / res[first]['peak_mb']:.3f}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        results = {}
        for n in (max(1, args.articles // 10), args.articles):
            dump = tmpd / f"dump{n}.jsonl"
            words = build_dump(dump, n)
            out = (args.keep if args.keep and n == args.articles else tmpd / f"out{n}")
            r = results[n] = child(CHILD_RUN, dump, out, args.workers)
            t = r["timings"]
            print(f"{n} articles ({words} words): run {r['seconds']:.1f}s, of which workbook {t.get('xlsx', 0):.2f}s "
                  f"and report {t.get('report', 0):.2f}s (CSV and Parquet export {t['export']:.2f}s); "
                  f"peak memory {r['peak_mb']:.0f} MB ({r['before_extras_mb']:.0f} MB before the workbook and report)"
                  + (f", worker processes' peak {r['children_peak_mb']:.0f} MB" if args.workers > 1 else ""),
                  flush=True)
        small, big = results[max(1, args.articles // 10)], results[args.articles]
        mem_ratio = big["peak_mb"] / small["peak_mb"]
        print(f"peak memory {small['peak_mb']:.0f} MB -> {big['peak_mb']:.0f} MB ({mem_ratio:.3f}x) with the "
              f"workbook and report on")
        big_out = args.keep or tmpd / f"out{args.articles}"
        solos = solo(big_out, tmpd, args.articles, [1, 10])
        t = big["timings"]
        extras = t.get("xlsx", 0) + t.get("report", 0)
        print(f"mem_ratio={mem_ratio:.3f} xlsx_s={t.get('xlsx', 0):.2f} report_s={t.get('report', 0):.2f} "
              f"run_s={big['seconds']:.1f} extras_share={extras / big['seconds']:.3f} "
              f"solo_mem_ratio_10x={solos[10]['peak_mb'] / solos[1]['peak_mb']:.3f}")


if __name__ == "__main__":
    main()
