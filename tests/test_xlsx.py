"""The Excel workbook: sheets from the contract, cells typed and safe, limits handled visibly.

Rows are written here from made-up values (no model): the same rows go to the CSV writer, and
the workbook read back with openpyxl must hold the same table, cell for cell.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

openpyxl = pytest.importorskip("openpyxl")

from openpyxl.utils.escape import unescape  # noqa: E402

from pipeline.contract import CONTRACT, Column, Contract, Table  # noqa: E402
from pipeline.export.xlsx import (  # noqa: E402
    CUT_MARKER,
    EXCEL_MAX_CHARS,
    cut,
    excel_date,
    is_link,
    sheet_title,
    write_workbook,
)
from pipeline.write import FORMULA_PREFIXES, csv_safe, export_chunks  # noqa: E402

HOSTILE = ['=HYPERLINK("http://exemple.invalid/x","cliquez")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd",
           "-2+3", "=1+1"]
LONG_BODY = ("Le conseil municipal a voté le budget. " * 1200)[:EXCEL_MAX_CHARS + 5000]


def _row(table: str, **values) -> tuple:
    names = CONTRACT[table].names()
    unknown = set(values) - set(names)
    assert not unknown, unknown
    return tuple(values.get(n) for n in names)


def sample_rows() -> dict[str, list[tuple]]:
    return {
        "articles": [
            _row("articles", article_id="a1", source="dump.jsonl:1", status="ok", title=HOSTILE[0],
                 published="2024-03-04", language="fr", language_score=0.99, url="https://exemple.fr/a?b=1",
                 raw_chars=120, body_chars=80, lines_kept=3, lines_dropped=1, body="Texte court."),
            _row("articles", article_id="a2", source="dump.jsonl:2", status="ok", title="Un budget",
                 published="2024-03", url="javascript:alert(document.cookie)", notes="dates relatives omises",
                 body=LONG_BODY, body_chars=len(LONG_BODY)),
            _row("articles", article_id="a3", source="dump.jsonl:3", status="skipped", error="no text",
                 url="file:///etc/passwd", published="1850-01-01"),
            _row("articles", article_id="a4", source="dump.jsonl:4", status="ok", title=HOSTILE[1],
                 url="HTTPS://EXEMPLE.FR/majuscules", body=HOSTILE[2]),
        ],
        "mentions": [
            _row("mentions", article_id="a1", kind="money", text="10 millions d'euros", start=0, end=19,
                 value="10000000 EUR", amount=10_000_000.0, amount_max=20_000_000.0, currency="EUR", approx=True,
                 per="an; agence", rule="money.scale"),
            _row("mentions", article_id="a1", kind="date", text="4 mars 2024", start=20, end=31, value="2024-03-04",
                 date_start="2024-03-04", date_end="2024-03-04", rule="dates.full"),
            _row("mentions", article_id="a1", kind="actor", text=HOSTILE[3], start=32, end=36, value=HOSTILE[4],
                 actor_type="ORG", approx=False, rule="ner"),
        ],
        "events": [
            _row("events", event_id="e1", article_id="a1", event_type="AGREE", sentence=HOSTILE[0], start=0, end=40,
                 date="2024-03-04", date_source="text", actors="GOV:SN; Banque mondiale", countries="SN; FR",
                 money="10000000 EUR", trigger="signé", rule="agree.sign"),
            _row("events", event_id="e2", article_id="a1", event_type="CONSULT", sentence="Une\x01 réunion _x0041_.",
                 start=41,
                 end=53, date="2024-XX-XX", date_source="published", trigger="réunion", rule="consult.meet"),
        ],
        "clusters": [
            _row("clusters", cluster_id="c1", event_type="AGREE", date_first="2024-03-04", date_last="2024-03-05",
                 actors=HOSTILE[4], countries="SN; FR", n_events=2, n_articles=2, n_sources=2,
                 first_seen="2024-03-04", article_ids="a1; a4"),
        ],
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx")
    rows = sample_rows()
    for name in CONTRACT:
        export_chunks(CONTRACT[name], [rows[name]], out, parquet_out=False)
    logs = write_workbook(out / "frnews.xlsx", CONTRACT, lambda name: [rows[name][:2], [], rows[name][2:]])
    return out, openpyxl.load_workbook(out / "frnews.xlsx"), logs


def _as_csv(cell, column: Column) -> str:
    """A workbook cell as the CSV writer writes the same value."""
    v = cell.value
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if column.type == "float" and isinstance(v, int):
        v = float(v)
    if isinstance(v, str):  # Excel's own escape of control characters (_x0001_), which openpyxl leaves
        v = unescape(v)
    return csv_safe(v)


def test_the_workbook_opens_with_a_sheet_per_table_and_a_dictionary(written):
    _, wb, _ = written
    assert wb.sheetnames == [sheet_title(n) for n in CONTRACT] + ["Dictionary"]
    for name in CONTRACT:
        ws = wb[sheet_title(name)]
        assert [c.value for c in ws[1]] == CONTRACT[name].names()
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
        assert all(ws.column_dimensions[c.column_letter].width > 0 for c in ws[1])


def assert_matches_csv(out, wb, contract=CONTRACT) -> int:
    """Every sheet of ``wb`` holds its table's CSV in ``out``, cell for cell; returns the rows compared."""
    n = 0
    for name in contract:
        cols = contract[name].columns
        with open(out / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
            expected = list(csv.reader(fh))
        sheet = list(wb[sheet_title(name)].iter_rows())
        assert [[c.value for c in sheet[0]]] == expected[:1]
        assert len(sheet) == len(expected)
        for got, want in zip(sheet[1:], expected[1:]):
            got_cells = [_as_csv(cell, col) for cell, col in zip(got, cols)]
            got_cells += [""] * (len(cols) - len(got_cells))
            for col, g, w in zip(cols, got_cells, want):
                if g.endswith(CUT_MARKER):  # an over-long cell: its head, then the marker
                    assert w.startswith(g[:-len(CUT_MARKER)]) and len(w) > EXCEL_MAX_CHARS
                elif col.name == "notes" and "cut in frnews.xlsx" in g:
                    assert g.startswith(w)
                else:
                    assert g == w, (name, col.name)
            n += 1
    return n


def test_every_table_matches_its_csv_cell_for_cell(written):
    out, wb, _ = written
    assert assert_matches_csv(out, wb) == sum(len(r) for r in sample_rows().values())


@pytest.mark.slow
def test_a_runs_workbook_matches_its_csv(tmp_path, corpus_dir):
    from pipeline.runner import RunOptions, run

    run(RunOptions(inputs=(corpus_dir,), out=tmp_path, workers=1, progress="none", report=False))
    assert not (tmp_path / "report.html").exists()
    assert assert_matches_csv(tmp_path, openpyxl.load_workbook(tmp_path / "frnews.xlsx")) > 100


def test_hostile_cells_are_text_never_formulas(written):
    _, wb, _ = written
    seen = {}
    for ws in wb:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    seen[cell.value] = cell.data_type
    assert set(HOSTILE) <= set(seen)
    assert set(seen.values()) == {"s"}  # a string cell ("f" would be a formula)


def test_an_over_long_body_is_cut_with_the_marker_and_the_row_noted(written):
    _, wb, logs = written
    ws = wb["Articles"]
    names = CONTRACT["articles"].names()
    row = [c.value for c in ws[3]]
    body = row[names.index("body")]
    assert body.endswith(CUT_MARKER) and len(body) <= EXCEL_MAX_CHARS
    assert body.startswith(LONG_BODY[:1000])
    assert row[names.index("notes")].startswith("dates relatives omises; body cut in frnews.xlsx")
    assert logs["articles"].cut == [("Articles", 3, "body")]
    notes = [r[0] for r in wb["Dictionary"].iter_rows(values_only=True) if r[0] and "cut at 32,767" in r[0]]
    assert notes == ["articles: 1 cell(s) cut at 32,767 characters (full text in Parquet): Articles!body row 3"]


def test_only_http_urls_are_links(written):
    _, wb, _ = written
    ws = wb["Articles"]
    col = CONTRACT["articles"].names().index("url")
    cells = [ws.cell(row=r, column=col + 1) for r in range(2, 6)]
    assert cells[0].hyperlink is not None and cells[0].hyperlink.target == "https://exemple.fr/a?b=1"
    assert cells[1].value == "javascript:alert(document.cookie)" and cells[1].hyperlink is None
    assert cells[2].value == "file:///etc/passwd" and cells[2].hyperlink is None
    assert cells[3].hyperlink is not None


def test_full_dates_are_dates_partial_ones_stay_text_numbers_are_numbers(written):
    _, wb, _ = written
    art = CONTRACT["articles"].names()
    ws = wb["Articles"]
    assert ws.cell(2, art.index("published") + 1).value == dt.datetime(2024, 3, 4)
    assert ws.cell(2, art.index("published") + 1).is_date
    assert ws.cell(3, art.index("published") + 1).value == "2024-03"
    assert ws.cell(4, art.index("published") + 1).value == "1850-01-01"  # before Excel's calendar
    men = CONTRACT["mentions"].names()
    ws = wb["Mentions"]
    assert ws.cell(2, men.index("amount") + 1).value == 10_000_000
    assert ws.cell(2, men.index("amount") + 1).data_type == "n"
    assert ws.cell(2, men.index("approx") + 1).value is True
    assert ws.cell(2, men.index("per") + 1).value == "an; agence"
    ev = CONTRACT["events"].names()
    assert wb["Events"].cell(3, ev.index("date") + 1).value == "2024-XX-XX"
    assert wb["Events"].cell(2, ev.index("countries") + 1).value == "SN; FR"


def test_the_dictionary_comes_from_the_contract(tmp_path):
    contract = CONTRACT.with_column("mentions", Column("confidence", "float", "How sure the rule is, 0 to 1."))
    contract = Contract({**contract.tables, "clusters": Table("clusters", (
        Column("cluster_id", "string", "Cluster id."), Column("size", "int", "Events in the cluster.")), "clusters")})
    rows = {"clusters": [("c1", 3)], "mentions": [tuple([None] * (len(contract["mentions"].columns) - 1)) + (0.5,)]}
    write_workbook(tmp_path / "w.xlsx", contract, lambda name: [rows.get(name, [])])
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert wb.sheetnames[-2:] == ["Clusters", "Dictionary"]
    dic = [r for r in wb["Dictionary"].iter_rows(min_row=2, values_only=True) if r[1]]
    assert [(r[0], r[1]) for r in dic] == [(c.name, t) for t in contract for c in contract[t].columns]
    assert ("confidence", "mentions", "float", "How sure the rule is, 0 to 1.", "0.5") == dic[
        [r[0] for r in dic].index("confidence")][:5]
    assert [r[2] for r in dic if r[0] == "published"] == ["string (date)"]
    assert [c.value for c in wb["Clusters"][2]] == ["c1", 3]


def test_a_table_over_the_row_limit_continues_on_another_sheet(tmp_path):
    rows = [_row("events", event_id=f"e{i}", article_id="a", event_type="AID", start=i) for i in range(7)]
    logs = write_workbook(tmp_path / "w.xlsx", CONTRACT, lambda name: [rows] if name == "events" else [],
                          max_rows=4)
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert [s for s in wb.sheetnames if s.startswith("Events")] == ["Events", "Events (2)", "Events (3)"]
    got = [r[0] for s in ("Events", "Events (2)", "Events (3)") for r in wb[s].iter_rows(min_row=2, values_only=True)]
    assert got == [f"e{i}" for i in range(7)]
    assert all(wb[s].cell(1, 1).value == "event_id" for s in ("Events (2)", "Events (3)"))
    assert [(p.title, p.first_row, p.rows) for p in logs["events"].parts] == [
        ("Events", 1, 3), ("Events (2)", 4, 3), ("Events (3)", 7, 1)]
    dic = list(wb["Dictionary"].iter_rows(values_only=True))
    assert {r[5] for r in dic[1:] if r[1] == "events"} == {
        "Events: rows 1-3; Events (2): rows 4-6; Events (3): rows 7-7"}
    assert any(r[0] and r[0].startswith("events: 7 rows, over Excel's limit of 3 rows a sheet: continued on "
                                         "Events (2), Events (3)") for r in dic)


@pytest.mark.parametrize("url,link", [("https://a.fr/x", True), ("http://a.fr", True), ("javascript:alert(1)", False),
                                      ("JAVASCRIPT:alert(1)", False), ("file:///etc/passwd", False),
                                      ("https://a.fr/x y", False), ("data:text/html,x", False),
                                      ("https://a.fr/" + "x" * 3000, False), (" https://a.fr", False)])
def test_is_link(url, link):
    assert is_link(url) is link


@pytest.mark.parametrize("text,day", [("2024-03-04", dt.date(2024, 3, 4)), ("2024-02-30", None), ("2024-03", None),
                                      ("2024-XX-XX", None), ("2024-03-04/2024-03-06", None), ("1899-12-31", None)])
def test_excel_date(text, day):
    assert excel_date(text) == day


def test_a_lone_surrogate_is_replaced_not_fatal(tmp_path):
    rows = [_row("events", event_id="e\ud83d", article_id="a", trigger="x\udc00y")]
    write_workbook(tmp_path / "w.xlsx", CONTRACT, lambda name: [rows] if name == "events" else [])
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx")["Events"]
    assert ws.cell(2, 1).value == "e\ufffd"


def test_cut_counts_characters_outside_the_basic_plane_twice():
    text = "😀" * EXCEL_MAX_CHARS
    out = cut(text)
    assert out.endswith(CUT_MARKER)
    assert len(out.encode("utf-16-le")) // 2 <= EXCEL_MAX_CHARS
    assert out[:-len(CUT_MARKER)] == "😀" * len(out[:-len(CUT_MARKER)])


def test_the_contract_marks_its_date_and_url_columns():
    kinds = {(t, c.name): c.kind for t in CONTRACT for c in CONTRACT[t].columns if c.kind}
    assert set(kinds.values()) <= {"date", "url"}
    assert kinds[("articles", "url")] == "url" and kinds[("articles", "published")] == "date"


def test_a_killed_writers_leftovers_are_swept_and_none_are_left(tmp_path):
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()  # a pid that no longer runs
    (tmp_path / f".frnews.xlsx.tmp-{gone}").mkdir()
    (tmp_path / f".frnews.xlsx.tmp-{gone}" / "tmpabc").write_text("rows of a killed run", encoding="utf-8")
    write_workbook(tmp_path / "frnews.xlsx", CONTRACT, lambda name: [sample_rows()[name]])
    assert [p.name for p in tmp_path.iterdir()] == ["frnews.xlsx"]
