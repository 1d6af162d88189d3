"""Shared surface helpers: ``word_starts`` equals the plain str.find loop it replaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.surface import word_starts


def _reference(low: str, word: str, plural: bool) -> list[int]:
    out, k, i = [], len(word), low.find(word)
    while i != -1:
        if not (i and low[i - 1].isalpha()):
            nxt = low[i + k:i + k + 2]
            if not nxt[:1].isalpha() or (plural and nxt[:1] in "sx" and not nxt[1:2].isalpha()):
                out.append(i)
        i = low.find(word, i + 1)
    return out


def test_examples():
    low = "dans un an, deux ans et 3ans ; le grand plan. mai, maison, mais mai."
    assert word_starts(low, "an") == [8]  # not in "dans", "ans", "grand", "plan"
    assert word_starts(low, "an", plural=True) == [8, 17, 25]
    assert word_starts(low, "mai") == [46, 64]  # not in "maison", "mais"
    assert word_starts("a a a", "a a") == [0, 2]  # overlapping occurrences are all found
    assert word_starts("rands et rand² et rand-x", "rand", plural=True) == [0, 9, 18]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["an", "ans", "a", "n", "s", "x", " ", ",", "2", "²", "é", "œ", "ß", "λ", "-", "rand",
                                 "grand", "'"]), max_size=25),
       st.sampled_from(["an", "a", "rand", "a a", "an-", "é"]), st.booleans())
def test_same_as_find_loop(parts, word, plural):
    low = "".join(parts)
    assert word_starts(low, word, plural=plural) == _reference(low, word, plural)
