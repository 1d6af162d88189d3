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

A run holds a lock on its output folder (:mod:`pipeline.outfolder`), writes every message
to ``OUT/run.log``, and turns Ctrl-C and SIGTERM into :class:`Interrupted` after stopping
the workers (:mod:`pipeline.executors`): every committed batch stays in the store for the
next run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline import __version__
from pipeline.contract import CONTRACT, Contract
from pipeline.executors import DaskExecutor, LocalExecutor, Progress
from pipeline.export import extras_from_store, write_extras
from pipeline.export.beside import Beside
from pipeline.outfolder import OutputLock, UsageError, prepare_out, remove_created
from pipeline.passes import POSTPASSES, PREPASSES
from pipeline.process import Config, resources
from pipeline.read import iter_records, list_inputs
from pipeline.records import Article, RawRecord
from pipeline.settings import load_settings
from pipeline.stages.decode import TRUNCATED
from pipeline.stages.nlp import DEFAULT_MODEL
from pipeline.store import STORE_NAME, Store
from pipeline.version import code_hash, pipeline_key, tree_hash
from pipeline.write import export_chunks

log = logging.getLogger(__name__)

DEFAULT_INPUT = Path("corpus")
DEFAULT_OUT = Path("outputs")
LOG_NAME = "run.log"


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
    wait: bool = False  # --wait: wait for another run holding --out instead of refusing
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
    #: articles cut to the decode stage's max_body_chars (their notes say so)
    truncated: int = 0
    #: seconds spent in each stage (and ``nlp``: the model), summed over the workers
    stage_seconds: dict[str, float] = field(default_factory=dict)
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


# -- the run -----------------------------------------------------------------------

def _prepass(inputs: Sequence[Path], opts: RunOptions) -> tuple[int, dict[str, object]]:
    """Count the records and run every enabled pre-pass over the dump (pipeline.passes)."""
    cfg = opts.cfg
    settings = load_settings(cfg.config)
    active = [p for p in PREPASSES if p.enabled(cfg)]
    learners = [(p, p.make(settings)) for p in active]
    total = 0
    seen_texts: set[int] = set()  # an article reprinted in the dump is counted once
    for rec in iter_records(inputs, skip=[opts.out]):
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


class Interrupted(Exception):
    """The run was stopped by Ctrl-C (SIGINT) or SIGTERM; what was stored is kept."""

    def __init__(self, signum: int, stored: int, out: Path):
        self.signum, self.stored, self.out = signum, stored, out
        super().__init__(f"interrupted: {stored} article(s) stored in {out}; re-run to resume")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread like KeyboardInterrupt is for SIGINT."""


@contextmanager
def _sigterm_raises():
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _run_log(out: Path):
    """Every message of the run, other libraries' warnings included, in ``OUT/run.log``."""
    handler = logging.FileHandler(out / LOG_NAME, mode="w", encoding="utf-8", delay=True)
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()


def check_model(model: str) -> None:
    """A model must be an installed package or a folder: a :class:`UsageError` otherwise."""
    import importlib.util

    if Path(model).is_dir() or (model.isidentifier() and importlib.util.find_spec(model) is not None):
        return
    import spacy

    installed = ", ".join(sorted(spacy.util.get_installed_models())) or "none"
    raise UsageError(f"--model {model}: no such spaCy model package or folder (installed: {installed})")


def run(opts: RunOptions, *, on_batch: Callable[[int], None] | None = None,
        contract: Contract = CONTRACT) -> RunResult:
    """Process ``opts.inputs`` into ``opts.out``; see the module docstring.

    Raises :class:`UsageError` (bad options, found before anything is written, or the
    output folder held by another run), :class:`~pipeline.read.InputError` (a bad input
    path), and :class:`Interrupted` on Ctrl-C or SIGTERM (the rows stored so far are kept:
    the next run resumes)."""
    t0 = time.monotonic()
    inputs = tuple(opts.inputs)
    list_inputs(inputs)  # raises InputError early on a bad path
    settings = load_settings(opts.config)  # raises SettingsError early on a bad --config
    resources(opts.cfg).settings  # noqa: B018 - validates the --rules overlay's layout early
    if opts.engine == "local":
        check_model(opts.model)
    if opts.batch_size is None or opts.nlp_batch_size is None:
        opts = replace(opts, batch_size=opts.batch_size or settings.run.batch_size,
                       nlp_batch_size=opts.nlp_batch_size or settings.run.nlp_batch_size)
    created = prepare_out(opts.out)
    try:
        lock = OutputLock(opts.out, wait=opts.wait).__enter__()
    except BaseException:
        remove_created(created)
        raise
    result = RunResult(out=opts.out)
    try:
        with _sigterm_raises(), _run_log(opts.out):
            return _run(opts, inputs, settings, result, t0, on_batch, contract)
    except KeyboardInterrupt:
        raise Interrupted(signal.SIGINT, result.processed + result.cached, opts.out) from None
    except _Terminated:
        raise Interrupted(signal.SIGTERM, result.processed + result.cached, opts.out) from None
    finally:
        lock.__exit__(None, None, None)


def _run(opts: RunOptions, inputs: tuple[Path, ...], settings, result: RunResult, t0: float,
         on_batch: Callable[[int], None] | None, contract: Contract) -> RunResult:
    out = opts.out
    if opts.force and (out / STORE_NAME).exists():
        for suffix in ("", "-wal", "-shm"):
            p = out / (STORE_NAME + suffix)
            if p.exists():
                p.unlink()
    store = Store(out / STORE_NAME, contract)
    try:
        return _run_with_store(opts, inputs, settings, result, t0, on_batch, contract, store)
    finally:
        store.close()


def _run_with_store(opts: RunOptions, inputs: tuple[Path, ...], settings, result: RunResult, t0: float,
                    on_batch: Callable[[int], None] | None, contract: Contract, store: Store) -> RunResult:
    out = opts.out
    run_id = uuid.uuid4().hex
    version = pipeline_key(model=opts.model, clean_text=opts.clean, settings_digest=settings.digest(),
                           rules_overlay=opts.rules)
    total, prepassed = _prepass(inputs, opts)
    chrome = prepassed["chrome"]
    t_prepass = time.monotonic()
    log.info("%d records in %d input(s); %d dump-chrome line(s)", total, len(inputs), len(chrome))
    result.total = total
    progress = Progress(total, opts.progress)
    executor = DaskExecutor(opts, chrome) if opts.engine == "dask" else LocalExecutor(opts, chrome)
    seen_ids: dict[str, int] = {}
    inflight_raw: dict[str, str] = {}  # raw hash -> key of the first record, while in flight
    pending: deque = deque()

    record_cols = store.record_columns()

    def plan(batch: list[tuple[int, RawRecord]]):
        """Split a batch into cached, duplicate-of-earlier and to-process records."""
        todo, items, cached, dups = [], [], [], []
        batch_raw: dict[str, str] = {}  # raw hash -> article_id of the batch's first cached record
        batch_body: dict[str, str] = {}  # content hash -> the same, for cached originals
        for seq, rec in batch:
            n = seen_ids.get(rec.article_id, 0)
            seen_ids[rec.article_id] = n + 1
            key = rec.article_id if n == 0 else f"{rec.article_id}#{n}"
            if n > 0:
                rec = RawRecord(article_id=rec.article_id, source=rec.source, encoding=rec.encoding,
                                url=rec.url,
                                error=f"duplicate id: {rec.article_id!r} already read earlier in this run")
            rh = raw_hash(rec)
            ck = cache_key(rec, rh, version, [p.key_part(rec.text, prepassed[p.provides])
                                              for p in PREPASSES if rec.text and prepassed[p.provides]])
            first = None
            if rec.error is None:
                # The earliest earlier record of this run with the same raw content, whether
                # it is still in flight or already in the store (processed or cached): the
                # same answer however batches and a crash/resume interleave.
                first = inflight_raw.get(rh) or batch_raw.get(rh) or store.first_raw(run_id, rh, seq)
            stored = None if opts.force else store.cached(key, ck)
            if stored is not None:
                status, dup_of, body = stored
                if status == "ok" and first is None and body:
                    first = batch_body.get(body) or store.first_with(run_id, "content_hash", body, seq)
                    first = None if first == rec.article_id else first
                # an ok row is reusable only if it is still the same kind of copy: the first copy it
                # names may have left the dump, or an earlier copy of it may have entered (a row
                # that is not ok has its own raw content's outcome, copy or not)
                if status != "ok" or dup_of == first:
                    cached.append((key, seq, [getattr(rec, c) for c in record_cols]))
                    if rec.error is None and dup_of is None:
                        batch_raw.setdefault(rh, rec.article_id)
                        if body:
                            batch_body.setdefault(body, rec.article_id)
                    continue
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
        articles, seconds = handle.get() if handle is not None else ([], {})
        for stage, sec in seconds.items():
            result.stage_seconds[stage] = result.stage_seconds.get(stage, 0.0) + sec
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
        numbered = ((seq, rec) for seq, rec in enumerate(iter_records(inputs, skip=[out])))
        max_inflight = max(2, 2 * opts.workers)
        for batch in _batches(numbered, opts.batch_size):
            todo, items, cached, dups = plan(batch)
            handle = executor.submit(todo) if todo else None
            pending.append((handle, items, cached, dups))
            while len(pending) >= max_inflight:
                finish(pending.popleft())
        while pending:
            finish(pending.popleft())
    except BaseException:
        executor.abort()
        raise
    else:
        executor.close()
    finally:
        progress.close()

    t_process = time.monotonic()
    store.prune(run_id)
    post = {p.name: p.run(store, run_id, settings) for p in POSTPASSES}
    t_post = time.monotonic()
    meta = {"inputs": [str(p) for p in inputs]}
    # with two workers or more, the workbook and the report are written by a second process
    # while this one exports the tables (the run was given that many cores)
    side = Beside(extras_from_store, store.path, contract, run_id, out, opts.xlsx, opts.report, opts.lang,
                  meta) if opts.workers >= 2 and (opts.xlsx or opts.report) else None
    with side or nullcontext():
        for name in contract:
            export_chunks(contract[name], store.chunks(name, run_id), out, csv_out=opts.csv,
                          parquet_out=opts.parquet)
        t_export = time.monotonic()
        extras = side.result() if side else write_extras(
            out, contract, lambda name: store.chunks(name, run_id), xlsx=opts.xlsx, report=opts.report,
            lang=opts.lang, meta=meta)
    result.counts = store.status_counts(run_id)
    result.truncated = store.count_noted(run_id, TRUNCATED)
    result.errors = store.errors(run_id)
    t_end = time.monotonic()
    result.seconds = t_end - t0
    result.timings = {"prepass": round(t_prepass - t0, 3), "process": round(t_process - t_prepass, 3),
                      "postpass": round(t_post - t_process, 3), "export": round(t_export - t_post, 3), **extras}
    _write_manifest(opts, result, version, chrome, settings.digest(), post)
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


def _per_article_ms(result: RunResult) -> dict[str, float]:
    from pipeline.stages import STAGES

    order = {name: i for i, name in enumerate(st.name for st in STAGES)}
    n = max(result.processed, 1)
    return {k: round(1000 * v / n, 3)
            for k, v in sorted(result.stage_seconds.items(), key=lambda kv: order.get(kv[0], len(order)))}


def _write_manifest(opts: RunOptions, result: RunResult, version: str, chrome: frozenset[str],
                    settings_digest: str, post: dict) -> None:
    from importlib.metadata import version as pkg_version

    try:
        model_version = pkg_version(opts.model.replace("_", "-"))
    except Exception:  # noqa: BLE001 - the model may be a path
        model_version = None
    manifest = {
        "frnews": __version__,
        "pipeline_version": version,
        "python": platform.python_version(),
        "spacy": pkg_version("spacy"),
        "model": opts.model,
        "model_version": model_version,
        "code_hash": code_hash(),
        "rules_hash": tree_hash(Path(__file__).parent / "rules"),
        "rules_overlay": str(opts.rules) if opts.rules else None,
        "config": str(opts.config) if opts.config else None,
        "settings_digest": settings_digest,
        "inputs": [str(p) for p in opts.inputs],
        "options": {"clean": opts.clean, "workers": opts.workers, "engine": opts.engine,
                    "batch_size": opts.batch_size, "force": opts.force,
                    "formats": [f for f, on in (("csv", opts.csv), ("parquet", opts.parquet)) if on]},
        "postpasses": post,
        "records": result.total,
        "processed": result.processed,
        "cached": result.cached,
        "status_counts": result.counts,
        "truncated": result.truncated,
        "dump_chrome_lines": len(chrome),
        "seconds": round(result.seconds, 3),
        "timings": result.timings,
        # milliseconds per processed article in each stage, in flow order ("nlp" is the model)
        "stage_ms_per_article": _per_article_ms(result),
        "articles_per_second": round(result.total / result.seconds, 2) if result.seconds else None,
        "words_processed": result.words,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    tmp = result.out / ".run.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, result.out / "run.json")
