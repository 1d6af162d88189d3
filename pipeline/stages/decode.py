"""Decode stage: the record's text (an HTML page's main text, title and date), truncated if huge.

The first registry stage.  A record given as text keeps it; a record given as HTML only
gets its main text, title and date from :func:`pipeline.read.html.html_to_text`.  A
record with no text is skipped ("no text: ..."); a text longer than ``max_body_chars``
(``[decode]`` in ``pipeline/defaults.toml``) is cut there, and a note says so.

The text is put in Unicode NFC (an accent typed as a letter and a combining mark, as some
sites and copy-pastes give it, becomes one character, so "é" is "é" for every stage's
lexicon) and loses the invisible characters that cut words without showing: zero-width
spaces, word joiners and a byte-order mark inside the text.  Soft hyphens (U+00AD) stay: they
are part of the line as the page printed it (scorers and readers compare lines verbatim), and
spaCy's tokenizer keeps a word holding one whole.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.context import Skip
from pipeline.read.html import html_to_text
from pipeline.settings import StageSettings, or_defaults

#: the start of the note on a truncated article (the run summary counts them by it)
TRUNCATED = "truncated from"


#: invisible characters that cut a word without showing: zero-width space, word joiner,
#: byte-order mark (zero-width no-break space)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))
_HAS_INVISIBLE = re.compile("[\u200b\u2060\ufeff]").search


def normalize(text: str) -> str:
    """``text`` in NFC without the invisible characters that cut words (ASCII text is returned as is)."""
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFC", text):  # the check is ten times cheaper than normalising
        text = unicodedata.normalize("NFC", text)
    if _HAS_INVISIBLE(text):
        text = text.translate(_INVISIBLE)
    return text


class Settings(StageSettings):
    """``[decode]``: the longest text an article may have."""

    #: texts longer than this (characters) are truncated (the articles row notes it)
    max_body_chars: int


def run(ctx, rules, settings: Settings | None) -> dict:
    """Registry stage ``decode``: ``text``, ``html_title``, ``html_published`` and ``notes``."""
    settings = or_defaults("decode", settings)
    raw = ctx.raw
    html_published = html_title = None
    text = raw.text or ""
    if raw.html and not text.strip():
        hdoc = html_to_text(raw.html, url=raw.url)
        text, html_published, html_title = hdoc.text, hdoc.published, hdoc.title
    text = normalize(text)
    if html_title:
        html_title = normalize(html_title)
    if not text.strip():
        raise Skip("no text: the record is empty" if not raw.html else "no text: the HTML has no main text")
    notes = []
    limit = settings.max_body_chars
    if len(text) > limit:
        notes.append(f"{TRUNCATED} {len(text)} to {limit} characters")
        text = text[:limit]
    return {"text": text, "html_title": html_title, "html_published": html_published, "notes": notes}
