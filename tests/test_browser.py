"""report.html in a real browser (headless Chromium, Debian's package): no console error, every chart drawn.

``make test`` installs Chromium where /usr/bin/chromium is missing (``make chromium``); the test
tries the same install itself, and is skipped only when that is impossible here (not root, no
apt-get, or no package source reachable).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("websocket")

from pipeline.cli import main  # noqa: E402
from pipeline.report.browser import Page, check_page, find_chromium  # noqa: E402
from pipeline.runner import RunOptions, run  # noqa: E402

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path:
        return path
    res = subprocess.run(["sh", str(ROOT / "scripts" / "install_chromium.sh")], capture_output=True, text=True)
    path = find_chromium()
    if path:
        return path
    if res.returncode == 3:
        pytest.skip(res.stderr.strip())
    pytest.skip(f"Chromium could not be installed (apt-get exit {res.returncode}): {res.stderr.strip()[-500:]}")


@pytest.fixture(scope="module")
def run_out(tmp_path_factory, corpus_dir) -> Path:
    out = tmp_path_factory.mktemp("report_run")
    run(RunOptions(inputs=(corpus_dir,), out=out, workers=1, progress="none"))
    return out


def test_the_report_renders_in_chromium_without_errors(chromium, run_out, tmp_path):
    page = run_out / "report.html"
    html = page.read_text(encoding="utf-8")
    res = check_page(page, tmp_path / "report.png")
    assert res.console_errors == []
    assert res.title == "Rapport frnews"
    assert len(res.charts) == html.count('<svg class="chart"') >= 6
    for chart in res.charts:  # every chart drew marks and has a size on the page
        assert chart["marks"] > 0 and chart["width"] > 0 and chart["height"] > 0, chart
    png = (tmp_path / "report.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
    manifest = json.loads((run_out / "run.json").read_text(encoding="utf-8"))
    assert {"xlsx", "report"} <= set(manifest["timings"])


def test_a_chart_link_filters_its_table(chromium, run_out):
    with Page() as page:
        page.open(run_out / "report.html")
        href = page.evaluate("document.querySelector('svg.chart a[href^=\"#f/t-events/\"]').getAttribute('href')")
        key = page.evaluate(f"decodeURIComponent({json.dumps(href.split('/', 2)[2])})")
        page.evaluate(f"location.hash = {json.dumps(href)}")
        page.evaluate("new Promise(function (r) { setTimeout(r, 50); })")
        rows = json.loads(page.evaluate("JSON.stringify(Array.from(document.querySelectorAll('#t-events tbody tr'))"
                                        ".map(function (r) { return [r.hidden, r.getAttribute('data-k')]; }))"))
        shown = [k for hidden, k in rows if not hidden]
        assert shown and all(key in k.split("|") for k in shown)
        assert len(shown) < len(rows)
        page.evaluate("location.hash = '#t-events'")
        page.evaluate("new Promise(function (r) { setTimeout(r, 50); })")
        assert page.evaluate("document.querySelectorAll('#t-events tbody tr[hidden]').length") == 0
        assert page.console_errors() == []


def test_the_english_report_renders_too(chromium, run_out, tmp_path):
    out = tmp_path / "en"
    out.mkdir()
    for p in run_out.glob("*.parquet"):
        (out / p.name).symlink_to(p)
    assert main(["report", "--out", str(out), "--lang", "en"]) == 0
    res = check_page(out / "report.html")
    assert res.console_errors == [] and res.title == "frnews report"
    assert res.charts and all(c["marks"] > 0 for c in res.charts)
