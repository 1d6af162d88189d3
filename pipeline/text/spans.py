"""Choosing among overlapping matches: the one helper every stage uses.

``longest_non_overlapping`` keeps, among candidate spans, the longest first (ties broken
by ``rank``, then by position), drops any that overlaps one already kept, and returns the
kept ones in text order.  Spans are half-open ``[start, end)`` in any unit (characters or
token indexes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def longest_non_overlapping(items: Iterable[T], span: Callable[[T], tuple[int, int]],
                            rank: Callable[[T], object] | None = None) -> list[T]:
    """The longest non-overlapping items, in text order.

    Sort key: longer first, then ``rank(item)`` (lower first) when given, then the earlier start.
    """
    def key(it: T):
        s, e = span(it)
        return (-(e - s), rank(it), s) if rank is not None else (-(e - s), s)

    taken: list[tuple[int, int]] = []
    kept: list[T] = []
    for it in sorted(items, key=key):
        s, e = span(it)
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        kept.append(it)
    kept.sort(key=lambda it: span(it)[0])
    return kept


def merge_windows(hits: Iterable[int], before: int, after: int, n: int) -> list[tuple[int, int]]:
    """Windows ``[hit - before, hit + after)`` (clipped to ``[0, n)``) around sorted ``hits``,
    overlapping or touching ones merged: where a stage's regexes are run."""
    out: list[tuple[int, int]] = []
    for h in hits:
        s, e = max(0, h - before), min(n, h + after)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
