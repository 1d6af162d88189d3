"""Scaling: frnews words per second with 1 to N workers, and the speed-up per worker.

Each point runs in a fresh Python process over the same synthetic clean dump
(``benchmarks/dumps.py``), model loading included, with the local engine or Dask (a
LocalCluster of N single-threaded worker processes).  The last line is machine-readable::

    engine=local cores=2 w1=… w2=… speedup_2=… per_worker_2=…

``per_worker_N`` is the speed-up divided by N (1.0 is perfect scaling).  On a machine
with C cores, points beyond C show the cost of oversubscription, not more speed.

Usage: ``python benchmarks/scaling.py [--articles 2000] [--max-workers N] [--engine local|dask]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dumps import build_dump  # noqa: E402 - benchmarks/dumps.py


def one_run(dump: Path, out: Path, workers: int, engine: str) -> float:
    code = ("import time;t=time.perf_counter();from pathlib import Path;from pipeline.runner import RunOptions,run;"
            f"run(RunOptions(inputs=(Path({str(dump)!r}),),out=Path({str(out)!r}),workers={workers},"
            f"engine={engine!r},force=True,progress='none'));print(time.perf_counter()-t)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        raise RuntimeError(res.stderr[-2000:])
    return float(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--max-workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--engine", choices=("local", "dask"), default="local")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.jsonl"
        words = build_dump(dump, args.articles)
        speed = {}
        for w in range(1, args.max_workers + 1):
            t0 = time.perf_counter()
            secs = one_run(dump, Path(tmp) / f"out{w}", w, args.engine)
            speed[w] = words / secs
            print(f"{w} worker(s): {speed[w]:,.0f} words/s ({secs:.1f} s; wall with start-up "
                  f"{time.perf_counter() - t0:.1f} s), speed-up {speed[w] / speed[1]:.2f}, "
                  f"per worker {speed[w] / speed[1] / w:.2f}", flush=True)
        figs = [f"engine={args.engine}", f"cores={os.cpu_count()}"]
        figs += [f"w{w}={v:.0f}" for w, v in speed.items()]
        figs += [f"speedup_{w}={speed[w] / speed[1]:.3f} per_worker_{w}={speed[w] / speed[1] / w:.3f}"
                 for w in speed if w > 1]
        print(" ".join(figs))


if __name__ == "__main__":
    main()
