"""Inline SVG charts for report.html (no script, no network): ranked bars and stacked bars.

Every bar is a link (``href``) to a filtered table of the report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#17becf",
           "#bcbd22", "#7f7f7f")


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def hbars(items: Sequence[tuple[str, float, str, str]], fmt: Callable[[float], str], *, label: str,
          width: int = 680, fill: str = PALETTE[0]) -> str:
    """Ranked horizontal bars; ``items`` are ``(label, value, href, tooltip)``, largest first."""
    row, left, right = 22, 230, 70
    top = max((v for _, v, _, _ in items), default=0) or 1
    h = row * len(items) + 6
    out = [f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{width}" height="{h}" '
           f'viewBox="0 0 {width} {h}" xmlns="http://www.w3.org/2000/svg">']
    span = width - left - right
    for i, (name, value, href, tip) in enumerate(items):
        y = 3 + i * row
        w = max(1.0, span * value / top)
        out.append(f'<a href="{escape(href)}"><title>{escape(tip)}</title>'
                   f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{escape(_short(name, 34))}</text>'
                   f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{row - 6}" fill="{fill}"/>'
                   f'<text x="{left + w + 4:.1f}" y="{y + 15}" class="num">{escape(fmt(value))}</text></a>')
    out.append("</svg>")
    return "".join(out)


def stacked(periods: Sequence[str], series: Sequence[str], counts: dict[tuple[str, str], int],
            hrefs: dict[str, str], fmt: Callable[[float], str], *, label: str, height: int = 280) -> str:
    """Vertical bars, one per period, stacked by series (colour ``i`` for ``series[i]``)."""
    left, bottom, top_pad = 64, 56, 10
    bar = 16 if len(periods) <= 40 else 10
    gap = 4
    width = max(680, left + len(periods) * (bar + gap) + 10)
    totals = [sum(counts.get((p, s), 0) for s in series) for p in periods]
    tick = max(1, -(-max(totals, default=0) // 4))  # four whole-number steps
    top = tick * 4
    plot_h = height - bottom - top_pad
    out = [f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for k in range(5):  # grid lines with their values
        y = top_pad + plot_h - plot_h * k / 4
        out.append(f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                   f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="num">{fmt(tick * k)}</text>')
    step = max(1, len(periods) // 16)
    for i, p in enumerate(periods):
        x = left + 4 + i * (bar + gap)
        y = top_pad + plot_h
        for j, s in enumerate(series):
            n = counts.get((p, s), 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            out.append(f'<a href="{escape(hrefs[s])}"><title>{escape(f"{p} {s}: {n}")}</title>'
                       f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="{color(j)}"/></a>')
        if i % step == 0:
            out.append(f'<text x="{x + bar / 2}" y="{height - bottom + 14}" text-anchor="end" '
                       f'transform="rotate(-45 {x + bar / 2} {height - bottom + 14})">{escape(p)}</text>')
    out.append("</svg>")
    return "".join(out)
