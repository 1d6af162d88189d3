"""Crash safety: a run killed at any moment and restarted writes the same tables as one clean run.

- ``test_sigkill_and_restart``: the real CLI in a subprocess, SIGKILLed once some but not all
  batches are committed to the run store, then restarted; CSV bytes and Parquet content must
  equal an uninterrupted run into another folder.
- ``test_crash_at_every_batch_boundary``: in process, the run is stopped right after each
  committed batch in turn (the state a SIGKILL leaves between two transactions) and resumed,
  so the resume logic (cached rows, exact and body duplicates across the crash point, bad
  records) is checked at every boundary, deterministically.
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

import pyarrow.parquet as pq
import pytest
from synthetic import varied  # tests/synthetic.py

from pipeline.contract import CONTRACT as TABLES
from pipeline.outfolder import LOCK_NAME
from pipeline.runner import RunOptions, run
from pipeline.store import STORE_NAME

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def write_dump(path: Path, n: int, specials: dict[int, dict | str]) -> int:
    """``n`` articles, with the record at each position in ``specials`` replaced; returns the count."""
    lines = []
    for i in range(n):
        rec = specials.get(i, {"id": f"a{i:02d}", "text": varied(i)})
        lines.append(rec if isinstance(rec, str) else json.dumps(rec, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def specials_for(n: int) -> dict[int, dict | str]:
    """Hard cases placed on both sides of batch boundaries (batch size 2)."""
    s: dict[int, dict | str] = {
        # exact raw copy (another id) of the record just before, in the next batch
        6: {"id": "copy-of-a05", "text": varied(5)},
        # a body duplicate (same text, different title: another raw hash) in the same batch
        9: {"id": "retitled-a08", "text": varied(8), "title": "Un autre titre"},
        # a body duplicate of a record two batches back
        12: {"id": "retitled-a07", "text": varied(7), "title": "Titre modifié"},
        3: {"id": "empty-a", "text": ""},
        4: {"id": "empty-b", "text": ""},  # an exact copy of a skipped record
        10: '{"id": "broken", "text": "Le Rwanda a sig',
        11: {"id": "a02", "text": varied(11)},  # duplicate id
    }
    if n > 30:
        s[21] = {"id": "copy-of-a05-again", "text": varied(5)}
        s[29] = {"id": "html-page", "html": f"<html><body><article><p>{varied(29)}</p>"
                                            f"<script>var x = 'SECRET';</script></article></body></html>"}
    return {k: v for k, v in s.items() if k < n}


def tables(out: Path) -> dict[str, list[dict]]:
    return {t: pq.read_table(out / f"{t}.parquet").to_pylist() for t in TABLES}


def assert_same_outputs(got: Path, want: Path) -> None:
    for t in TABLES:
        assert (got / f"{t}.csv").read_bytes() == (want / f"{t}.csv").read_bytes(), t
    g, w = tables(got), tables(want)
    for t in TABLES:
        assert len(g[t]) == len(w[t]), t
        for a, b in zip(g[t], w[t]):
            assert a == b, (t, {k: (a[k], b[k]) for k in a if a[k] != b[k]})


def committed(store: Path) -> int:
    """Articles committed to the run store so far (0 while it does not exist yet)."""
    if not store.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=0.05)
        try:
            return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def frnews(*args: str) -> subprocess.Popen:
    """``frnews run ...`` in a fresh interpreter (its own hash seed: output must not depend on it)."""
    return subprocess.Popen([sys.executable, "-m", "pipeline", "run", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sigkill_and_restart(tmp_path):
    dump = tmp_path / "dump.jsonl"
    total = write_dump(dump, 40, specials_for(40))
    args = ("--workers", "1", "--batch-size", "2", "-q")
    killed, ref = tmp_path / "killed", tmp_path / "ref"

    victim = frnews(str(dump), "--out", str(killed), *args)
    # the uninterrupted reference run, in this process, while the victim starts up
    run(RunOptions(inputs=(dump,), out=ref, workers=1, batch_size=2, progress="none"))
    store = killed / STORE_NAME
    deadline = time.monotonic() + 120
    seen = 0
    while time.monotonic() < deadline and victim.poll() is None:
        seen = committed(store)
        if seen >= 6:
            break
        time.sleep(0.005)
    assert victim.poll() is None, f"the run ended before it could be killed: {victim.communicate()}"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    left = committed(store)
    assert 0 < seen <= left < total, (seen, left, total)
    assert not (killed / "articles.csv").exists() and not (killed / "run.json").exists()

    resumed = frnews(str(dump), "--out", str(killed), *args)
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err.decode()

    assert_same_outputs(killed, ref)
    manifest = json.loads((killed / "run.json").read_text(encoding="utf-8"))
    assert manifest["cached"] >= left and manifest["processed"] + manifest["cached"] == total
    assert manifest["status_counts"] == json.loads((ref / "run.json").read_text(encoding="utf-8"))[
        "status_counts"]
    arts = tables(killed)["articles"]
    assert len(arts) == total and len({(a["article_id"], a["source"]) for a in arts}) == total
    leftovers = [p.name for p in killed.iterdir() if p.name.startswith(".") and "tmp" in p.name]
    assert not leftovers, leftovers


class Crash(Exception):
    pass


def test_crash_at_every_batch_boundary(tmp_path):
    dump = tmp_path / "dump.jsonl"
    total = write_dump(dump, 14, specials_for(14))
    opts = dict(inputs=(dump,), workers=1, batch_size=2, progress="none")
    ref = tmp_path / "ref"
    run(RunOptions(out=ref, **opts))
    arts = {a["article_id"]: a for a in tables(ref)["articles"] if a["article_id"] != "a02"}
    # the hard cases are what the test means them to be
    assert arts["copy-of-a05"]["duplicate_of"] == "a05"
    assert arts["copy-of-a05"]["notes"] == "exact duplicate of an earlier record: not processed again"
    assert arts["retitled-a08"]["duplicate_of"] == "a08" and arts["retitled-a07"]["duplicate_of"] == "a07"
    assert (arts["empty-a"]["status"], arts["empty-b"]["status"]) == ("skipped", "skipped")
    assert arts["dump:11"]["status"] == "error"
    n_batches = (total + 1) // 2
    for k in range(1, n_batches):
        out = tmp_path / f"crash-{k}"
        calls = []

        def on_batch(n, calls=calls, k=k):
            calls.append(n)
            if len(calls) == k:
                raise Crash

        with pytest.raises(Crash):
            run(RunOptions(out=out, **opts), on_batch=on_batch)
        assert committed(out / STORE_NAME) == 2 * k
        res = run(RunOptions(out=out, **opts))
        assert (res.cached, res.processed) == (2 * k, total - 2 * k), k
        assert_same_outputs(out, ref)


def test_leftovers_of_a_killed_export_are_swept(tmp_path):
    dump = tmp_path / "dump.jsonl"
    write_dump(dump, 4, {})
    out = tmp_path / "out"
    run(RunOptions(inputs=(dump,), out=out, workers=1, progress="none"))
    want = {t: (out / f"{t}.csv").read_bytes() for t in TABLES}
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()  # a pid that no longer runs
    # what SIGKILL during an export leaves behind: half-written temporaries, a moved-away old table
    (out / f".articles.csv.tmp-{gone}").write_text("article_id\nhalf", encoding="utf-8")
    (out / f".mentions.parquet.tmp-{gone}").mkdir()
    (out / f".mentions.parquet.tmp-{gone}" / "part-00000.parquet").write_bytes(b"PAR1 truncated")
    os.replace(out / "events.parquet", out / f".events.parquet.old-{gone}")
    (out / ".articles.csv.tmp-1").write_text("a live process's file is left alone", encoding="utf-8")
    res = run(RunOptions(inputs=(dump,), out=out, workers=1, progress="none"))
    assert res.cached == 4
    hidden = sorted(p.name for p in out.iterdir() if p.name.startswith(".") and p.name != LOCK_NAME
                    and not p.name.startswith(STORE_NAME))
    assert hidden == [".articles.csv.tmp-1"]
    assert {t: (out / f"{t}.csv").read_bytes() for t in TABLES} == want
    assert pq.read_table(out / "events.parquet").num_rows == len(tables(out)["events"])
