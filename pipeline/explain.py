"""``frnews explain``: why each raw line was kept or dropped, and where each value came from."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipeline.process import process_batch
from pipeline.read import iter_records
from pipeline.stages import flow_line


def _find(article: str, input_dir: Path, record_id: str | None):
    path = Path(article)
    if path.is_file():
        recs = list(iter_records([path]))
        if record_id is not None:
            recs = [r for r in recs if r.article_id == record_id]
        if not recs:
            raise LookupError(f"no record {record_id!r} in {path}")
        return recs[0]
    for rec in iter_records([input_dir]):
        if rec.article_id == article:
            return rec
    raise LookupError(f"{article!r} is neither a file nor an article id in {input_dir}")


def _date_trace(art) -> dict:
    """(start, end) of each date of the body -> the anchor and the tense cue its value was read from."""
    from datetime import date

    from pipeline.stages.dates import find_dates
    trace: dict = {}
    try:
        published = date.fromisoformat(art.published) if art.published else None
    except ValueError:
        published = None
    find_dates(art.body or "", published=published, trace=trace)
    return trace


def explain(article: str, *, input_dir: Path = Path("corpus"), record_id: str | None = None) -> str:
    rec = _find(article, input_dir, record_id)
    art = process_batch([rec])[0]
    out = [f"article {art.article_id} ({art.source})",
           f"status {art.status}" + (f": {art.error}" if art.error else ""),
           f"title: {art.title!r}", f"published: {art.published} (from {art.published_source})",
           f"language: {art.language} ({art.language_score:.2f}), processing: {art.processing}",
           "", f"STAGES {flow_line()}"]
    kinds = Counter(m.kind for m in art.mentions)
    out.append("  mentions: " + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "none")
               + f"; events {len(art.events)}")
    out += ["", "LINES (raw line number, verdict, reason)"]
    for ln in art.lines:
        mark = "KEEP" if ln.keep else "drop"
        text = ln.text if len(ln.text) <= 90 else ln.text[:87] + "..."
        out.append(f"{ln.index + 1:>4} {mark} [{ln.reason}] {text}")
    out += ["", "MENTIONS (kind, value, text, offsets, rule)"]
    date_trace = _date_trace(art)
    for m in art.mentions:
        extra = f" type={m.actor_type}" if m.actor_type else ""
        extra += f" country={m.country}" if m.kind == "actor" and m.country else ""
        out.append(f"  {m.kind:<8} {m.value:<30} {m.text!r} [{m.start}:{m.end}] rule={m.rule}{extra}")
        if m.kind == "date" and (m.start, m.end) in date_trace:
            t = date_trace[(m.start, m.end)]
            out.append(f"           anchor: {t['anchor']}; tense: {t['tense']}")
    out += ["", "EVENTS (type, date, actors, rule)"]
    for e in art.events:
        out.append(f"  {e.event_type:<10} date={e.date} ({e.date_source}) actors={list(e.actors)} "
                   f"rule={e.rule} trigger={e.trigger!r}")
        out.append(f"      {e.sentence[:160]}")
    if art.notes:
        out += ["", f"notes: {art.notes}"]
    return "\n".join(out)
