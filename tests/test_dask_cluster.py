"""A real Dask cluster: ``dask scheduler`` and two ``dask worker`` processes on localhost.

``frnews run --engine dask --scheduler tcp://…`` must give the same tables as the local
engine, and still do so, with nothing lost or doubled, when one worker (with its nanny:
as when a machine is lost) is killed in the middle of the run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_crash import assert_same_outputs, committed  # tests/test_crash.py
from test_interrupt import write_dump  # tests/test_interrupt.py

from pipeline.runner import RunOptions, run
from pipeline.store import STORE_NAME

pytest.importorskip("dask.distributed")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def _dask(*args: str, log: Path) -> subprocess.Popen:
    """A dask CLI command in its own process group (so the test can kill it whole)."""
    exe = Path(sys.executable).with_name("dask")
    return subprocess.Popen([str(exe), *args], cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers, as separate processes; yields
    ``(address, workers)``."""
    sched_file = tmp_path / "scheduler.json"
    procs = [_dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
                   str(sched_file), log=tmp_path / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sched_file.exists(), (tmp_path / "scheduler.log").read_text()
        address = json.loads(sched_file.read_text())["address"]
        workers = [_dask("worker", "--scheduler-file", str(sched_file), "--nthreads", "1", "--nworkers", "1",
                         "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{i}",
                         log=tmp_path / f"worker{i}.log") for i in range(2)]
        procs += workers
        from dask.distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, workers
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def test_a_real_cluster_gives_the_local_tables_even_when_a_worker_dies(tmp_path, cluster):
    address, workers = cluster
    dump = tmp_path / "dump.jsonl"
    total = write_dump(dump, 120, bad_every=15)
    local = tmp_path / "local"
    run(RunOptions(inputs=(dump,), out=local, workers=1, batch_size=4, progress="none"))

    # a whole run on the cluster
    whole = tmp_path / "whole"
    cmd = [sys.executable, "-m", "pipeline", "run", str(dump), "--out", str(whole), "--engine", "dask",
           "--scheduler", address, "--batch-size", "4", "-q"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert_same_outputs(whole, local)

    # again, killing one worker (and its nanny) once some batches are stored
    killed = tmp_path / "killed"
    cmd[cmd.index(str(whole))] = str(killed)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while committed(killed / STORE_NAME) < 8 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert proc.poll() is None, proc.communicate()
    os.killpg(workers[0].pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    assert_same_outputs(killed, local)
    manifest = json.loads((killed / "run.json").read_text(encoding="utf-8"))
    assert manifest["records"] == total and sum(manifest["status_counts"].values()) == total
