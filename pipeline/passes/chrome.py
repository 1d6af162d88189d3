"""Pre-pass ``chrome``: the short and medium lines that recur across many articles of a dump.

Footers, sidebars and "most read" boxes of one site repeat, word for word, in every
article of a dump taken from it.  The learner sees each raw text once (the runner skips
texts already seen) and counts, per line key (:func:`pipeline.text.lines.line_key`), in
how many articles the line occurs; its result is the set of keys frequent enough to be
chrome, which the clean stage drops with reason ``dump.repeated``.

Its thresholds are in the ``[clean]`` table (``max_chrome_chars``, ``chrome_min_articles``,
``chrome_min_share``, ``chrome_max_keys``): the clean stage is the one that uses the result.
"""

from __future__ import annotations

import math
from collections import Counter

from pipeline.settings import or_defaults
from pipeline.text.lines import line_key

__all__ = ["ChromeLearner", "line_key", "touched"]


class ChromeLearner:
    """Counts, over a dump, in how many articles each short/medium line occurs.

    Only hashes of lines up to ``max_chrome_chars`` characters are kept, once per
    article; when the table grows past ``chrome_max_keys`` the keys seen in a single
    article are pruned, so memory stays bounded on huge dumps.  ``settings`` is the
    ``[clean]`` settings table (``None``: the defaults).
    """

    def __init__(self, settings=None):
        settings = or_defaults("clean", settings)
        self.counts: Counter[str] = Counter()
        self.articles = 0
        self.max_keys: int = settings.chrome_max_keys
        self.max_chars: int = settings.max_chrome_chars
        self.min_articles: int = settings.chrome_min_articles
        self.min_share: float = settings.chrome_min_share

    def add(self, text: str | None) -> None:
        """One article of the dump (each call counts one article)."""
        self.articles += 1
        if not text:
            return
        keys = {line_key(ln) for ln in text.splitlines() if 0 < len(ln.strip()) <= self.max_chars}
        keys.discard("")
        self.counts.update(keys)
        if len(self.counts) > self.max_keys:
            self.counts = Counter({k: c for k, c in self.counts.items() if c > 1})

    def result(self) -> frozenset[str]:
        """Keys of the lines seen in enough articles: ``chrome_min_articles`` and ``chrome_min_share``."""
        need = max(self.min_articles, math.ceil(self.min_share * self.articles))
        return frozenset(k for k, c in self.counts.items() if c >= need)


def touched(text: str | None, chrome: frozenset[str]) -> list[str]:
    """The sorted keys of ``text``'s lines that are in ``chrome`` (what its cleaning depends on)."""
    if not text or not chrome:
        return []
    return sorted({k for line in text.splitlines() if (k := line_key(line)) in chrome})
