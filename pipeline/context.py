"""The per-article context: the named fields stages read and write.

The driver (:mod:`pipeline.process`) creates one :class:`Context` per article with the
*input* fields below, then runs the stages of the registry (:mod:`pipeline.stages`) in
order; each stage returns a dict of the fields it declared in ``writes``, and the driver
stores them here.  A stage reads only the fields it declared in ``reads`` (checked by
``tests/test_registry.py`` with :class:`ReadGuard`), so the registry shows the whole data
flow.

Fields in :data:`APPEND` collect values from several stages (``notes``): a stage that
writes one adds to it instead of replacing it.
"""

from __future__ import annotations

from types import SimpleNamespace

#: Fields set by the driver before the first stage runs.
INPUTS = {
    "article_id": "the record's id",
    "raw": "the RawRecord as read (text or html, title, url, published given by the input)",
    "chrome": "lines the dump-level pre-pass found recurring across the dump (frozenset of line keys)",
    "clean_text": "False with --no-clean: every non-empty line is body",
    "notes": "processing notes (list of strings; stages append)",
}

#: Fields any number of stages may write: the driver extends them.
APPEND = frozenset({"notes"})


class Context(SimpleNamespace):
    """One article's (or one model chunk's) fields, by name."""

    def update(self, values: dict) -> None:
        for k, v in values.items():
            if k in APPEND:
                getattr(self, k).extend(v)
            else:
                setattr(self, k, v)

    def chunk(self, body: str, doc) -> "Context":
        """A copy for one model chunk of the body (extraction stages run per chunk)."""
        c = Context(**vars(self))
        c.body, c.doc, c.notes = body, doc, []
        return c


class ReadGuard:
    """A read-only view of a context that allows only the declared fields (tests, ``--check``)."""

    __slots__ = ("_ctx", "_allowed", "_stage")

    def __init__(self, ctx: Context, allowed: tuple[str, ...], stage: str):
        object.__setattr__(self, "_ctx", ctx)
        object.__setattr__(self, "_allowed", frozenset(allowed))
        object.__setattr__(self, "_stage", stage)

    def __getattr__(self, name: str):
        if name not in self._allowed:
            raise AttributeError(f"stage {self._stage!r} read {name!r}, which it does not declare in reads")
        return getattr(self._ctx, name)

    def __setattr__(self, name, value):
        raise AttributeError(f"stage {self._stage!r} assigned {name!r}: stages return their writes")


class Skip(Exception):
    """Raised by a stage when the article has nothing to process: status ``skipped``, the
    message goes to the ``error`` column (e.g. "no text: the record is empty")."""
