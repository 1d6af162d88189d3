"""Throughput and memory of frnews against bare spaCy, on the same machine in the same run.

Two synthetic dumps are built from ``corpus/`` (``benchmarks/dumps.py``, fixed seed):
"clean" (paragraphs shuffled across articles: text as a clean feed gives it) and
"pages" (the same kind of articles wrapped in scraped-page chrome: menus, consent
banners, bylines, share rows, teasers, comment threads, footers).  On each, the script
measures words per second of the raw input, i.e. of exactly the text a user feeds in:

- bare spaCy: ``nlp.pipe`` of the same model with only ``ner`` enabled (the
  fastest way to get the model's entities) over each record's whole text,
  ``n_process`` 1 and 2;
- frnews: ``pipeline.runner.run`` on the same dump (boilerplate, metadata,
  model, every extraction stage, the run store and the CSV/Parquet export),
  ``--workers`` 1 and 2, ``--force``; and its milliseconds per article by stage
  (from ``run.json``);

then peak memory (max RSS of a fresh process running frnews with one worker)
on N/10 and N clean articles.  Every timing runs in a fresh Python process, so that
neither side finds a model or a table already loaded by an earlier one.  The last line is
machine-readable (the ``pages_`` figures are the page dumps')::

    ratio_1w=… ratio_2w=… speedup_2w=… speedup_2w_bare=… cpu_ratio_1w=… cpu_ratio_2w=…
    pages_ratio_1w=… pages_ratio_2w=… … mem_10k_over_1k=…

(the ``cpu_ratio`` figures compare CPU seconds of all the processes of each side
instead of wall time: a cross-check on a shared machine, where the wall time
also counts time the CPU was given to other tenants).

Usage: ``python benchmarks/throughput.py [--articles 10000] [--repeat 1] [--input clean|pages|both]
[--skip-memory]``.  Model loading is included in every timing (both sides load once per
process).  On a shared or virtual machine the speed drifts during a run: ``--repeat R``
times each side R times in alternating order and keeps the best of each.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dumps import DUMPS, build_dump  # noqa: E402 - benchmarks/dumps.py


def bare_spacy(dump: Path, n_process: int, model: str) -> float:
    """Seconds for bare NER-only ``nlp.pipe`` over the dump, model load included (this process)."""
    t0 = time.perf_counter()
    import spacy
    from spacy.util import get_package_path, load_meta

    components = load_meta(get_package_path(model) / "meta.json")["components"]
    nlp = spacy.load(model, exclude=[c for c in components if c != "ner"])
    texts = (json.loads(line)["text"] for line in dump.open(encoding="utf-8"))
    for _ in nlp.pipe(texts, batch_size=16, n_process=n_process):
        pass
    return time.perf_counter() - t0


def frnews_run(dump: Path, workers: int, out: Path, model: str) -> float:
    """Seconds for a full frnews run over the dump, model and rule loading included (this process)."""
    t0 = time.perf_counter()
    from pipeline.runner import RunOptions, run

    run(RunOptions(inputs=(dump,), out=out, workers=workers, force=True, progress="none", model=model))
    return time.perf_counter() - t0


def timed(side: str, dump: Path, workers: int, model: str, out: Path) -> tuple[float, float]:
    """Run one side in a fresh Python process (nothing loaded or cached beforehand).

    Returns its wall seconds and the CPU seconds (user + system) of that process and
    of the worker processes it started.  On a shared machine the wall time also
    counts time the CPU was given to others; the CPU time mostly does not.
    """
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", side, "--dump", str(dump),
           "--workers", str(workers), "--model", model, "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        raise RuntimeError(f"{side} run failed:\n{res.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return float(res.stdout.strip().splitlines()[-1]), cpu


def peak_memory_mb(dump: Path, out: Path) -> float:
    """Max RSS (MB) of a fresh process running frnews with one worker on ``dump``."""
    code = ("import resource,sys;from pathlib import Path;from pipeline.runner import RunOptions,run;"
            f"run(RunOptions(inputs=(Path({str(dump)!r}),),out=Path({str(out)!r}),workers=1,force=True,"
            "progress='none'));print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return int(res.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10_000, help="articles in the synthetic dump")
    ap.add_argument("--model", default="fr_core_news_md")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time each side this many times, alternating, and keep the best (timeit's rule)")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--input", choices=("clean", "pages", "both"), default="both",
                    help="clean article text, whole scraped pages, or both (default)")
    ap.add_argument("--child", choices=("bare", "frnews"), help=argparse.SUPPRESS)
    ap.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "bare":
        print(bare_spacy(args.dump, args.workers, args.model))
        return
    if args.child == "frnews":
        print(frnews_run(args.dump, args.workers, args.out, args.model))
        return
    inputs = ("clean", "pages") if args.input == "both" else (args.input,)
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        figures: dict[str, str] = {}
        for kind in inputs:
            dump = tmpd / f"{kind}.jsonl"
            words = DUMPS[kind](dump, args.articles)
            print(f"{kind} dump ({DESCRIPTIONS[kind]}): {args.articles} articles, {words} words", flush=True)
            prefix = "" if kind == "clean" else f"{kind}_"
            for name, value in measure(dump, words, args, tmpd / kind).items():
                figures[prefix + name] = f"{value:.3f}"
        if not args.skip_memory:
            small = tmpd / "small.jsonl"
            build_dump(small, max(1, args.articles // 10))
            m_small = peak_memory_mb(small, tmpd / "mem_small")
            m_big = peak_memory_mb(_clean_dump(tmpd, args.articles), tmpd / "mem_big")
            figures["mem_10k_over_1k"] = f"{m_big / m_small:.3f}"
            print(f"peak memory: {m_small:.0f} MB at {args.articles // 10} articles, "
                  f"{m_big:.0f} MB at {args.articles} articles")
        print(" ".join(f"{k}={v}" for k, v in figures.items()))


DESCRIPTIONS = {"clean": "clean article text", "pages": "whole scraped pages: menus, consent, comments, footers"}


def _clean_dump(tmpd: Path, n: int) -> Path:
    dump = tmpd / "clean.jsonl"
    if not dump.exists():
        build_dump(dump, n)
    return dump


def measure(dump: Path, words: int, args, outd: Path) -> dict[str, float]:
    """Both sides at 1 and 2 workers on one dump: words/s ratios, CPU ratios, speed-ups."""
    res, cpu = {}, {}
    for w in (1, 2):
        bare_t, frnews_t = [], []
        bare_c, frnews_c = [], []
        for r in range(args.repeat):
            # alternate the order so that a drift of the machine's speed hits both sides alike
            order = ("bare", "frnews") if r % 2 == 0 else ("frnews", "bare")
            for side in order:
                secs, cpus = timed(side, dump, w, args.model, outd / f"out{w}")
                (bare_t if side == "bare" else frnews_t).append(secs)
                (bare_c if side == "bare" else frnews_c).append(cpus)
        res[f"bare_{w}"] = words / min(bare_t)
        res[f"frnews_{w}"] = words / min(frnews_t)
        cpu[w] = min(bare_c) / min(frnews_c)
        runs = "" if args.repeat == 1 else (f" (best of {args.repeat}: bare "
                                             + ", ".join(f"{words / t:,.0f}" for t in bare_t) + "; frnews "
                                             + ", ".join(f"{words / t:,.0f}" for t in frnews_t) + ")")
        print(f"  {w} worker(s): bare spaCy NER {res[f'bare_{w}']:,.0f} words/s, "
              f"frnews {res[f'frnews_{w}']:,.0f} words/s, ratio {res[f'frnews_{w}'] / res[f'bare_{w}']:.2f}"
              + runs, flush=True)
        print(f"     CPU seconds (all processes): bare {min(bare_c):,.0f}, frnews {min(frnews_c):,.0f}, "
              f"ratio {cpu[w]:.2f}", flush=True)
        manifest = json.loads((outd / f"out{w}" / "run.json").read_text(encoding="utf-8"))
        print("     frnews ms per article by stage: "
              + ", ".join(f"{k} {v:.2f}" for k, v in manifest["stage_ms_per_article"].items()), flush=True)
        t = manifest["timings"]
        print(f"     frnews seconds outside the stages: clusters post-pass {t.get('postpass', 0):.2f}, "
              f"CSV/Parquet {t.get('export', 0):.2f}, workbook {t.get('xlsx', 0):.2f}, report {t.get('report', 0):.2f}"
              + (" (workbook and report in a side process, beside the export)" if w >= 2 else ""), flush=True)
    return {"ratio_1w": res["frnews_1"] / res["bare_1"], "ratio_2w": res["frnews_2"] / res["bare_2"],
            "speedup_2w": res["frnews_2"] / res["frnews_1"], "speedup_2w_bare": res["bare_2"] / res["bare_1"],
            "cpu_ratio_1w": cpu[1], "cpu_ratio_2w": cpu[2]}


if __name__ == "__main__":
    main()
