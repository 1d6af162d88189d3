"""Does a change leave the output unchanged?  Run the whole pipeline on ``corpus/`` and on
every development set, then compare two such snapshots table by table, row by row.

    python scripts/same_output.py snapshot OUT [--code ROOT]   # ROOT: a checkout (default: this one)
    python scripts/same_output.py compare BEFORE AFTER

A snapshot of an older commit: ``git worktree add /tmp/base <commit>`` then
``python scripts/same_output.py snapshot /tmp/before --code /tmp/base`` (the checkout's own
``pipeline`` package is imported, with this virtualenv's libraries).

``compare`` reads the CSV tables of each set (every column, exact text) and prints, per set
and table, ``same`` or the number of rows that differ with the first differences; it exits 1
when any table differs.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DEV = HERE.parent / "shared" / "dev"

#: set name -> (inputs, extra run options); the options the before-stop hook uses too
SETS = {
    "corpus": ([HERE / "corpus"], []),
    "pages": ([DEV / "pages" / "raw"], []),
    "pages-web": ([DEV / "pages-web" / "pages"], []),
    "ftib": ([DEV / "ftib" / "articles.jsonl"], ["--no-clean"]),
    "hipe": ([DEV / "hipe" / "ner_dev.jsonl"], ["--no-clean"]),
}
TABLES = ("articles", "mentions", "events")


def snapshot(out: Path, code: Path, workers: int) -> None:
    env = dict(os.environ, PYTHONPATH=str(code))
    for name, (inputs, extra) in SETS.items():
        present = [p for p in inputs if p.exists()]
        if not present:
            print(f"{name}: not found, skipped", file=sys.stderr)
            continue
        cmd = [sys.executable, "-m", "pipeline.cli", "run", *map(str, present), "--out", str(out / name),
               "--force", "-q", "--workers", str(workers), "--format", "csv", *extra]
        print(f"{name}: {' '.join(cmd[2:])}", file=sys.stderr)
        subprocess.run(cmd, cwd=code, env=env, check=False)


def _rows(path: Path) -> list[list[str]]:
    csv.field_size_limit(2**31 - 1)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def compare(a: Path, b: Path) -> int:
    bad = 0
    for name in SETS:
        for table in TABLES:
            pa, pb = a / name / f"{table}.csv", b / name / f"{table}.csv"
            if not pa.exists() and not pb.exists():
                continue
            if not (pa.exists() and pb.exists()):
                print(f"{name}/{table}: only in {'before' if pa.exists() else 'after'}")
                bad += 1
                continue
            ra, rb = _rows(pa), _rows(pb)
            if ra == rb:
                print(f"{name}/{table}: same ({len(ra) - 1} rows, {len(ra[0])} columns)")
                continue
            bad += 1
            diff = [i for i in range(max(len(ra), len(rb))) if (ra[i] if i < len(ra) else None)
                    != (rb[i] if i < len(rb) else None)]
            print(f"{name}/{table}: DIFFERENT ({len(ra) - 1} vs {len(rb) - 1} rows, {len(diff)} rows differ)")
            for i in diff[:5]:
                x = ra[i] if i < len(ra) else []
                y = rb[i] if i < len(rb) else []
                cols = ra[0]
                changed = [(cols[j] if j < len(cols) else j, x[j] if j < len(x) else None,
                            y[j] if j < len(y) else None)
                           for j in range(max(len(x), len(y))) if (x[j:j + 1] != y[j:j + 1])]
                print(f"   row {i}: " + "; ".join(f"{c}: {u!r:.80} -> {v!r:.80}" for c, u, v in changed[:4]))
    print("ALL SAME" if not bad else f"{bad} table(s) differ")
    return 1 if bad else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("out", type=Path)
    s.add_argument("--code", type=Path, default=HERE)
    s.add_argument("--workers", type=int, default=2)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = p.parse_args()
    if args.cmd == "snapshot":
        snapshot(args.out.resolve(), args.code.resolve(), args.workers)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
