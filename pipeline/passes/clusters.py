"""The same real event across articles: a dump-level post-pass that gives every event a ``cluster_id``.

A dump holds many reports of one event (agencies, regional papers, follow-ups).  Two
events are *linked* when they

- have the same PLOVER type and the same assertion (polarity, and modality for the
  events that do not count: a planned signing is not the signing);
- have dates (day or month precision) at most ``cluster_window_days`` apart;
- share participants: at least one actor or country, and at least two when both
  events name two or more (Israel + Hamas and Israel + Hezbollah stay apart);
- say similar things: the Jaccard index of their sentences' content words (accents
  and case folded, spaCy's French stop words out) is at least ``cluster_min_similarity``.

A cluster is a connected component of that graph.  Components do not depend on the
order the events are seen in, so an incremental run (earlier events keep their
component, only the new events are compared) gives the same clusters as one run over
everything; the cluster id is a hash of the smallest event id of the component.

Not quadratic: candidates come from *blocks* keyed by (type, assertion, participant,
window-sized date bucket); an event is compared with the events of its participants'
blocks in its bucket and the two next to it.  A block with more than
``cluster_max_block`` events (a participant named everywhere on those days: it tells
nothing) is not used for linking.  ``benchmarks/clusters.py`` times 10,000 and 100,000
synthetic events.

State between runs lives in the run store (table ``cluster_state``: each event's
component root and a signature of what linking read from it).  When an event that was
clustered before is gone or changed, or a block crosses the size cap, the pass
recomputes every component (the components of the rest could split); otherwise it
compares only the new events.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

COUNTED = frozenset({("affirmed", "asserted"), ("affirmed", "reported")})
_WORD = re.compile(r"[^\W\d_]{3,}")


def _stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(_fold(w) for w in STOP_WORDS)


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if not unicodedata.combining(c))


_STOP: frozenset[str] | None = None


def content_words(sentence: str) -> frozenset[str]:
    """The folded content words of a sentence (3+ letters, no stop word)."""
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    return frozenset(w for w in _WORD.findall(_fold(sentence)) if w not in _STOP)


def day_of(date: str | None) -> int | None:
    """Day number of an EDTF value's start (``2026-03-04``, ``2026-03``, ``2026-03-04/2026-03-06``);
    None for a year alone or no date."""
    if not date:
        return None
    d = date.split("/")[0]
    try:
        if len(d) >= 10:
            return datetime.date.fromisoformat(d[:10]).toordinal()
        if len(d) == 7:
            return datetime.date.fromisoformat(d + "-01").toordinal()
    except ValueError:
        return None
    return None


def _split(v: str | None) -> tuple[str, ...]:
    return tuple(x for x in (v or "").split("; ") if x)


@dataclass
class Ev:
    """What linking reads from one event row."""

    event_id: str
    article_id: str
    event_type: str
    date: str | None
    actors: tuple[str, ...]
    countries: tuple[str, ...]
    sentence: str
    polarity: str = "affirmed"
    modality: str = "asserted"
    published: str | None = None
    site: str = ""
    day: int | None = field(init=False)
    words: frozenset[str] = field(init=False)
    parts: frozenset[str] = field(init=False)

    def __post_init__(self):
        self.day = day_of(self.date)
        self.words = content_words(self.sentence)
        self.parts = frozenset(self.actors) | frozenset("c:" + c for c in self.countries)

    @property
    def assertion(self) -> str:
        pm = (self.polarity or "affirmed", self.modality or "asserted")
        return "counted" if pm in COUNTED else f"{pm[0]}/{pm[1]}"

    def signature(self) -> str:
        """A hash of what linking reads (a changed event is re-clustered from scratch)."""
        spec = "|".join((self.event_type, self.assertion, str(self.day), ";".join(sorted(self.parts)),
                         ";".join(sorted(self.words))))
        return hashlib.sha1(spec.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Params:
    window_days: int = 3
    min_similarity: float = 0.1
    max_block: int = 1000

    @classmethod
    def of(cls, settings) -> Params:
        if settings is None:
            return cls()
        ev = settings["events"]
        return cls(ev.cluster_window_days, ev.cluster_min_similarity, ev.cluster_max_block)


def linked(a: Ev, b: Ev, p: Params) -> bool:
    """Do ``a`` and ``b`` report the same event (see the module docstring)?"""
    if a.event_type != b.event_type or a.assertion != b.assertion or a.day is None or b.day is None:
        return False
    if abs(a.day - b.day) > p.window_days:
        return False
    shared = len(a.parts & b.parts)
    if shared == 0 or (shared < 2 and len(a.parts) >= 2 and len(b.parts) >= 2):
        return False
    union = len(a.words | b.words)
    return union > 0 and len(a.words & b.words) / union >= p.min_similarity


def _blocks(ev: Ev, p: Params) -> list[tuple]:
    if ev.day is None:
        return []
    bucket = ev.day // max(1, p.window_days)
    return [(ev.event_type, ev.assertion, part, bucket) for part in ev.parts]


class Components:
    """Union-find over event ids; a component's root is its smallest event id."""

    def __init__(self, roots: dict[str, str] | None = None):
        self.parent: dict[str, str] = dict(roots or {})

    def find(self, x: str) -> str:
        parent = self.parent
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo


def cluster_id(root: str) -> str:
    return "c" + hashlib.sha1(root.encode()).hexdigest()[:15]


def link(events: Sequence[Ev], p: Params, *, roots: dict[str, str] | None = None,
         new: Iterable[int] | None = None) -> tuple[Components, bool]:
    """Components of ``events``; with ``roots`` (event id -> root, from an earlier run over the
    events not in ``new``), only the events at the indices ``new`` are compared.

    Returns the components and whether the incremental answer stands (False: a block crossed
    the size cap, the caller must recompute everything)."""
    index: dict[tuple, list[int]] = defaultdict(list)
    for k, ev in enumerate(events):
        for b in _blocks(ev, p):
            index[b].append(k)
    todo = range(len(events)) if new is None else sorted(set(new))
    if roots is not None and new is not None:
        fresh = set(todo)
        for members in index.values():
            n_old = sum(1 for k in members if k not in fresh)
            if (n_old > p.max_block) != (len(members) > p.max_block):
                return Components(), False
    comps = Components(roots if new is not None else None)
    for k in todo:
        ev = events[k]
        comps.find(ev.event_id)
        if ev.day is None:
            continue
        bucket = ev.day // max(1, p.window_days)
        seen: set[int] = {k}
        for part in ev.parts:
            for b in (bucket - 1, bucket, bucket + 1):
                members = index.get((ev.event_type, ev.assertion, part, b))
                if not members or len(members) > p.max_block:
                    continue
                for m in members:
                    if m in seen:
                        continue
                    seen.add(m)
                    if linked(ev, events[m], p):
                        comps.union(ev.event_id, events[m].event_id)
    return comps, True


def summarize(events: Sequence[Ev], comps: Components) -> tuple[dict[str, str], list[tuple]]:
    """``(event id -> cluster id, clusters rows)``; rows in the contract's column order, by first
    appearance of the cluster in ``events``."""
    groups: dict[str, list[Ev]] = {}
    for ev in events:
        groups.setdefault(comps.find(ev.event_id), []).append(ev)
    ids: dict[str, str] = {}
    rows = []
    for root, evs in groups.items():
        cid = cluster_id(root)
        for ev in evs:
            ids[ev.event_id] = cid
        dates = sorted(d for d in (ev.date for ev in evs) if d)
        actors = Counter(a for ev in evs for a in ev.actors)
        countries = Counter(c for ev in evs for c in ev.countries)
        articles = list(dict.fromkeys(ev.article_id for ev in evs))
        sites = {ev.site or ev.article_id for ev in evs}
        pubs = sorted(ev.published for ev in evs if ev.published)
        rows.append((cid, evs[0].event_type, dates[0] if dates else None, dates[-1] if dates else None,
                     "; ".join(a for a, _ in sorted(actors.items(), key=lambda x: (-x[1], x[0]))),
                     "; ".join(c for c, _ in sorted(countries.items(), key=lambda x: (-x[1], x[0]))),
                     len(evs), len(articles), len(sites), pubs[0] if pubs else (dates[0] if dates else None),
                     "; ".join(articles)))
    return ids, rows


def cluster_events(events: Sequence[Ev], p: Params | None = None) -> tuple[dict[str, str], list[tuple]]:
    """Cluster ``events`` from scratch: ``(event id -> cluster id, clusters rows)``."""
    comps, _ = link(events, p or Params())
    return summarize(events, comps)


def site_of(url: str | None, source: str | None) -> str:
    """Where an article comes from: its URL's host (without ``www.``), else its input file."""
    if url:
        host = urlsplit(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    src = source or ""
    return src.rsplit(":", 1)[0] if re.search(r":\d+$", src) else src


# -- the post-pass over the run store ------------------------------------------------------

_STATE = "CREATE TABLE IF NOT EXISTS cluster_state(event_id TEXT PRIMARY KEY, root TEXT, sig TEXT)"


def _read_events(store, run_id: str) -> tuple[list[Ev], list[tuple[str, int, str | None]]]:
    sql = ("SELECT t.key, t.idx, t.cluster_id, t.event_id, t.article_id, t.event_type, t.date, t.actors, "
           "t.countries, t.sentence, t.polarity, t.modality, a.published, a.url, a.source "
           "FROM events t JOIN articles a ON a.key=t.key WHERE a.run=? ORDER BY a.seq, t.idx")
    evs, where = [], []
    for (key, idx, cid, eid, aid, etype, date, actors, countries, sentence, pol, mod, pub, url,
         source) in store.db.execute(sql, (run_id,)):
        evs.append(Ev(eid, aid, etype, date, _split(actors), _split(countries), sentence or "", pol, mod,
                      pub, site_of(url, source)))
        where.append((key, idx, cid))
    return evs, where


def run(store, run_id: str, settings) -> dict:
    """Post-pass ``clusters``: set every stored event's ``cluster_id`` and write the ``clusters`` table."""
    p = Params.of(settings)
    db = store.db
    db.execute(_STATE)
    events, where = _read_events(store, run_id)
    # an event id can repeat (an exact duplicate row keeps none; a re-used id would): keep the first
    first: dict[str, int] = {}
    for k, ev in enumerate(events):
        first.setdefault(ev.event_id, k)
    uniq = [events[k] for k in sorted(first.values())]
    state = {eid: (root, sig) for eid, root, sig in db.execute("SELECT event_id, root, sig FROM cluster_state")}
    sigs = {ev.event_id: ev.signature() for ev in uniq}
    old = {eid for eid, (_, sig) in state.items() if sigs.get(eid) == sig}
    incremental = bool(state) and len(old) == len(state)
    comps = None
    if incremental:
        new = [k for k, ev in enumerate(uniq) if ev.event_id not in old]
        comps, ok = link(uniq, p, roots={eid: state[eid][0] for eid in old}, new=new)
        incremental = ok
        n_compared = len(new)
    if not incremental:
        comps, _ = link(uniq, p)
        n_compared = len(uniq)
    ids, rows = summarize(uniq, comps)
    db.execute("BEGIN")
    try:
        db.execute("DELETE FROM cluster_state")
        db.executemany("INSERT INTO cluster_state VALUES (?, ?, ?)",
                       [(ev.event_id, comps.find(ev.event_id), sigs[ev.event_id]) for ev in uniq])
        updates = [(ids[ev.event_id], key, idx) for ev, (key, idx, cid) in zip(events, where)
                   if ids[ev.event_id] != cid]
        db.executemany("UPDATE events SET cluster_id=? WHERE key=? AND idx=?", updates)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    store.put_dump("clusters", run_id, rows)
    multi = sum(1 for r in rows if r[7] > 1)
    log.info("clusters: %d events, %d clusters (%d across articles), %s", len(uniq), len(rows), multi,
             "incremental" if incremental else "full")
    return {"events": len(uniq), "clusters": len(rows), "across_articles": multi,
            "mode": "incremental" if incremental else "full", "compared": n_compared}
