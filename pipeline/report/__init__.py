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
import tomllib
from collections import Counter
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import quote

from babel.numbers import format_decimal

from pipeline.report.aggregate import TOP, Aggregator, Tally, source_group  # noqa: F401 - the API
from pipeline.report.charts import color, hbars, stacked

REPORT_NAME = "report.html"
LABELS_FILE = Path(__file__).with_name("labels.toml")
LANGS = ("fr", "en")
#: more months than this on the time axis: years instead
MAX_MONTHS = 48


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
figcaption{font-weight:600;margin-bottom:4px}svg.chart{max-width:100%;height:auto}svg.chart text{font-size:11px;fill:#333}
svg.chart .num{fill:#555}svg.chart .grid{stroke:#e3e3e3}svg.chart a:hover rect{opacity:.75}
table{border-collapse:collapse;background:#fff;margin:8px 0;font-size:13px}
caption{text-align:left;font-weight:600;padding:4px 0}th,td{border:1px solid #dde;padding:3px 8px;
text-align:left;vertical-align:top}th{background:#eef1f6}td.n{text-align:right;white-space:nowrap}
.legend span{display:inline-block;margin:2px 10px 2px 0}.legend i{display:inline-block;width:10px;height:10px;
margin-right:4px}.flt{font-weight:normal;margin-left:10px;background:#fff3c4;padding:1px 6px}
.note{color:#666;font-size:12px}details{margin:8px 0}summary{cursor:pointer;font-weight:600;color:#1f3a5f}.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:12px}
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
      if (on) {
        var d = t.closest("details");
        if (d) { d.open = true; }
        t.scrollIntoView();
      }
    }
  }
  window.addEventListener("hashchange", apply);
  apply();
})();
"""


def _to(agg: Aggregator, event_key: str, table_id: str, key: str) -> str:
    """A bar's link: the sample events with ``event_key`` when there are some, else its own table's row."""
    return _href("t-events", event_key) if agg.sample_keys.get(event_key) else _href(table_id, key)


def _href(table_id: str, key: str) -> str:
    return f"#f/{table_id}/{quote(key.encode('utf-8', 'replace'), safe='')}"


class _Page:
    def __init__(self, lang: str):
        self.L = labels(lang)
        self.lang = lang

    def num(self, v: float, digits: int = 0) -> str:
        return format_decimal(round(v, digits), format="#,##0" + ("." + "0" * digits if digits else ""),
                              locale=self.lang)

    def table(self, tid: str, caption: str, head: list[str], rows: list[tuple[list[str], list], ], *,
              numeric: set[int] = frozenset(), folded: bool = False) -> str:
        """A filterable table: ``rows`` are ``(keys, cells)``; ``folded``: in a closed ``<details>``
        (opened when a chart's link filters it)."""
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
        if folded:
            return (f'<details><summary>{escape(caption)} ({self.num(len(rows))}) — {escape(self.L["view_table"])}'
                    f'</summary>{"".join(out)}</details>')
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
                       [([f"status:{s}"], [a, L.get("status_" + s, s), e]) for a, s, e in agg.failures],
                       folded=len(agg.failures) > 20))
    if not agg.failures:
        run.append(P.nodata())
    run.append("</section>")
    parts.append("".join(run))

    # -- events
    ev = [f'<section id="events"><h2>{escape(L["nav_events"])}</h2>']
    types = [t for t, _ in agg.event_types.most_common()]
    hrefs = {t: _href("t-events", f"type:{t}") for t in types}
    periods, counts, undated, outside = time_axis(agg.events_by, agg.undated)
    if periods:
        legend = '<div class="legend">' + "".join(
            f'<span><a href="{escape(hrefs[t])}"><i style="background:{color(i)}"></i>{escape(t)}</a> '
            f'({P.num(agg.event_types[t])})</span>' for i, t in enumerate(types)) + "</div>"
        note = (f'<p class="note">{escape(L["undated"])}: {P.num(undated)}'
                + (f' · {escape(L["outside"])}: {P.num(outside)}' if outside else "") + "</p>")
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
                      [(keys, rest) for keys, *rest in agg.samples.values()], folded=True))
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
                      numeric={3}, folded=True))
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
            [(agg.country_names.get(c, (c, c))[name_i], n, _to(agg, f"country:{c}", "t-countries", c), f"{c}: {n}")
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
        [(s, n, _to(agg, f"sector:{s}", "t-sectors", s), f"{s}: {n}") for s, n in top_s], P.num,
        label=L["sectors_ranked"], fill=color(6))) if top_s else P.nodata())
    se.append(P.table("t-sectors", L["sectors_ranked"], [L["sector"], L["mentions"]],
                      [([s], [s, n]) for s, n in top_s], numeric={1}))
    se.append("</section>")
    parts.append("".join(se))

    # -- money
    cur = sorted(agg.money.items(), key=lambda kv: -kv[1][0])
    mo = [f'<section id="money"><h2>{escape(L["money_by_currency"])}</h2>']
    mo.append(P.figure(L["money_by_currency"], hbars(
        [(c, n, _to(agg, f"cur:{c}", "t-money", c), f"{c}: {n} ({P.num(s)})") for c, (n, s) in cur[:20]], P.num,
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


def time_axis(events_by: Counter, undated: int, trim: float = 0.05):
    """The periods of the events chart: months, or years when the dated events span more than
    :data:`MAX_MONTHS` months; the axis leaves out the ``trim`` share of dated events at either
    end (a history reference such as "1789" would flatten the rest).  Returns the periods, the
    counts by (period, type), the events not dated to the period's unit and those left outside."""
    monthly = Counter({k: n for k, n in events_by.items() if len(k[0]) == 7})
    span = _central(monthly, trim)
    if span and _months_between(*span) <= MAX_MONTHS:
        periods = _month_axis(*span)
        year_only = sum(n for (p, _), n in events_by.items() if len(p) == 4)
        shown = Counter({k: n for k, n in monthly.items() if span[0] <= k[0] <= span[1]})
        return periods, shown, undated + year_only, sum(monthly.values()) - sum(shown.values())
    yearly: Counter = Counter()
    for (p, t), n in events_by.items():
        yearly[(p[:4], t)] += n
    span = _central(yearly, trim)
    if not span:
        return [], Counter(), undated, 0
    shown = Counter({k: n for k, n in yearly.items() if span[0] <= k[0] <= span[1]})
    periods = [str(y) for y in range(int(span[0]), int(span[1]) + 1)]
    return periods, shown, undated, sum(yearly.values()) - sum(shown.values())


def _central(counts: Counter, trim: float) -> tuple[str, str] | None:
    """The first and last period once ``trim`` of the total is left out at either end."""
    by_period: Counter = Counter()
    for (p, _), n in counts.items():
        by_period[p] += n
    if not by_period:
        return None
    periods = sorted(by_period)
    total = sum(by_period.values())
    cut = int(total * trim)
    lo, acc = 0, 0
    while lo < len(periods) - 1 and acc + by_period[periods[lo]] <= cut:
        acc += by_period[periods[lo]]
        lo += 1
    hi, acc = len(periods) - 1, 0
    while hi > lo and acc + by_period[periods[hi]] <= cut:
        acc += by_period[periods[hi]]
        hi -= 1
    return periods[lo], periods[hi]


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
