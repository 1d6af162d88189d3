"""More headline cues of whole-page dumps, called from ``apply_context`` (``context.py``) once the
main block is known: the post's title a comment thread's header quotes (:func:`thread_title`).
"""

from __future__ import annotations

import re

from pipeline.stages.clean.density import Line
from pipeline.stages.clean.marks import is_dated

#: the header of a blog's comment thread, quoting the post's title ("One thought on “Title”",
#: "12 Responses to “Title”", "3 commentaires sur « Titre »")
_THREAD_QUOTE = re.compile(r"[“\"«„‘']\s*(.+?)\s*[”\"»“’']\W*$")


def dated_beside(lines: list[Line], i: int) -> bool:
    """A byline or date line among the three lines over line ``i`` and the four under it."""
    return any(is_dated(x) for x in lines[max(0, i - 3):i + 5])


def text_key(text: str) -> str:
    """A line's text compared as a whole (case aside)."""
    return text.casefold()


def printed(lines: list[Line]) -> dict[str, list[int]]:
    """Where each line's text (:func:`text_key`) is printed on the page, in order."""
    prints: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        prints.setdefault(text_key(ln.text), []).append(i)
    return prints


def thread_title(lines: list[Line], head: int | None, settings) -> int | None:
    """The post's title quoted by its comment thread's header, when the chosen line has no byline or date beside it.

    A blog prints the post's title again in the header of its comments ("One thought on “Title”",
    a ``boilerplate.comment.count_on`` line): the last line above the header that is that title as
    a whole line, however short (a guide's or a product's title).
    """
    if head is not None and dated_beside(lines, head):
        return head
    for k, ln in enumerate(lines):
        if not ln.reason.startswith("boilerplate.comment.count_on"):
            continue
        m = _THREAD_QUOTE.search(ln.text)
        if m is None or len(m.group(1)) < 8:
            return head
        key = m.group(1).casefold()
        found = [i for i in range(k) if not lines[i].hard and lines[i].text.casefold() == key]
        return found[-1] if found else head
    return head
