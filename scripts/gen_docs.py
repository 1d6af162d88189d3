"""Regenerate the parts of README.md and docs/CONTRACTS.md that come from the code.

    python scripts/gen_docs.py          # rewrite them in place
    python scripts/gen_docs.py --check  # exit 1 if any is stale (tests/test_docs.py runs this)

Each generated part sits between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``:
``flow`` (the stage registry's data-flow line), ``stages`` (the registry's stage table),
``passes`` (the dump-level passes), ``dictionary`` (the output contract's columns) and
``settings`` (every table and key of pipeline/defaults.toml with its comment).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.contract import CONTRACT  # noqa: E402
from pipeline.passes import POSTPASSES, PREPASSES  # noqa: E402
from pipeline.settings import DEFAULTS  # noqa: E402
from pipeline.stages import flow_line, stage_table  # noqa: E402


def settings_table() -> str:
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    table, comment = None, []
    for line in DEFAULTS.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if m := re.fullmatch(r"\[(\w+)\]", s):
            table, comment = m.group(1), []
        elif s.startswith("#"):
            comment.append(s.lstrip("# "))
        elif "=" in s and table:
            key, value = (x.strip() for x in s.split("=", 1))
            rows.append(f"| `{table}.{key}` | `{value}` | {' '.join(comment)} |")
            comment = []
        elif not s:
            comment = []
    return "\n".join(rows)


def passes_table() -> str:
    rows = ["| pass | when | gives |", "|---|---|---|"]
    rows += [f"| `{p.name}` | before the stages, over every raw record | context input `{p.provides}` |"
             for p in PREPASSES]
    rows += [f"| `{p.name}` | after every article is stored, over the run store | store rows |" for p in POSTPASSES]
    return "\n".join(rows)


PARTS = {
    "flow": lambda: f"```\n{flow_line()}\n```",
    "stages": stage_table,
    "passes": passes_table,
    "dictionary": lambda: CONTRACT.markdown().strip(),
    "settings": settings_table,
}
FILES = (ROOT / "README.md", ROOT / "docs" / "CONTRACTS.md")


def render(text: str) -> str:
    def sub(m: re.Match) -> str:
        name = m.group(1)
        return f"<!-- generated:{name} -->\n{PARTS[name]()}\n<!-- /generated:{name} -->"

    return re.sub(r"<!-- generated:(\w+) -->.*?<!-- /generated:\1 -->", sub, text, flags=re.S)


def main(argv: list[str]) -> int:
    stale = []
    for path in FILES:
        old = path.read_text(encoding="utf-8")
        new = render(old)
        if new != old:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(new, encoding="utf-8")
    if "--check" in argv and stale:
        print("stale generated docs: " + ", ".join(map(str, stale)) + " (run: python scripts/gen_docs.py)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
