"""The French calendar table (tests/cases/dates_calendar.tsv): each case with its anchor
(publication) date and its expected EDTF values, across the kinds of issue 16 (direction by
tense, anchoring to the text's last date, numeric forms, ordinals in words, composite
relatives, ranges, open intervals, parts, seasons, holidays, history, centuries, not-dates)."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from pipeline.stages.dates import find_dates

TABLE = Path(__file__).resolve().parents[1] / "cases" / "dates_calendar.tsv"
KINDS = {"direction", "season", "holiday", "history", "anchored", "numeric", "ordinal", "composite",
         "range", "open", "part", "century", "notdate", "timeofday", "english", "nopub"}


def _rows() -> list[dict]:
    with open(TABLE, encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _params():
    out = []
    for i, row in enumerate(_rows()):
        marks = [pytest.mark.xfail(strict=True, reason=row["note"])] if row["status"] == "xfail" else []
        out.append(pytest.param(row["anchor"], row["text"], row["expected"], row["note"], marks=marks,
                                id=f"{row['kind']}-{i}:{row['text'][:40]}"))
    return out


def test_table_is_large_and_well_formed():
    rows = _rows()
    assert len(rows) >= 300
    kinds = Counter(r["kind"] for r in rows)
    assert set(kinds) == KINDS, set(kinds) ^ KINDS
    for r in rows:
        assert r["status"] in {"pass", "xfail"} and r["note"], r
        assert r["anchor"] == "none" or date.fromisoformat(r["anchor"])
    assert len({(r["anchor"], r["text"]) for r in rows}) == len(rows), "duplicate case"


@pytest.mark.parametrize(("anchor", "text", "expected", "note"), _params())
def test_calendar_case(anchor, text, expected, note):
    published = None if anchor == "none" else date.fromisoformat(anchor)
    got = " | ".join(m.value for m in find_dates(text, published=published))
    assert got == expected, note
