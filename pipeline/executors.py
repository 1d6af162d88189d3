"""Where the batches run: in-process, a pool of worker processes, or a Dask cluster.

Every executor has ``submit(batch) -> handle`` (``handle.get()`` gives the batch's
articles), ``close()`` (wait for the work) and ``abort()`` (stop now: Ctrl-C, SIGTERM).
:class:`Progress` reports the run's advance on a terminal or in the log.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pipeline.process import Config, process_batch, resources, warm_up
from pipeline.records import Article, RawRecord

if TYPE_CHECKING:
    from pipeline.runner import RunOptions

log = logging.getLogger(__name__)


# -- executors -------------------------------------------------------------------

_WORKER_STATE: dict = {}


def _worker_init(chrome: frozenset[str], cfg: Config, model: str, nlp_batch: int | None,
                 subprocess: bool = False) -> None:
    if subprocess:
        # Ctrl-C reaches every process of the terminal's group: the parent alone decides what
        # happens (it stops the workers), so a worker ignores it and prints no traceback; a
        # SIGTERM handler inherited from the parent by fork is reset to the default (die)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER_STATE.update(chrome=chrome, cfg=cfg, model=model, nlp_batch=nlp_batch)
    if subprocess:  # the parent's warm-up seconds came with the fork: not this worker's articles
        resources(cfg).take_seconds()


#: what a batch comes back as: its articles, and the seconds each stage took on them
Batch = tuple[list[Article], dict[str, float]]


def _worker_batch(records: Sequence[RawRecord]) -> Batch:
    st = _WORKER_STATE
    return dask_batch(records, st["chrome"], st["cfg"], st["model"], st["nlp_batch"])


def dask_batch(records: Sequence[RawRecord], chrome: frozenset[str], cfg: Config, model: str,
               nlp_batch: int | None) -> Batch:
    """The task a worker runs: the model is loaded once per worker process (cached)."""
    from pipeline.stages.nlp import load_nlp

    arts = process_batch(records, nlp=load_nlp(model), chrome=chrome, cfg=cfg, batch_size=nlp_batch)
    return arts, resources(cfg).take_seconds()


class _Done:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


#: what a record gets when a worker process dies on it twice (killed by the system for
#: memory, or a crash in a native library)
WORKER_DIED = "a worker process died while processing this article (out of memory or a native crash)"


class LocalExecutor:
    """In-process (1 worker) or a pool of worker processes with one model each.

    Nothing starts until the first batch is submitted, so a run with nothing to do never
    loads the model.  A worker that dies (the system's out-of-memory killer, a crash in a
    native library) breaks the pool: the pool is restarted and the batches in flight are
    sent again; a batch that breaks it twice is processed one article per task, and an
    article that still kills its worker gets an error row (:data:`WORKER_DIED`)."""

    def __init__(self, opts: RunOptions, chrome: frozenset[str]):
        self.opts, self.chrome, self.pool, self.started = opts, chrome, None, False

    def _start(self) -> None:
        self.started = True
        opts = self.opts
        if opts.workers <= 1:
            _worker_init(self.chrome, opts.cfg, opts.model, opts.nlp_batch_size)
            return
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if sys.platform.startswith("linux") else "spawn"
        if method == "fork" and self.pool is None:
            # load the model and every table once here: the forked workers share them
            warm_up(opts.model, chrome=self.chrome, cfg=opts.cfg)
        self.pool = ProcessPoolExecutor(opts.workers, mp_context=mp.get_context(method), initializer=_worker_init,
                                        initargs=(self.chrome, opts.cfg, opts.model, opts.nlp_batch_size, True))

    def submit(self, batch: list[RawRecord]):
        if not self.started:
            self._start()
        if self.pool is None:
            return _Done(_worker_batch(batch))
        return _Pending(self, batch)

    def restart(self, broken) -> None:
        """Replace a broken pool (once, however many batches saw it break)."""
        if self.pool is broken:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
            log.warning("a worker process died; restarting the workers and retrying the batches in flight")
            self._start()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None

    def abort(self) -> None:
        """Stop at once (Ctrl-C, SIGTERM): kill the workers, drop what is queued."""
        if self.pool is not None:
            for proc in list(getattr(self.pool, "_processes", {}).values()):
                proc.terminate()
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


class _Pending:
    """A batch in a process pool; :meth:`get` survives the death of a worker (see LocalExecutor)."""

    def __init__(self, ex: LocalExecutor, batch: list[RawRecord]):
        self.ex, self.batch = ex, batch
        self.pool, self.fut = ex.pool, ex.pool.submit(_worker_batch, batch)

    def get(self) -> Batch:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.fut.result()
        except BrokenProcessPool:
            pass
        self.ex.restart(self.pool)
        try:
            return self.ex.pool.submit(_worker_batch, self.batch).result()
        except BrokenProcessPool:
            self.ex.restart(self.ex.pool)
        out: list[Article] = []
        seconds: dict[str, float] = {}
        for rec in self.batch:  # one article per task: find the one that kills its worker
            try:
                arts, secs = self.ex.pool.submit(_worker_batch, [rec]).result()
            except BrokenProcessPool:
                self.ex.restart(self.ex.pool)
                arts, secs = [Article(article_id=rec.article_id, source=rec.source, status="error",
                                      encoding=rec.encoding, url=rec.url, error=WORKER_DIED,
                                      notes="; ".join(rec.notes) or None)], {}
            out.extend(arts)
            for k, v in secs.items():
                seconds[k] = seconds.get(k, 0.0) + v
        return out, seconds


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

    abort = close


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
