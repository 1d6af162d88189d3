"""Regenerate the README's picture of report.html (``make screenshot``).

Processes ``corpus/`` into a temporary folder, opens its report.html in headless Chromium
(Debian's package: ``make chromium``), checks it as the browser test does (no console
error, every chart drawn) and saves the top of the page as a PNG.

Usage: ``python scripts/report_screenshot.py [docs/report.png] [--lang fr|en]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("png", nargs="?", type=Path, default=ROOT / "docs" / "report.png")
    ap.add_argument("--lang", choices=("fr", "en"), default="fr")
    ap.add_argument("--height", type=int, default=1500, help="pixels of the page's top kept (default 1500)")
    args = ap.parse_args()
    args.png = args.png.resolve()
    from pipeline.report.browser import check_page
    from pipeline.runner import RunOptions, run

    os.chdir(ROOT)  # the report names its inputs as given: "corpus"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        run(RunOptions(inputs=(Path("corpus"),), out=out, workers=1, progress="none", xlsx=False, lang=args.lang))
        res = check_page(out / "report.html", args.png, max_height=args.height)
    bad = [c for c in res.charts if not c["marks"]]
    if res.console_errors or bad or not res.charts:
        print(f"report.html: console errors {res.console_errors}, empty charts {bad}", file=sys.stderr)
        return 1
    print(f"{args.png}: {len(res.charts)} charts, no console error")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
