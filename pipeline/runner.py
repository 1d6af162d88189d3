"""Run the pipeline over a dump: streaming, in batches, on every core, incrementally.

Data flow of one run::

    inputs ──read──▶ pre-passes (count records; pipeline.passes: learn dump chrome)
           ──read──▶ batches ──▶ workers: process_batch (the registry's stages)
                              ──▶ store (SQLite, one transaction per batch)
           store ──▶ post-passes (pipeline.passes, read and update the store)
           store ──export──▶ the contract's tables (.csv + .parquet/)  + run.json

Memory stays flat: records are streamed, at most ``2 × workers`` batches are
in flight, and finished rows live on disk in the store until the export, which
streams them again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline import __version__
from pipeline.contract import CONTRACT, Contract
from pipeline.export import write_extras
from pipeline.passes import POSTPASSES, PREPASSES
from pipeline.process import Config, process_batch, resources, warm_up
from pipeline.read import iter_records, list_inputs
from pipeline.records import Article, RawRecord
from pipeline.settings import load_settings
from pipeline.stages.nlp import DEFAULT_MODEL
from pipeline.store import STORE_NAME, Store
from pipeline.version import code_hash, pipeline_key, tree_hash
from pipeline.write import export_chunks

log = logging.getLogger(__name__)

DEFAULT_INPUT = Path("corpus")
DEFAULT_OUT = Path("outputs")


@dataclass(frozen=True, slots=True)
class RunOptions:
    inputs: tuple[Path, ...] = (DEFAULT_INPUT,)
    out: Path = DEFAULT_OUT
    clean: bool = True
    workers: int = 1
    batch_size: int | None = None  # articles per task sent to a worker (default: settings [run])
    nlp_batch_size: int | None = None  # docs per nlp.pipe minibatch (default: settings [run])
    force: bool = False
    engine: str = "local"  # local | dask
    scheduler: str | None = None
    model: str = DEFAULT_MODEL
    progress: str = "auto"  # auto | bar | log | none
    csv: bool = True
    parquet: bool = True
    config: Path | None = None  # --config: a TOML overlay of pipeline/defaults.toml
    rules: Path | None = None  # --rules: a folder of rule files overlaying pipeline/rules
    xlsx: bool = True  # --no-xlsx: no frnews.xlsx (pipeline.export.xlsx)
    report: bool = True  # --no-report: no report.html (pipeline.report)
    lang: str = "fr"  # --lang: the report's labels

    @property
    def cfg(self) -> Config:
        """What the per-article driver needs to know of these options."""
        return Config(clean_text=self.clean, config=self.config, rules=self.rules)


@dataclass(slots=True)
class RunResult:
    out: Path
    total: int = 0
    processed: int = 0
    cached: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    seconds: float = 0.0
    words: int = 0
    #: wall-clock seconds by phase: prepass, process (model + stages + store), export
    timings: dict[str, float] = field(default_factory=dict)


# -- keys ------------------------------------------------------------------------

def raw_hash(rec: RawRecord) -> str:
    h = hashlib.sha256()
    for part in (rec.text, rec.html, rec.title, rec.url, rec.published, rec.error):
        h.update(b"\x1f" + (part or "").encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:24]


def cache_key(rec: RawRecord, rhash: str, version: str, prepass_parts: Sequence[str]) -> str:
    """The record's key in the run store: pipeline key, id, raw content and what of each
    pre-pass's result the record depends on (e.g. the dump-chrome lines it holds)."""
    h = hashlib.sha256(f"{version}|{rec.article_id}|{rhash}".encode())
    for part in prepass_parts:
        if part:
            h.update(b"\x1e" + part.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:24]


# -- executors -------------------------------------------------------------------

_WORKER_STATE: dict = {}


def _worker_init(chrome: frozenset[str], cfg: Config, model: str, nlp_batch: int | None) -> None:
    _WORKER_STATE.update(chrome=chrome, cfg=cfg, model=model, nlp_batch=nlp_batch)


def _worker_batch(records: Sequence[RawRecord]) -> list[Article]:
    from pipeline.stages.nlp import load_nlp

    st = _WORKER_STATE
    return process_batch(records, nlp=load_nlp(st["model"]), chrome=st["chrome"], cfg=st["cfg"],
                         batch_size=st["nlp_batch"])


def dask_batch(records: Sequence[RawRecord], chrome: frozenset[str], cfg: Config, model: str,
               nlp_batch: int | None) -> list[Article]:
    """The task a Dask worker runs: the model is loaded once per worker process (cached)."""
    from pipeline.stages.nlp import load_nlp

    return process_batch(records, nlp=load_nlp(model), chrome=chrome, cfg=cfg, batch_size=nlp_batch)


class _Done:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


class LocalExecutor:
    """In-process (1 worker) or a process pool with one model per process."""

    def __init__(self, opts: RunOptions, chrome: frozenset[str]):
        self.opts, self.chrome, self.pool = opts, chrome, None
        if opts.workers > 1:
            import multiprocessing as mp

            method = "fork" if sys.platform.startswith("linux") else "spawn"
            if method == "fork":
                # load the model and every table once here: the forked workers share them
                warm_up(opts.model, chrome=chrome, cfg=opts.cfg)
            ctx = mp.get_context(method)
            self.pool = ctx.Pool(opts.workers, initializer=_worker_init,
                                 initargs=(chrome, opts.cfg, opts.model, opts.nlp_batch_size))
        else:
            _worker_init(chrome, opts.cfg, opts.model, opts.nlp_batch_size)

    def submit(self, batch: list[RawRecord]):
        if self.pool is None:
            return _Done(_worker_batch(batch))
        return self.pool.apply_async(_worker_batch, (batch,))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()


class DaskExecutor:
    """The same batches on a Dask cluster (a LocalCluster when no address is given)."""

    def __init__(self, opts: RunOptions, chrome: frozenset[str]):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:  # pragma: no cover - depends on the optional extra
            raise RuntimeError("the dask engine needs the 'dask' extra: pip install 'frnews[dask]'") from e
        self.cluster = None
        if opts.scheduler:
            self.client = Client(opts.scheduler)
        else:
            self.cluster = LocalCluster(n_workers=opts.workers, threads_per_worker=1, processes=True,
                                        dashboard_address=":0")
            self.client = Client(self.cluster)
        self.opts, self.chrome = opts, chrome
        # scatter() splits a bare collection into items: wrap the set to ship it whole, once per worker
        self._chrome_future = self.client.scatter([chrome], broadcast=True)[0]

    def submit(self, batch: list[RawRecord]):
        fut = self.client.submit(dask_batch, batch, self._chrome_future, self.opts.cfg, self.opts.model,
                                 self.opts.nlp_batch_size, pure=False)

        class _F:
            def get(self_inner):
                return fut.result()

        return _F()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


# -- progress ----------------------------------------------------------------------

class Progress:
    """A tqdm bar on a terminal, periodic log lines otherwise, or nothing."""

    def __init__(self, total: int, mode: str):
        self.total, self.done, self.t0, self.last = total, 0, time.monotonic(), 0.0
        if mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "log"
        self.mode = mode
        self.bar = None
        if mode == "bar":
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="art", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)

    def update(self, n: int) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif self.mode == "log":
            now = time.monotonic()
            if now - self.last >= 10 or self.done == self.total:
                self.last = now
                rate = self.done / max(now - self.t0, 1e-9)
                eta = (self.total - self.done) / rate if rate > 0 else 0
                log.info("%d/%d articles (%.1f art/s, ETA %.0fs)", self.done, self.total, rate, eta)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# -- the run -----------------------------------------------------------------------

def _prepass(inputs: Sequence[Path], opts: RunOptions) -> tuple[int, dict[str, object]]:
    """Count the records and run every enabled pre-pass over the dump (pipeline.passes)."""
    cfg = opts.cfg
    settings = load_settings(cfg.config)
    active = [p for p in PREPASSES if p.enabled(cfg)]
    learners = [(p, p.make(settings)) for p in active]
    total = 0
    seen_texts: set[int] = set()  # an article reprinted in the dump is counted once
    for rec in iter_records(inputs):
        total += 1
        if learners and rec.text:
            h = int.from_bytes(hashlib.blake2b(rec.text.encode("utf-8", "surrogatepass"),
                                               digest_size=8).digest(), "big")
            if h not in seen_texts:
                seen_texts.add(h)
                for _, learner in learners:
                    learner.add(rec.text)
    results = {p.provides: p.empty for p in PREPASSES}
    results.update({p.provides: learner.result() for p, learner in learners})
    return total, results


def _batches(records: Iterator, size: int) -> Iterator[list]:
    batch: list = []
    for item in records:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run(opts: RunOptions, *, on_batch: Callable[[int], None] | None = None,
        contract: Contract = CONTRACT) -> RunResult:
    """Process ``opts.inputs`` into ``opts.out``; see the module docstring."""
    t0 = time.monotonic()
    inputs = tuple(opts.inputs)
    list_inputs(inputs)  # raises InputError early on a bad path
    settings = load_settings(opts.config)  # raises SettingsError early on a bad --config
    resources(opts.cfg).settings  # noqa: B018 - validates the --rules overlay's layout early
    if opts.batch_size is None or opts.nlp_batch_size is None:
        opts = replace(opts, batch_size=opts.batch_size or settings.run.batch_size,
                       nlp_batch_size=opts.nlp_batch_size or settings.run.nlp_batch_size)
    out = opts.out
    out.mkdir(parents=True, exist_ok=True)
    if opts.force and (out / STORE_NAME).exists():
        for suffix in ("", "-wal", "-shm"):
            p = out / (STORE_NAME + suffix)
            if p.exists():
                p.unlink()
    store = Store(out / STORE_NAME, contract)
    run_id = uuid.uuid4().hex
    version = pipeline_key(model=opts.model, clean_text=opts.clean, settings_digest=settings.digest(),
                           rules_overlay=opts.rules)
    total, prepassed = _prepass(inputs, opts)
    chrome = prepassed["chrome"]
    t_prepass = time.monotonic()
    log.info("%d records in %d input(s); %d dump-chrome line(s)", total, len(inputs), len(chrome))
    result = RunResult(out=out, total=total)
    progress = Progress(total, opts.progress)
    executor = DaskExecutor(opts, chrome) if opts.engine == "dask" else LocalExecutor(opts, chrome)
    seen_ids: dict[str, int] = {}
    inflight_raw: dict[str, str] = {}  # raw hash -> key of the first record, while in flight
    pending: deque = deque()

    def plan(batch: list[tuple[int, RawRecord]]):
        """Split a batch into cached, duplicate-of-earlier and to-process records."""
        todo, items, cached, dups = [], [], [], []
        for seq, rec in batch:
            n = seen_ids.get(rec.article_id, 0)
            seen_ids[rec.article_id] = n + 1
            key = rec.article_id if n == 0 else f"{rec.article_id}#{n}"
            if n > 0:
                rec = RawRecord(article_id=rec.article_id, source=rec.source,
                                error=f"duplicate id: {rec.article_id!r} already read earlier in this run")
            rh = raw_hash(rec)
            ck = cache_key(rec, rh, version, [p.key_part(rec.text, prepassed[p.provides])
                                              for p in PREPASSES if rec.text and prepassed[p.provides]])
            if not opts.force and store.cached(key, ck):
                cached.append((key, seq))
                continue
            first = None
            if rec.error is None:
                # The earliest earlier record of this run with the same raw content, whether
                # it is still in flight or already in the store (processed or cached): the
                # same answer however batches and a crash/resume interleave.
                first = inflight_raw.get(rh) or store.first_raw(run_id, rh, seq)
            if first is not None:
                dups.append((key, ck, rh, seq, rec, first))
                continue
            if rec.error is None:
                inflight_raw.setdefault(rh, rec.article_id)
            todo.append(rec)
            items.append((key, ck, rh, seq))
        if cached:  # mark now, so that later records of this run see them as earlier rows
            store.mark_seen(cached, run_id)
        return todo, items, cached, dups

    def finish(entry) -> None:
        handle, items, cached, dups = entry
        articles = handle.get() if handle is not None else []
        rows = []
        batch_bodies: dict[str, str] = {}  # content hash -> first article of this batch
        for (key, ck, rh, seq), art in zip(items, articles):
            if art.status == "ok" and art.content_hash:
                first = (store.first_with(run_id, "content_hash", art.content_hash, seq)
                         or batch_bodies.get(art.content_hash))
                if first is not None:
                    art = replace(art, duplicate_of=first, mentions=(), events=())
                else:
                    batch_bodies[art.content_hash] = art.article_id
            rows.append((key, ck, rh, seq, art))
            if inflight_raw.get(rh) == art.article_id:
                del inflight_raw[rh]
        if rows:
            store.put(rows, run_id)
        dup_rows = []
        for key, ck, rh, seq, rec, first in dups:
            dup_rows.append((key, ck, rh, seq, _duplicate_row(store, run_id, rec, first)))
        if dup_rows:
            store.put(dup_rows, run_id)
        result.processed += len(rows) + len(dup_rows)
        result.cached += len(cached)
        result.words += sum(len(a.body.split()) for *_, a in rows)
        n = len(rows) + len(dup_rows) + len(cached)
        progress.update(n)
        if on_batch:
            on_batch(n)

    try:
        numbered = ((seq, rec) for seq, rec in enumerate(iter_records(inputs)))
        max_inflight = max(2, 2 * opts.workers)
        for batch in _batches(numbered, opts.batch_size):
            todo, items, cached, dups = plan(batch)
            handle = executor.submit(todo) if todo else None
            pending.append((handle, items, cached, dups))
            while len(pending) >= max_inflight:
                finish(pending.popleft())
        while pending:
            finish(pending.popleft())
    finally:
        executor.close()
        progress.close()

    t_process = time.monotonic()
    store.prune(run_id)
    post = {p.name: p.run(store, run_id, settings) for p in POSTPASSES}
    t_post = time.monotonic()
    for name in contract:
        export_chunks(contract[name], store.chunks(name, run_id), out, csv_out=opts.csv, parquet_out=opts.parquet)
    t_export = time.monotonic()
    extras = write_extras(out, contract, lambda name: store.chunks(name, run_id), xlsx=opts.xlsx,
                          report=opts.report, lang=opts.lang, meta={"inputs": [str(p) for p in inputs]})
    result.counts = store.status_counts(run_id)
    result.errors = store.errors(run_id)
    t_end = time.monotonic()
    result.seconds = t_end - t0
    result.timings = {"prepass": round(t_prepass - t0, 3), "process": round(t_process - t_prepass, 3),
                      "postpass": round(t_post - t_process, 3), "export": round(t_export - t_post, 3), **extras}
    _write_manifest(opts, result, version, chrome, settings.digest(), post)
    store.close()
    return result


def _duplicate_row(store: Store, run_id: str, rec: RawRecord, first_id: str) -> Article | tuple:
    """The articles row of an exact raw duplicate: the first one's outcome, no mentions."""
    own = Article(article_id=rec.article_id, source=rec.source, status="error", encoding=rec.encoding,
                  url=rec.url)
    first = store.article_row(run_id, first_id)
    if first is None:  # the first one is still unknown (should not happen)
        return replace(own, error=f"duplicate of {first_id}, whose row is missing")
    table = store.contract["articles"]
    names = table.names()
    status, error = first[names.index("status")], first[names.index("error")]
    if status != "ok":  # same raw content, same outcome (e.g. skipped: no text)
        return replace(own, status=status, error=error)
    return table.duplicate_row(first, table.rows(own)[0], first_id,
                               "exact duplicate of an earlier record: not processed again")


def _write_manifest(opts: RunOptions, result: RunResult, version: str, chrome: frozenset[str],
                    settings_digest: str, post: dict) -> None:
    import spacy

    try:
        from importlib.metadata import version as pkg_version

        model_version = pkg_version(opts.model.replace("_", "-"))
    except Exception:  # noqa: BLE001 - the model may be a path
        model_version = None
    manifest = {
        "frnews": __version__,
        "pipeline_version": version,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": opts.model,
        "model_version": model_version,
        "code_hash": code_hash(),
        "rules_hash": tree_hash(Path(__file__).parent / "rules"),
        "rules_overlay": str(opts.rules) if opts.rules else None,
        "config": str(opts.config) if opts.config else None,
        "settings_digest": settings_digest,
        "inputs": [str(p) for p in opts.inputs],
        "options": {"clean": opts.clean, "workers": opts.workers, "engine": opts.engine,
                    "batch_size": opts.batch_size, "force": opts.force},
        "postpasses": post,
        "records": result.total,
        "processed": result.processed,
        "cached": result.cached,
        "status_counts": result.counts,
        "dump_chrome_lines": len(chrome),
        "seconds": round(result.seconds, 3),
        "timings": result.timings,
        "articles_per_second": round(result.total / result.seconds, 2) if result.seconds else None,
        "words_processed": result.words,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    tmp = result.out / ".run.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, result.out / "run.json")
