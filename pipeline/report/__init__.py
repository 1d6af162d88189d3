"""``report.html``: what a run found, as one self-contained page (inline SVG charts, no network).

:class:`Aggregator` is fed the rows of the contract's tables in chunks (the columns are looked up
by name, so new columns change nothing) and keeps only counts and a bounded number of examples:
the page has the same size for a hundred articles and for a hundred thousand.  :func:`render`
writes the page: the run's counts (by status, language and source, the failures and their
reasons), events over time by PLOVER type, the top actors by type with their countries, countries,
sectors, money by currency, and the largest event clusters when the contract has a ``clusters``
table.  Each bar links to a table of the page filtered to it (a few lines of inline script; the
tables are complete without it).  Labels come from ``labels.toml`` (French by default).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import Counter, defaultdict
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import quote

from babel.numbers import format_decimal

from pipeline.contract import Contract
from pipeline.report.charts import color, hbars, stacked

REPORT_NAME = "report.html"
LABELS_FILE = Path(__file__).with_name("labels.toml")
LANGS = ("fr", "en")
#: distinct values kept per counter before the rarest are forgotten (bounded memory)
MAX_KEYS = 200_000
TOP = 15
SAMPLES_PER_KEY = 5
SAMPLES_PER_TYPE = 8
FAILURES_LISTED = 200
SENTENCE_CHARS = 220
#: more months than this on the time axis: years instead
MAX_MONTHS = 48
_PERIOD = re.compile(r"(\d{4})(?:-(\d{2}))?")
_LINE = re.compile(r":\d+$")
_MONEY = re.compile(r"\s([A-Z]{3})$")


class LabelsError(ValueError):
    pass


@cache
def labels(lang: str, path: Path = LABELS_FILE) -> dict[str, str]:
    """The labels of ``lang``; every language of the file must have the same keys."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if lang not in data:
        raise LabelsError(f"{path}: no [{lang}] table (languages: {', '.join(data)})")
    keys = set(data[lang])
    for other, table in data.items():
        missing = keys ^ set(table)
        if missing:
            raise LabelsError(f"{path}: [{other}] and [{lang}] differ on: {', '.join(sorted(missing))}")
        bad = [k for k, v in table.items() if not isinstance(v, str)]
        if bad:
            raise LabelsError(f"{path}: [{other}] {bad[0]}: a label must be a string")
    return dict(data[lang])


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
        self.actor_countries: dict[tuple[str, str], Counter] = {}
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
                    if key not in self.actor_countries and len(self.actor_countries) >= MAX_KEYS:
                        continue
                    self.actor_countries.setdefault(key, Counter())[row[country]] += 1
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
        by_type: dict[str, list] = defaultdict(list)
        for (name, typ), n in self.actors.c.most_common():
            if len(by_type[typ]) < TOP:
                cc = self.actor_countries.get((name, typ))
                by_type[typ].append((name, n, ", ".join(c for c, _ in cc.most_common(3)) if cc else ""))
        return by_type


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


# -- the page ------------------------------------------------------------------------

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f3a5f;color:#fff;padding:14px 24px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;opacity:.85}nav{background:#e8edf3;padding:8px 24px;position:sticky;top:0}
nav a{margin-right:16px;color:#1f3a5f;text-decoration:none;font-weight:600}
main{padding:8px 24px 40px;max-width:1200px}section{margin:18px 0 30px}
h2{border-bottom:2px solid #1f3a5f;padding-bottom:4px}h3{margin:18px 0 6px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #ccd;border-radius:6px;
padding:10px 16px;min-width:120px;text-decoration:none;color:inherit}.card b{display:block;font-size:24px}
figure{margin:8px 0;background:#fff;border:1px solid #dde;border-radius:6px;padding:8px;overflow-x:auto}
figcaption{font-weight:600;margin-bottom:4px}svg.chart text{font-size:11px;fill:#333}
svg.chart .num{fill:#555}svg.chart .grid{stroke:#e3e3e3}svg.chart a:hover rect{opacity:.75}
table{border-collapse:collapse;background:#fff;margin:8px 0;font-size:13px}
caption{text-align:left;font-weight:600;padding:4px 0}th,td{border:1px solid #dde;padding:3px 8px;
text-align:left;vertical-align:top}th{background:#eef1f6}td.n{text-align:right;white-space:nowrap}
.legend span{display:inline-block;margin:2px 10px 2px 0}.legend i{display:inline-block;width:10px;height:10px;
margin-right:4px}.flt{font-weight:normal;margin-left:10px;background:#fff3c4;padding:1px 6px}
.note{color:#666;font-size:12px}.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:12px}
"""

SCRIPT = """
(function () {
  function apply() {
    var h = location.hash.slice(1), m = /^f\\/([^\\/]+)\\/(.*)$/.exec(h), key = null, id = null;
    if (m) { id = m[1]; try { key = decodeURIComponent(m[2]); } catch (e) { key = m[2]; } }
    var tables = document.querySelectorAll("table.filterable");
    for (var i = 0; i < tables.length; i++) {
      var t = tables[i], on = t.id === id, rows = t.tBodies[0] ? t.tBodies[0].rows : [];
      for (var j = 0; j < rows.length; j++) {
        var ks = (rows[j].getAttribute("data-k") || "").split("|");
        rows[j].hidden = on && ks.indexOf(key) < 0;
      }
      var f = t.querySelector(".flt");
      if (f) { f.hidden = !on; if (on) { f.querySelector("b").textContent = key; } }
      if (on) { t.scrollIntoView(); }
    }
  }
  window.addEventListener("hashchange", apply);
  apply();
})();
"""


def _href(table_id: str, key: str) -> str:
    return f"#f/{table_id}/{quote(key, safe='')}"


class _Page:
    def __init__(self, lang: str):
        self.L = labels(lang)
        self.lang = lang

    def num(self, v: float, digits: int = 0) -> str:
        return format_decimal(round(v, digits), format="#,##0" + ("." + "0" * digits if digits else ""),
                              locale=self.lang)

    def table(self, tid: str, caption: str, head: list[str], rows: list[tuple[list[str], list], ], *,
              numeric: set[int] = frozenset()) -> str:
        """A filterable table: ``rows`` are ``(keys, cells)``."""
        L = self.L
        out = [f'<table id="{tid}" class="filterable"><caption>{escape(caption)}<span class="flt" hidden>'
               f'{escape(L["filter"])}: <b></b> · <a href="#{tid}">{escape(L["show_all"])}</a></span></caption>'
               "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr></thead><tbody>"]
        for keys, cells in rows:
            k = "|".join(str(x).replace("|", "/") for x in keys)
            out.append(f'<tr data-k="{escape(k)}">' + "".join(
                f'<td class="n">{escape(str(c))}</td>' if i in numeric else f"<td>{escape(str(c))}</td>"
                for i, c in enumerate(cells)) + "</tr>")
        out.append("</tbody></table>")
        return "".join(out)

    def figure(self, caption: str, svg: str, extra: str = "") -> str:
        return f"<figure><figcaption>{escape(caption)}</figcaption>{svg}{extra}</figure>"

    def nodata(self) -> str:
        return f'<p class="note">{escape(self.L["no_data"])}</p>'


def render(agg: Aggregator, *, lang: str = "fr", meta: dict | None = None) -> str:
    """The report page of what ``agg`` was fed."""
    if lang not in LANGS:
        raise LabelsError(f"unknown report language {lang!r} (one of: {', '.join(LANGS)})")
    P = _Page(lang)
    L = P.L
    meta = meta or {}
    parts: list[str] = []
    total = sum(agg.status.values())

    # -- the run
    cards = "".join(
        f'<a class="card" href="{_href("t-failures", "status:" + s) if s != "ok" else "#t-languages"}">'
        f'<b>{P.num(agg.status.get(s, 0))}</b>{escape(L["status_" + s])}</a>' for s in ("ok", "skipped", "error"))
    run = [f'<section id="run"><h2>{escape(L["nav_run"])}</h2><div class="cards">'
           f'<div class="card"><b>{P.num(total)}</b>{escape(L["articles"])}</div>{cards}</div>']
    langs = sorted(agg.languages.items(), key=lambda kv: -sum(kv[1].values()))[:20]
    srcs = agg.sources.top(20)
    g = []
    if langs:
        g.append(P.figure(L["by_language"], hbars(
            [(code, sum(c.values()), _href("t-languages", code), f"{code}: {sum(c.values())}") for code, c in langs],
            P.num, label=L["by_language"])))
    if srcs:
        g.append(P.figure(L["by_source"], hbars(
            [(_tail(s), n, _href("t-sources", s), f"{s}: {n}") for s, n in srcs], P.num, label=L["by_source"],
            fill=color(3))))
    run.append(f'<div class="grid2">{"".join(g)}</div>' if g else P.nodata())
    statuses = ("ok", "skipped", "error")
    run.append(P.table("t-languages", L["by_language"], [L["language"], *(L["status_" + s] for s in statuses)],
                       [([code], [code, *(c.get(s, 0) for s in statuses)]) for code, c in langs],
                       numeric={1, 2, 3}))
    run.append(P.table("t-sources", L["by_source"], [L["source"], L["count"]],
                       [([s], [s, n]) for s, n in srcs], numeric={1}))
    if agg.reasons.c:
        run.append(P.figure(L["reasons"], hbars(
            [(f"{L['status_' + s] if 'status_' + s in L else s}: {r}", n, _href("t-failures", "status:" + s),
              f"{s}: {r}: {n}") for (s, r), n in agg.reasons.top(TOP)], P.num, label=L["reasons"], fill=color(2))))
    shown = f" ({len(agg.failures)} {L['failures_shown']})" if len(agg.failures) < total - agg.status.get("ok", 0) \
        else ""
    run.append(P.table("t-failures", L["failures"] + shown, [L["article"], L["status"], L["reason"]],
                       [([f"status:{s}"], [a, L.get("status_" + s, s), e]) for a, s, e in agg.failures]))
    if not agg.failures:
        run.append(P.nodata())
    run.append("</section>")
    parts.append("".join(run))

    # -- events
    ev = [f'<section id="events"><h2>{escape(L["nav_events"])}</h2>']
    types = [t for t, _ in agg.event_types.most_common()]
    hrefs = {t: _href("t-events", f"type:{t}") for t in types}
    months = sorted({p for p, _ in agg.events_by if len(p) == 7})
    if months and _months_between(months[0], months[-1]) <= MAX_MONTHS:
        periods, counts = _month_axis(months[0], months[-1]), Counter(
            {k: n for k, n in agg.events_by.items() if len(k[0]) == 7})
        undated = agg.undated + sum(n for (p, _), n in agg.events_by.items() if len(p) == 4)
    else:
        counts = Counter()
        for (p, t), n in agg.events_by.items():
            counts[(p[:4], t)] += n
        years = sorted({p for p, _ in counts})
        periods = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)] if years else []
        undated = agg.undated
    if periods:
        legend = '<div class="legend">' + "".join(
            f'<span><a href="{escape(hrefs[t])}"><i style="background:{color(i)}"></i>{escape(t)}</a> '
            f'({P.num(agg.event_types[t])})</span>' for i, t in enumerate(types)) + "</div>"
        note = f'<p class="note">{escape(L["undated"])}: {P.num(undated)}</p>'
        ev.append(P.figure(L["events_over_time"], stacked(periods, types, counts, hrefs, P.num,
                                                          label=L["events_over_time"]), legend + note))
    if types:
        ev.append(P.figure(L["events_by_type"], hbars(
            [(t, agg.event_types[t], hrefs[t], f"{t}: {agg.event_types[t]}") for t in types], P.num,
            label=L["events_by_type"], fill=color(4))))
    if not types:
        ev.append(P.nodata())
    ev.append(P.table("t-events", L["sample_events"],
                      [L["date"], L["event_type"], L["actors"], L["countries"], L["sentence"], L["article"]],
                      [(keys, rest) for keys, *rest in agg.samples.values()]))
    ev.append("</section>")
    parts.append("".join(ev))

    # -- actors
    ac = [f'<section id="actors"><h2>{escape(L["top_actors"])}</h2>']
    tops = agg.actor_tops()
    figs = []
    for i, typ in enumerate(sorted(tops, key=lambda t: ("PER", "GOV", "IGO", "ORG").index(t)
                                   if t in ("PER", "GOV", "IGO", "ORG") else 9)):
        name = L.get(f"type_{typ}", typ)
        figs.append(P.figure(name, hbars(
            [(f"{a} ({c})" if c else a, n, _href("t-actors", f"{typ}:{a}"), f"{a} — {typ} {c}: {n}")
             for a, n, c in tops[typ]], P.num, label=name, fill=color(i))))
    ac.append(f'<div class="grid2">{"".join(figs)}</div>' if figs else P.nodata())
    ac.append(P.table("t-actors", L["top_actors"], [L["actor"], L["actor_type"], L["country"], L["mentions"]],
                      [([f"{t}:{a}", f"type:{t}"], [a, t, c, n]) for t in tops for a, n, c in tops[t]],
                      numeric={3}))
    if agg.actors.pruned:
        ac.append(f'<p class="note">{escape(L["approx_note"])}</p>')
    ac.append("</section>")
    parts.append("".join(ac))

    # -- countries
    name_i = 0 if lang == "fr" else 1
    top_c = agg.countries.most_common(25)
    co = [f'<section id="countries"><h2>{escape(L["countries_ranked"])}</h2>']
    if top_c:
        co.append(P.figure(L["countries_ranked"], hbars(
            [(agg.country_names.get(c, (c, c))[name_i], n, _href("t-events", f"country:{c}"), f"{c}: {n}")
             for c, n in top_c], P.num, label=L["countries_ranked"], fill=color(1))))
    else:
        co.append(P.nodata())
    co.append(P.table("t-countries", L["countries_ranked"], [L["code"], L["country"], L["mentions"]],
                      [([c], [c, agg.country_names.get(c, (c, c))[name_i], n]) for c, n in top_c], numeric={2}))
    co.append("</section>")
    parts.append("".join(co))

    # -- sectors
    top_s = agg.sectors.most_common(20)
    se = [f'<section id="sectors"><h2>{escape(L["sectors_ranked"])}</h2>']
    se.append(P.figure(L["sectors_ranked"], hbars(
        [(s, n, _href("t-events", f"sector:{s}"), f"{s}: {n}") for s, n in top_s], P.num,
        label=L["sectors_ranked"], fill=color(6))) if top_s else P.nodata())
    se.append(P.table("t-sectors", L["sectors_ranked"], [L["sector"], L["mentions"]],
                      [([s], [s, n]) for s, n in top_s], numeric={1}))
    se.append("</section>")
    parts.append("".join(se))

    # -- money
    cur = sorted(agg.money.items(), key=lambda kv: -kv[1][0])
    mo = [f'<section id="money"><h2>{escape(L["money_by_currency"])}</h2>']
    mo.append(P.figure(L["money_by_currency"], hbars(
        [(c, n, _href("t-events", f"cur:{c}"), f"{c}: {n} ({P.num(s)})") for c, (n, s) in cur[:20]], P.num,
        label=L["money_by_currency"], fill=color(5))) if cur else P.nodata())
    mo.append(P.table("t-money", L["money_by_currency"], [L["currency"], L["amount_count"], L["amount_sum"]],
                      [([c], [c, n, P.num(s)]) for c, (n, s) in cur], numeric={1, 2}))
    mo.append("</section>")
    parts.append("".join(mo))

    # -- clusters (when the contract has them)
    nav_clusters = ""
    if "clusters" in agg.contract.tables:
        nav_clusters = f'<a href="#clusters">{escape(L["nav_clusters"])}</a>'
        cl = [f'<section id="clusters"><h2>{escape(L["clusters_largest"])}</h2>']
        cl.append(P.table("t-clusters", L["clusters_largest"], agg.cluster_cols,
                          [([str(i)], list(cells)) for i, (_, _, cells) in enumerate(agg.clusters[:TOP])])
                  if agg.clusters else P.nodata())
        cl.append("</section>")
        parts.append("".join(cl))

    inputs = ", ".join(str(x) for x in meta.get("inputs", []))
    when = meta.get("generated") or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    nav = "".join(f'<a href="#{k}">{escape(L["nav_" + k])}</a>' for k in
                  ("run", "events", "actors", "countries", "sectors", "money")) + nav_clusters
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(L['title'])}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{escape(L['title'])}</h1><p>{escape(L['generated'])} {escape(when)}"
            + (f" · {escape(L['inputs'])}: {escape(inputs)}" if inputs else "")
            + f"</p></header><nav>{nav}</nav><main>{''.join(parts)}</main>"
            f"<script>{SCRIPT}</script></body></html>\n")


def _tail(path: str) -> str:
    p = Path(path)
    return "/".join(p.parts[-2:]) if len(p.parts) > 2 else path


def _months_between(a: str, b: str) -> int:
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:7]) - int(a[5:7]) + 1


def _month_axis(a: str, b: str) -> list[str]:
    y, m = int(a[:4]), int(a[5:7])
    out = []
    while (y, m) <= (int(b[:4]), int(b[5:7])):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
