"""``frnews explain``: why each raw line was kept or dropped, and where each value came from."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipeline.process import process_batch
from pipeline.read import iter_records
from pipeline.stages import flow_line
from pipeline.stages.events import COUNTED


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


def _why_title(rec, art) -> str:
    """Where the title came from: the input, the HTML, or the headline line the clean stage chose."""
    if not art.title:
        return " - no headline-like line just above the article's first paragraph"
    if rec.title:
        return " - given by the input"
    k = next((k for k, ln in enumerate(art.lines) if ln.reason == "headline"), None)
    if k is None:
        return " - from the HTML metadata" if rec.html else ""
    return f" - headline: raw line {art.lines[k].index + 1}; " + "; ".join(headline_cues(art.lines, k))


def headline_cues(lines, k: int) -> list[str]:
    """The cues the headline at ``lines[k]`` shows (its words, the byline or date beside it, a second
    print, a page title with the site's name, the first paragraph under it)."""
    from pipeline.settings import or_defaults
    from pipeline.stages.metadata import load_rules
    from pipeline.text.lines import is_meta_line, word_count

    rules, short_line = load_rules(), or_defaults("metadata", None).short_line
    head = lines[k]
    cues = [f"{word_count(head.text)} words"]
    beside = [ln for ln in lines[max(0, k - 2):k] + lines[k + 1:k + 5]
              if is_meta_line(ln.text, rules, short_line=short_line)]
    cues.append(f"byline/date beside it: raw line {beside[0].index + 1} {beside[0].text[:50]!r}" if beside
                else "no byline or date beside it")
    key = head.text.strip().casefold()
    again = [ln.index + 1 for j, ln in enumerate(lines) if j != k and key in ln.text.casefold()]
    if again:
        cues.append(f"printed again on raw line(s) {', '.join(map(str, again[:3]))}")
    first = next((ln for ln in lines[k + 1:] if ln.keep and len(ln.text) >= short_line), None)
    if first is not None:
        cues.append(f"first paragraph under it: raw line {first.index + 1}")
    return cues


def _why_date(rec, art) -> str:
    """Which raw line gave the publication date read from the text."""
    if art.published_source not in ("text", "text-updated") or not rec.text:
        return ""
    from pipeline.records import Cleaned
    from pipeline.stages.metadata import date_near_headline, date_on_page

    cleaned = Cleaned(body=art.body, lines=art.lines, offsets=())
    where = "in the zone around the headline"
    _, source, idx = date_near_headline(rec.text, cleaned, lang=art.language)
    if idx is None:
        where = ("on the page, away from the headline (a publication cue, else the first date line "
                 "above the body's last paragraph)")
        _, source, idx = date_on_page(rec.text, cleaned, lang=art.language)
    if idx is None:
        return " - a header or footer line (no headline found)"
    line = rec.text.splitlines()[idx].strip()
    kind = "an update date (no publication date printed)" if source == "text-updated" else "the first date"
    return f" - {kind} {where}: raw line {idx + 1} {line[:80]!r}"


def _clusters_of(art, out: Path | None) -> dict[str, str]:
    """event id -> a line about its cluster: from the run in ``out`` (its events.csv and
    clusters.csv) when given and the event is there, else among this article's events only."""
    import csv

    from pipeline.passes.clusters import Ev, cluster_events, site_of

    lines: dict[str, str] = {}
    if out is not None and (out / "events.csv").exists() and (out / "clusters.csv").exists():
        with (out / "clusters.csv").open(encoding="utf-8-sig") as fh:
            rows = {r["cluster_id"]: r for r in csv.DictReader(fh)}
        with (out / "events.csv").open(encoding="utf-8-sig") as fh:
            for r in csv.DictReader(fh):
                c = rows.get(r.get("cluster_id") or "")
                if c is not None:
                    others = [a for a in c["article_ids"].split("; ") if a != art.article_id]
                    lines[r["event_id"]] = (f"{c['cluster_id']}: {c['n_events']} event(s) in {c['n_articles']} "
                                            f"article(s) from {c['n_sources']} source(s), first seen "
                                            f"{c['first_seen']}" + (f"; also in {', '.join(others[:5])}"
                                                                     + (" …" if len(others) > 5 else "")
                                                                     if others else ""))
    evs = [Ev(e.event_id, art.article_id, e.event_type, e.date, e.actors, e.countries, e.sentence,
              dict(e.extra).get("polarity"), dict(e.extra).get("modality"), art.published,
              site_of(art.url, art.source)) for e in art.events if e.event_id not in lines]
    if evs:
        ids, rows = cluster_events(evs)
        size = {r[0]: r[6] for r in rows}
        where = " (this article only; pass --out DIR of a run over the dump for clusters across articles)"
        for ev in evs:
            lines[ev.event_id] = f"{ids[ev.event_id]}: {size[ids[ev.event_id]]} event(s){where}"
    return lines


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


def explain(article: str, *, input_dir: Path = Path("corpus"), record_id: str | None = None,
            out: Path | None = None) -> str:
    out_dir = out
    rec = _find(article, input_dir, record_id)
    art = process_batch([rec])[0]
    out = [f"article {art.article_id} ({art.source})",
           f"status {art.status}" + (f": {art.error}" if art.error else ""),
           f"title: {art.title!r}" + _why_title(rec, art),
           f"published: {art.published} (from {art.published_source})" + _why_date(rec, art),
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
    out += ["", "EVENTS (type, trigger, source → target, polarity / modality, date, cluster)"]
    clusters = _clusters_of(art, out_dir)
    for e in art.events:
        x = dict(e.extra)
        counted = "" if (x.get("polarity"), x.get("modality")) in COUNTED else "  [not counted]"
        out.append(f"  {e.event_type:<10} trigger={e.trigger!r} rule={e.rule}{counted}")
        out.append(f"      source={x.get('source_actors') or '-'} → target={x.get('target_actors') or '-'} "
                   f"(actors in the sentence: {list(e.actors)})")
        out.append(f"      polarity={x.get('polarity')} modality={x.get('modality')} "
                   f"date={e.date} ({e.date_source})")
        out.append(f"      cluster {clusters.get(e.event_id, '-')}")
        out.append(f"      {e.sentence[:160]}")
    if art.notes:
        out += ["", f"notes: {art.notes}"]
    return "\n".join(out)
