"""Run the pipeline over a dump: streaming, in batches, on every core, incrementally.

Data flow of one run::

    inputs ──read──▶ pre-pass (count records, learn dump chrome)
           ──read──▶ batches ──▶ workers: process_batch (clean → metadata → nlp → extract)
                              ──▶ store (SQLite, one transaction per batch)
           store ──export──▶ articles / mentions / events  (.csv + .parquet/)  + run.json

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
from pipeline.process import pipeline_version, process_batch, warm_up
from pipeline.records import Article, RawRecord
from pipeline.rulebook import rules_hash
from pipeline.stages import clean as clean_stage
from pipeline.stages.nlp import DEFAULT_MODEL
from pipeline.stages.read import iter_records, list_inputs
from pipeline.stages.write import export_chunks
from pipeline.store import STORE_NAME, Store
from pipeline.tables import TABLES

log = logging.getLogger(__name__)

DEFAULT_INPUT = Path("corpus")
DEFAULT_OUT = Path("outputs")


@dataclass(frozen=True, slots=True)
class RunOptions:
    inputs: tuple[Path, ...] = (DEFAULT_INPUT,)
    out: Path = DEFAULT_OUT
    clean: bool = True
    workers: int = 1
    batch_size: int = 32  # articles per task sent to a worker
    nlp_batch_size: int = 16  # docs per nlp.pipe minibatch
    force: bool = False
    engine: str = "local"  # local | dask
    scheduler: str | None = None
    model: str = DEFAULT_MODEL
    progress: str = "auto"  # auto | bar | log | none
    csv: bool = True
    parquet: bool = True


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


def cache_key(rec: RawRecord, rhash: str, version: str, opts: RunOptions, chrome: frozenset[str]) -> str:
    h = hashlib.sha256(f"{version}|clean={opts.clean}|{rec.article_id}|{rhash}".encode())
    if chrome and rec.text:
        touched = sorted({k for line in rec.text.splitlines() if (k := clean_stage.line_key(line)) in chrome})
        h.update("\x1e".join(touched).encode())
    return h.hexdigest()[:24]


# -- executors -------------------------------------------------------------------

_WORKER_STATE: dict = {}


def _worker_init(chrome: frozenset[str], clean_text: bool, model: str, nlp_batch: int) -> None:
    _WORKER_STATE.update(chrome=chrome, clean_text=clean_text, model=model, nlp_batch=nlp_batch)


def _worker_batch(records: Sequence[RawRecord]) -> list[Article]:
    from pipeline.stages.nlp import load_nlp

    st = _WORKER_STATE
    return process_batch(records, nlp=load_nlp(st["model"]), chrome=st["chrome"],
                         clean_text=st["clean_text"], batch_size=st["nlp_batch"])


def dask_batch(records: Sequence[RawRecord], chrome: frozenset[str], clean_text: bool, model: str,
               nlp_batch: int) -> list[Article]:
    """The task a Dask worker runs: the model is loaded once per worker process (cached)."""
    from pipeline.stages.nlp import load_nlp

    return process_batch(records, nlp=load_nlp(model), chrome=chrome, clean_text=clean_text,
                         batch_size=nlp_batch)


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
                warm_up(opts.model, chrome=chrome, clean_text=opts.clean)
            ctx = mp.get_context(method)
            self.pool = ctx.Pool(opts.workers, initializer=_worker_init,
                                 initargs=(chrome, opts.clean, opts.model, opts.nlp_batch_size))
        else:
            _worker_init(chrome, opts.clean, opts.model, opts.nlp_batch_size)

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
        fut = self.client.submit(dask_batch, batch, self._chrome_future, self.opts.clean, self.opts.model,
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

def _prepass(inputs: Sequence[Path], learn_chrome: bool) -> tuple[int, frozenset[str]]:
    """Count the records and learn lines that recur across the dump (site chrome)."""
    counter = clean_stage.ChromeCounter() if learn_chrome else None
    total = 0
    seen_texts: set[int] = set()  # an article reprinted in the dump is counted once
    for rec in iter_records(inputs):
        total += 1
        if counter is not None and rec.text:
            h = int.from_bytes(hashlib.blake2b(rec.text.encode("utf-8", "surrogatepass"),
                                               digest_size=8).digest(), "big")
            if h not in seen_texts:
                seen_texts.add(h)
                counter.add(rec.text)
    return total, (counter.chrome() if counter is not None else frozenset())


def _batches(records: Iterator, size: int) -> Iterator[list]:
    batch: list = []
    for item in records:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run(opts: RunOptions, *, on_batch: Callable[[int], None] | None = None) -> RunResult:
    """Process ``opts.inputs`` into ``opts.out``; see the module docstring."""
    t0 = time.monotonic()
    inputs = tuple(opts.inputs)
    list_inputs(inputs)  # raises InputError early on a bad path
    out = opts.out
    out.mkdir(parents=True, exist_ok=True)
    if opts.force and (out / STORE_NAME).exists():
        for suffix in ("", "-wal", "-shm"):
            p = out / (STORE_NAME + suffix)
            if p.exists():
                p.unlink()
    store = Store(out / STORE_NAME)
    run_id = uuid.uuid4().hex
    version = pipeline_version(opts.model)
    total, chrome = _prepass(inputs, opts.clean)
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
            ck = cache_key(rec, rh, version, opts, chrome)
            if not opts.force and store.cached(key, ck):
                cached.append((key, seq))
                continue
            first = None
            if rec.error is None:
                # The earliest earlier record of this run with the same raw content, whether
                # it is still in flight or already in the store (processed or cached): the
                # same answer however batches and a crash/resume interleave.
                first = inflight_raw.get(rh) or _first_raw(store, run_id, rh, seq)
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
    for table in TABLES:
        export_chunks(table, store.chunks(table, run_id), out, csv_out=opts.csv, parquet_out=opts.parquet)
    result.counts = store.status_counts(run_id)
    result.errors = store.errors(run_id)
    t_end = time.monotonic()
    result.seconds = t_end - t0
    result.timings = {"prepass": round(t_prepass - t0, 3), "process": round(t_process - t_prepass, 3),
                      "export": round(t_end - t_process, 3)}
    _write_manifest(opts, result, version, chrome)
    store.close()
    return result


def _first_raw(store: Store, run_id: str, rh: str, before_seq: int) -> str | None:
    """article_id of the earliest row of this run before ``before_seq`` with raw hash ``rh``."""
    row = store.db.execute("SELECT article_id FROM articles WHERE run=? AND raw_hash=? AND seq<? "
                           "ORDER BY seq LIMIT 1", (run_id, rh, before_seq)).fetchone()
    return row[0] if row else None


def _duplicate_row(store: Store, run_id: str, rec: RawRecord, first_id: str) -> Article:
    """The articles row of an exact raw duplicate: the first one's outcome, no mentions."""
    row = store.db.execute(
        "SELECT status, error, title, published, published_source, language, language_score, processing, "
        "raw_chars, body_chars, content_hash, duplicate_of, body FROM articles WHERE run=? AND article_id=? "
        "ORDER BY seq LIMIT 1", (run_id, first_id)).fetchone()
    if row is None:  # the first one is still unknown (should not happen): process as itself
        return Article(article_id=rec.article_id, source=rec.source, status="error",
                       error=f"duplicate of {first_id}, whose row is missing")
    (status, error, title, published, psrc, lang, lscore, processing, raw_chars, body_chars, chash, dup_of,
     body) = row
    if status != "ok":  # same raw content, same outcome (e.g. skipped: no text)
        return Article(article_id=rec.article_id, source=rec.source, status=status, error=error,
                       encoding=rec.encoding, url=rec.url)
    return Article(article_id=rec.article_id, source=rec.source, status="ok", title=title, published=published,
                   published_source=psrc or "none", language=lang or "und", language_score=lscore or 0.0,
                   processing=processing, encoding=rec.encoding, url=rec.url, body=body or "",
                   raw_chars=raw_chars or 0, body_chars=body_chars or 0, content_hash=chash,
                   duplicate_of=dup_of or first_id,
                   notes="exact duplicate of an earlier record: not processed again")


def _write_manifest(opts: RunOptions, result: RunResult, version: str, chrome: frozenset[str]) -> None:
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
        "rules_hash": rules_hash(),
        "inputs": [str(p) for p in opts.inputs],
        "options": {"clean": opts.clean, "workers": opts.workers, "engine": opts.engine,
                    "batch_size": opts.batch_size, "force": opts.force},
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
