"""Stopping a run: Ctrl-C, SIGTERM, a second run into the same folder, a worker that dies.

Every case runs the real CLI in its own process group and signals the whole group, as a
terminal (Ctrl-C) or a service manager (SIGTERM) does: the run must stop promptly at any
worker count with one line and the shell's exit code, print no traceback, and the next
run must resume to the same tables as an uninterrupted run.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from synthetic import varied  # tests/synthetic.py
from test_crash import assert_same_outputs, committed  # tests/test_crash.py

from pipeline.outfolder import LOCK_NAME, Busy
from pipeline.runner import RunOptions, run
from pipeline.store import STORE_NAME

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def write_dump(path: Path, n: int, *, bad_every: int = 0) -> int:
    lines = []
    for i in range(n):
        if bad_every and i % bad_every == bad_every - 1:
            # the bad records a real dump holds: broken JSON, an empty text, a binary line, a lone surrogate
            lines.append(['{"id": "broken-%d", "text": "Le Rwanda a sig' % i,
                          json.dumps({"id": f"empty-{i}", "text": ""}),
                          '{"id": "junk-%d", "text": "\x01\x02\x03\x04\x05\x06\x07"}' % i,
                          json.dumps({"id": f"sur-{i}\ud83d", "text": varied(i) + " \ud83d"})][(i // bad_every) % 4])
        else:
            lines.append(json.dumps({"id": f"a{i:04d}", "text": varied(i)}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def start(dump: Path, out: Path, *args: str) -> subprocess.Popen:
    """``frnews run`` as a terminal starts it: its own process group, the workers in it too."""
    return subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(dump), "--out", str(out), "-q", *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def wait_for_rows(proc: subprocess.Popen, out: Path, n: int, timeout: float = 180) -> int:
    deadline = time.monotonic() + timeout
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        seen = committed(out / STORE_NAME)
        if seen >= n:
            return seen
        time.sleep(0.01)
    raise AssertionError(f"the run ended or stalled before {n} rows were stored: {proc.communicate()}")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("ref")
    dump = d / "dump.jsonl"
    total = write_dump(dump, 60, bad_every=10)
    run(RunOptions(inputs=(dump,), out=d / "out", workers=1, batch_size=2, progress="none"))
    return dump, d / "out", total


@pytest.mark.parametrize(("sig", "workers"), [(signal.SIGINT, 2), (signal.SIGTERM, 2), (signal.SIGINT, 1)],
                         ids=["ctrl-c-2-workers", "sigterm-2-workers", "ctrl-c-1-worker"])
def test_a_signal_to_the_process_group_stops_promptly_and_the_next_run_resumes(tmp_path, reference, sig, workers):
    dump, ref, total = reference
    out = tmp_path / "out"
    proc = start(dump, out, "--workers", str(workers), "--batch-size", "2")
    wait_for_rows(proc, out, 6)
    os.killpg(proc.pid, sig)
    t0 = time.monotonic()
    _, err = proc.communicate(timeout=60)
    stopped_in = time.monotonic() - t0
    err = err.decode()
    assert proc.returncode == 128 + sig, (proc.returncode, err)
    assert stopped_in < 20, stopped_in
    assert "Traceback" not in err, err
    stored = committed(out / STORE_NAME)
    assert err.strip().splitlines()[-1] == (f"frnews run: interrupted: {stored} article(s) stored in {out}; "
                                            f"re-run to resume"), err
    assert 0 < stored < total
    assert not (out / "articles.csv").exists()
    assert (out / LOCK_NAME).read_text() == ""  # released cleanly
    resumed = start(dump, out, "--workers", str(workers), "--batch-size", "2")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err.decode()
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["cached"] >= stored - 2 * workers * 2  # at most the batches in flight are redone
    assert_same_outputs(out, ref)


def test_a_second_run_into_the_same_folder_refuses_naming_the_holder_or_waits(tmp_path, reference):
    dump, ref, total = reference
    out = tmp_path / "out"
    first = start(dump, out, "--workers", "1", "--batch-size", "2")
    wait_for_rows(first, out, 2)
    with pytest.raises(Busy) as info:
        run(RunOptions(inputs=(dump,), out=out, workers=1, progress="none"))
    msg = str(info.value)
    assert f"in use by another run (pid {first.pid} on " in msg and ", started 20" in msg, msg
    assert "--wait" in msg
    # the CLI says so in one line with exit code 2; --wait waits, then finds everything done
    cli = subprocess.run([sys.executable, "-m", "pipeline", "run", str(dump), "--out", str(out), "-q"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert cli.returncode == 2 and cli.stderr.startswith(f"frnews run: --out {out}: in use by another run")
    assert "Traceback" not in cli.stderr
    waited = run(RunOptions(inputs=(dump,), out=out, workers=1, progress="none", wait=True))
    assert first.wait(timeout=300) == 0
    assert waited.processed == 0 and waited.cached == total  # it ran after the first one, not beside it
    assert_same_outputs(out, ref)


def test_the_lock_of_a_killed_run_is_taken_over(tmp_path, reference, caplog):
    dump, ref, total = reference
    out = tmp_path / "out"
    proc = start(dump, out, "--workers", "1", "--batch-size", "2")
    wait_for_rows(proc, out, 2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    holder = json.loads((out / LOCK_NAME).read_text())
    assert holder["pid"] == proc.pid  # the killed run could not release it
    with caplog.at_level("WARNING", logger="pipeline.outfolder"):
        res = run(RunOptions(inputs=(dump,), out=out, workers=1, batch_size=2, progress="none"))
    assert any(f"from a run that did not finish (pid {proc.pid} on" in r.getMessage() for r in caplog.records)
    assert res.total == total
    assert_same_outputs(out, ref)


def _children(pid: int) -> list[int]:
    kids = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in kids.read_text().split()] if kids.exists() else []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find the workers")
def test_a_worker_killed_mid_run_loses_nothing(tmp_path, reference):
    dump, ref, total = reference
    out = tmp_path / "out"
    proc = start(dump, out, "--workers", "2", "--batch-size", "2")
    wait_for_rows(proc, out, 4)
    workers = _children(proc.pid)
    assert workers, "no worker processes found"
    os.kill(workers[0], signal.SIGKILL)  # as the out-of-memory killer does
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()
    assert_same_outputs(out, ref)


def test_soak_kill_and_resume_three_times_equals_one_run(tmp_path):
    """2,000 articles, 5 % of them bad, 2 workers: killed (SIGKILL to the whole group) at three
    random points and resumed each time; the tables equal one uninterrupted run's."""
    import random

    dump = tmp_path / "dump.jsonl"
    total = write_dump(dump, 2000, bad_every=20)
    ref = tmp_path / "ref"
    run(RunOptions(inputs=(dump,), out=ref, workers=2, progress="none"))
    out = tmp_path / "out"
    rng = random.Random(2026)
    for point in sorted(rng.sample(range(50, total - 50), 3)):
        proc = start(dump, out, "--workers", "2")
        wait_for_rows(proc, out, point, timeout=600)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    proc = start(dump, out, "--workers", "2")
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    assert_same_outputs(out, ref)
    db = sqlite3.connect(out / STORE_NAME)
    statuses = dict(db.execute("SELECT status, COUNT(*) FROM articles GROUP BY status").fetchall())
    db.close()
    # 100 bad records, 25 of each kind: broken JSON and binary junk are errors, empty texts are
    # skipped, and the lone surrogates are repaired (ok)
    assert statuses == {"ok": total - 75, "error": 50, "skipped": 25}, statuses
