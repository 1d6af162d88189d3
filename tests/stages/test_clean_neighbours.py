"""The context's neighbour tables (:func:`pipeline.stages.clean.context.neighbours`, one pass each
way) give each line the class :func:`~pipeline.stages.clean.context._neighbour` finds walking
from it, for every mix of classes, rule-dropped lines and main block."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages.clean.context import INLINE_CHROME, _neighbour, neighbours
from pipeline.stages.clean.density import Line

CLASSES = ("good", "near", "short", "bad", "meta")


def _line(i: int, cls: str, inline: bool) -> Line:
    reason = INLINE_CHROME[0] + ".x" if inline else "density:stop=0.10,len=30"
    return Line(i, f"ligne {i}", cls, reason, 0.0, hard=inline)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CLASSES), st.booleans()), max_size=30),
       st.tuples(st.integers(0, 30), st.integers(0, 30)), st.booleans(), st.booleans())
def test_tables_are_the_walks(rows, ends, ignore_near, with_block):
    lines = [_line(i, c, inline) for i, (c, inline) in enumerate(rows)]
    block = (min(ends), max(ends)) if with_block else None
    before, after = neighbours(lines, ignore_near, block)
    assert before == [_neighbour(lines, i, -1, ignore_near, block) for i in range(len(lines))]
    assert after == [_neighbour(lines, i, 1, ignore_near, block) for i in range(len(lines))]
