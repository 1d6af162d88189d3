"""HTML pages to text: the main text, title, date and language of a page.

trafilatura extracts the main text (one paragraph a line) and the metadata; htmldate
finds the date when trafilatura has none; the ``<html lang>`` attribute gives the
language when trafilatura has none.  The decode stage (:mod:`pipeline.stages.decode`)
runs this on an HTML record before the line cleaning.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HtmlDoc:
    """Text extracted from an HTML page: main text (one paragraph a line) and metadata."""

    text: str
    title: str | None = None
    published: str | None = None
    language: str | None = None


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([a-zA-Z]{2,3})\b", re.IGNORECASE)


def html_to_text(html: str, *, url: str | None = None) -> HtmlDoc:
    """Main text, title, date and language of an HTML page; never raises (empty text on junk)."""
    if not html or not isinstance(html, str) or "<" not in html:
        return HtmlDoc(text=(html or "").strip() if isinstance(html, str) else "")
    text, title, published, language = "", None, None, None
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=True, include_formatting=False)
        if doc is not None:
            data = doc if isinstance(doc, dict) else doc.as_dict()
            text = data.get("text") or ""
            title = data.get("title") or None
            date_value = data.get("date") or None
            if date_value and _ISO_DAY.match(str(date_value)):
                published = str(date_value)[:10]
            language = data.get("language") or None
    except Exception as err:  # noqa: BLE001 - junk HTML must not stop a run
        log.debug("trafilatura failed on %s: %s", url, err)
    if published is None:
        try:
            import htmldate

            found = htmldate.find_date(html, original_date=True, outputformat="%Y-%m-%d",
                                       extensive_search=True)
            if found and _ISO_DAY.match(found):
                published = found[:10]
        except Exception as err:  # noqa: BLE001
            log.debug("htmldate failed on %s: %s", url, err)
    if language is None:
        m = _HTML_LANG.search(html[:5000])
        language = m.group(1).lower() if m else None
    lines = [ln.strip() for ln in text.splitlines()]
    text = "\n".join(ln for ln in lines if ln)
    title = " ".join(title.split()) if title else None
    return HtmlDoc(text=text, title=title or None, published=published, language=language)
