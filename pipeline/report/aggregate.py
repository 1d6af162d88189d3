"""The report's aggregates: counts and a bounded number of examples of a run's tables.

:class:`Aggregator` is fed the rows of the contract's tables in chunks; columns are looked up by
name, so new columns change nothing, and every counter is bounded (:class:`Tally`), so memory and
the page's size do not grow with the dump.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from pipeline.contract import Contract

#: distinct values kept per counter before the rarest are forgotten (bounded memory)
MAX_KEYS = 100_000
TOP = 15
SAMPLES_PER_KEY = 5
SAMPLES_PER_TYPE = 8
FAILURES_LISTED = 200
SENTENCE_CHARS = 220
_PERIOD = re.compile(r"(\d{4})(?:-(\d{2}))?")
_LINE = re.compile(r":\d+$")
_MONEY = re.compile(r"\s([A-Z]{3})$")


class Tally:
    """A counter of bounded size: past ``cap`` keys, the rarer half is forgotten."""

    def __init__(self, cap: int = MAX_KEYS):
        self.c: Counter = Counter()
        self.cap = cap
        self.pruned = False

    def add(self, key, n: int = 1) -> None:
        self.c[key] += n
        if len(self.c) > self.cap:
            keep = self.c.most_common(self.cap // 2)
            self.c = Counter(dict(keep))
            self.pruned = True

    def top(self, n: int):
        return self.c.most_common(n)


class Aggregator:
    """Counts and bounded examples of a run's tables, fed chunk by chunk."""

    def __init__(self, contract: Contract):
        self.cols = {name: {c: i for i, c in enumerate(contract[name].names())} for name in contract}
        self.contract = contract
        self.status: Counter = Counter()
        self.languages: dict[str, Counter] = defaultdict(Counter)
        self.sources = Tally(10_000)
        self.failures: list[tuple[str, str, str]] = []
        self.reasons = Tally(10_000)
        self.events_by = Counter()  # (period, type)
        self.event_types: Counter = Counter()
        self.undated = 0
        self.samples: dict[str, tuple] = {}  # event_id -> row shown
        self.sample_keys: Counter = Counter()
        self.actors = Tally()
        self.actor_countries = Tally()  # (name, type, country)
        self.countries: Counter = Counter()
        self.country_names: dict[str, tuple[str, str]] = {}
        self.sectors: Counter = Counter()
        self.money: dict[str, list] = {}
        self.clusters: list[tuple] = []
        self.cluster_cols: list[str] = []
        self.cluster_rows = 0

    def add(self, table: str, chunk) -> None:
        fn = getattr(self, f"_add_{table}", None)
        if fn is not None:
            fn(self.cols[table], chunk)

    # -- the tables --------------------------------------------------------------
    def _add_articles(self, ix, chunk) -> None:
        st, lang, src, err, aid = (ix.get(k) for k in ("status", "language", "source", "error", "article_id"))
        for row in chunk:
            status = (row[st] if st is not None else None) or "ok"
            self.status[status] += 1
            if lang is not None:
                self.languages[row[lang] or "—"][status] += 1
            if src is not None:
                self.sources.add(source_group(row[src] or ""))
            if status != "ok":
                reason = (row[err] if err is not None else "") or ""
                self.reasons.add((status, _reason(reason)))
                if len(self.failures) < FAILURES_LISTED:
                    self.failures.append((row[aid] if aid is not None else "", status, reason[:300]))

    def _add_events(self, ix, chunk) -> None:
        get = {k: ix.get(k) for k in ("event_id", "event_type", "date", "actors", "countries", "sectors", "money",
                                      "sentence", "article_id")}
        for row in chunk:
            v = {k: (row[i] if i is not None else None) for k, i in get.items()}
            typ = v["event_type"] or "—"
            self.event_types[typ] += 1
            m = _PERIOD.match(v["date"] or "")
            if m and m.group(2) and "01" <= m.group(2) <= "12":
                self.events_by[(f"{m.group(1)}-{m.group(2)}", typ)] += 1
            elif m:
                self.events_by[(m.group(1), typ)] += 1
            else:
                self.undated += 1
            keys = [f"type:{typ}"]
            keys += [f"country:{c}" for c in _split(v["countries"])]
            keys += [f"sector:{s}" for s in _split(v["sectors"])]
            keys += [f"cur:{m.group(1)}" for x in _split(v["money"]) if (m := _MONEY.search(x))]
            want = [k for k in keys if self.sample_keys[k] < (SAMPLES_PER_TYPE if k.startswith("type:")
                                                              else SAMPLES_PER_KEY)]
            if want and len(self.sample_keys) < 5_000:
                for k in keys:
                    self.sample_keys[k] += 1
                eid = v["event_id"] or f"{v['article_id']}#{len(self.samples)}"
                sent = v["sentence"] or ""
                if len(sent) > SENTENCE_CHARS:
                    sent = sent[:SENTENCE_CHARS - 1] + "…"
                self.samples[eid] = (keys, v["date"] or "", typ, v["actors"] or "", v["countries"] or "", sent,
                                     v["article_id"] or "")

    def _add_mentions(self, ix, chunk) -> None:
        kind, value, text, atype, country, amount, cur, nfr, nen = (
            ix.get(k) for k in ("kind", "value", "text", "actor_type", "country", "amount", "currency",
                                "name_fr", "name_en"))
        if kind is None:
            return
        for row in chunk:
            k = row[kind]
            val = (row[value] if value is not None else None) or (row[text] if text is not None else "") or ""
            if k == "actor":
                key = (val, (row[atype] if atype is not None else None) or "—")
                self.actors.add(key)
                if country is not None and row[country]:
                    self.actor_countries.add((*key, row[country]))
            elif k == "country":
                self.countries[val] += 1
                if val not in self.country_names and nfr is not None and nen is not None:
                    self.country_names[val] = (row[nfr] or val, row[nen] or val)
            elif k == "sector":
                self.sectors[val] += 1
            elif k == "money" and cur is not None and row[cur]:
                acc = self.money.setdefault(row[cur], [0, 0.0])
                acc[0] += 1
                if amount is not None and row[amount] is not None:
                    acc[1] += float(row[amount])

    def _add_clusters(self, ix, chunk) -> None:
        """The largest clusters: rows ranked by the first integer column named like a size."""
        table = self.contract["clusters"]
        ints = [c.name for c in table.columns if c.type == "int"]
        by = next((n for n in ints if any(w in n for w in ("size", "events", "count", "n_"))), ints[0] if ints else None)
        self.cluster_cols = [c.name for c in table.columns if c.name != "sentence"][:8]
        at = [ix[n] for n in self.cluster_cols]
        for row in chunk:
            self.cluster_rows += 1
            shown = tuple(_cell(row[i]) for i in at)
            rank = row[ix[by]] if by is not None and row[ix[by]] is not None else 0
            self.clusters.append((rank, self.cluster_rows, shown))
        self.clusters.sort(key=lambda x: (-x[0], x[1]))
        del self.clusters[TOP * 2:]

    # -- derived -------------------------------------------------------------
    def actor_tops(self) -> dict[str, list]:
        """The :data:`TOP` actors of each type: ``(name, mentions, "its most frequent countries")``."""
        by_type: dict[str, list] = defaultdict(list)
        for (name, typ), n in self.actors.c.most_common():
            if len(by_type[typ]) < TOP:
                by_type[typ].append([name, n, Counter()])
        tops = {(name, typ): acc for typ, accs in by_type.items() for acc in accs for name in (acc[0],)}
        for (name, typ, country), n in self.actor_countries.c.items():
            if (name, typ) in tops:
                tops[(name, typ)][2][country] += n
        return {typ: [(name, n, ", ".join(c for c, _ in cc.most_common(3))) for name, n, cc in accs]
                for typ, accs in by_type.items()}


def source_group(source: str) -> str:
    """A record's source as a group: the file of a multi-record file, else the folder."""
    if _LINE.search(source):
        return _LINE.sub("", source)
    parent = str(Path(source).parent)
    return parent if parent not in ("", ".") else source


def _reason(error: str) -> str:
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", error)[:120]


def _split(joined: str | None) -> list[str]:
    return [x for x in (joined or "").split("; ") if x]


def _cell(v) -> str:
    s = "" if v is None else str(v)
    return s if len(s) <= 120 else s[:119] + "…"
