"""The output folder of a run: checked before anything is written, and locked while in use.

- :func:`prepare_out` turns the usual mistakes (``--out`` is a file, a folder that cannot
  be written) into one clear :class:`UsageError` and creates the folder only once every
  other check has passed, so a failed start leaves nothing behind.
- :class:`OutputLock` holds an exclusive lock on ``OUT/.frnews.lock`` for the whole run: a
  second run into the same folder refuses at once (or waits, with ``wait=True``) and the
  message names the holder (pid, host, start time).  The lock is the kernel's (``flock``):
  it dies with its process, so the lock file of a killed run is taken over, and said so.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from pathlib import Path

log = logging.getLogger(__name__)

LOCK_NAME = ".frnews.lock"


class UsageError(ValueError):
    """A mistake in how the run was asked for (exit code 2), found before any work."""


class Busy(UsageError):
    """Another run holds the output folder."""


def prepare_out(out: Path) -> list[Path]:
    """Create ``out`` (and missing parents); returns the folders created, outermost first,
    so that a caller can remove them if the start fails after all."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file, not a folder")
    missing = []
    p = out
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    if not p.is_dir():
        raise UsageError(f"--out {out}: {p} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".frnews-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        remove_created(list(reversed(missing)))
        raise UsageError(f"--out {out}: cannot write there ({e.strerror or e})") from None
    return list(reversed(missing))


def remove_created(created: list[Path]) -> None:
    """Remove the folders :func:`prepare_out` created, innermost first, if still empty."""
    for p in reversed(created):
        try:
            p.rmdir()
        except OSError:
            break


class OutputLock:
    """An exclusive lock on one output folder for the length of a run (a context manager)."""

    def __init__(self, out: Path, *, wait: bool = False):
        self.path, self.wait, self.fh = out / LOCK_NAME, wait, None

    def __enter__(self) -> OutputLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock, say so once
            log.warning("no file locking on this platform: do not start two runs into %s", self.path.parent)
            return self
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the run
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = _describe(_read(fh))
            fh.close()
            raise Busy(f"--out {self.path.parent}: in use by another run ({holder}); wait for it to finish, "
                       f"use another --out, or add --wait") from None
        previous = _read(fh)
        if previous:  # the lock was free but not released cleanly: its run was killed
            log.warning("taking over %s from a run that did not finish (%s)", self.path, _describe(previous))
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                             "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))
        fh.flush()
        self.fh = fh
        return self

    def __exit__(self, *exc) -> None:
        if self.fh is not None:
            self.fh.seek(0)
            self.fh.truncate()  # released cleanly: an empty lock file (kept: others may wait on it)
            self.fh.close()  # closing releases the lock
            self.fh = None


def _read(fh) -> dict:
    fh.seek(0)
    try:
        data = json.loads(fh.read() or "{}")
    except ValueError:
        return {"unreadable": True}
    return data if isinstance(data, dict) else {"unreadable": True}


def _describe(holder: dict) -> str:
    if not holder or holder.get("unreadable"):
        return "holder unknown"
    return f"pid {holder.get('pid')} on {holder.get('host')}, started {holder.get('started')}"
