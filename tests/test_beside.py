"""The side process of the end phase: its value comes back, its errors are raised, it dies with the block."""

from __future__ import annotations

import os
import signal
import time

import pytest

from pipeline.export.beside import Beside, SideError


def _add(a, b, *, times=1):
    return (a + b) * times


def _fail():
    raise ValueError("no such table: events")


def _sleep_then_write(path):
    time.sleep(30)
    path.write_text("late", encoding="utf-8")


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def _pid_and_ignored_sigint():
    return os.getpid(), signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_the_value_comes_back_from_another_process():
    with Beside(_pid_and_ignored_sigint) as side:
        pid, ignores_ctrl_c = side.result()
    assert pid != os.getpid()
    assert ignores_ctrl_c  # Ctrl-C reaches the whole group: the parent alone decides
    with Beside(_add, 2, 3, times=4) as side:
        assert side.result() == 20


def test_an_error_in_the_side_process_is_raised_with_its_traceback():
    with Beside(_fail) as side, pytest.raises(SideError, match=r"ValueError: no such table: events"):
        side.result()


def test_a_side_process_killed_from_outside_is_an_error_not_a_hang():
    with Beside(_die) as side, pytest.raises(SideError, match="died"):
        side.result()


def test_leaving_the_block_early_kills_the_side_process(tmp_path):
    target = tmp_path / "late.txt"
    with pytest.raises(KeyboardInterrupt):
        with Beside(_sleep_then_write, target) as side:
            proc = side.proc
            raise KeyboardInterrupt
    assert not proc.is_alive()
    assert proc.exitcode == -signal.SIGKILL
    assert not target.exists()
