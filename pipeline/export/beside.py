"""Run one end-of-run writer in a second process while this one writes the tables.

At the end of a run two independent writers read the run store: the table export
(CSV and Parquet, :func:`pipeline.write.export_chunks`) and the analysts' files (the
workbook and the report, :func:`pipeline.export.write_extras`).  With one worker they run
one after the other.  With two workers or more the run was given that many cores, and the
end phase would use one of them: :class:`Beside` forks a child that runs the analysts'
files on its own read-only connection to the store, while the parent exports the tables.
The outputs are the same files either way (each writer writes its own, atomically).

The child ignores Ctrl-C (the parent decides: it kills the child and re-raises) and takes
SIGTERM's default action; an error in the child is raised in the parent by
:meth:`Beside.result` with the child's traceback.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import traceback
from collections.abc import Callable


class SideError(RuntimeError):
    """The side process failed; the message holds its traceback."""


def _child(conn, fn: Callable, args: tuple, kwargs: dict) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        out = ("ok", fn(*args, **kwargs))
    except BaseException:  # noqa: BLE001 - everything goes back to the parent, which raises it
        out = ("error", traceback.format_exc())
    try:
        conn.send(out)
    finally:
        conn.close()


class Beside:
    """``fn(*args, **kwargs)`` in a forked child; :meth:`result` waits for it and returns its value.

    Use as a context manager: leaving the block early (an exception, Ctrl-C) kills the child.
    ``fn`` must not use objects that a fork cannot share (an open database connection: open a
    new one in the child).
    """

    def __init__(self, fn: Callable, *args, **kwargs):
        ctx = mp.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_child, args=(send, fn, args, kwargs), daemon=True,
                                name="frnews-beside")
        self.proc.start()
        send.close()
        self._done = False

    def result(self):
        try:
            kind, value = self._recv.recv()
        except EOFError:  # died without a word (killed: out of memory, SIGKILL)
            self.proc.join()
            self._done = True
            raise SideError(f"the side process died (exit code {self.proc.exitcode})") from None
        self.proc.join()
        self._done = True
        if kind == "error":
            raise SideError(f"the side process failed:\n{value}")
        return value

    def kill(self) -> None:
        if self.proc.is_alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.join()
        self._done = True

    def __enter__(self) -> Beside:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self._done:
            self.kill()
        self._recv.close()
