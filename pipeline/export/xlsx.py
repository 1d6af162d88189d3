"""The Excel workbook ``frnews.xlsx``: one sheet per table of the output contract, plus a Dictionary.

Written with XlsxWriter in constant-memory mode (one row in memory per sheet), from chunks
of rows in the contract's column order, so a dump of any size is written in flat memory.

What a spreadsheet user can rely on:

- header row frozen, autofilter on, column widths fitted to the first rows;
- every text cell is written as a string, never as a formula (``=HYPERLINK(...)``, ``+cmd``,
  ``@SUM`` stay text); numbers and booleans are real numbers and booleans;
- a ``kind="date"`` column holding a full ISO day is a real Excel date (a partial EDTF value
  such as ``2024-03`` or ``2024-XX-XX`` stays text); a ``kind="url"`` column is a link only
  when the URL is ``http(s)`` (a ``javascript:`` or ``file:`` URL is plain text);
- a cell over Excel's limit (32,767 characters) is cut with a visible marker, and the row's
  ``notes`` cell says so (the Parquet files keep the full text);
- a table over Excel's row limit continues on a second sheet (``Articles (2)``), and the
  Dictionary sheet says where each table's rows are.

The Dictionary sheet is generated from the contract: column, table, type, meaning, example.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from pipeline.contract import Contract, Table
from pipeline.write import sweep_leftovers

WORKBOOK_NAME = "frnews.xlsx"
#: rows in an Excel sheet, header included
EXCEL_MAX_ROWS = 1_048_576
#: characters (UTF-16 units) in an Excel cell
EXCEL_MAX_CHARS = 32_767
#: Excel's limits on a link: its length, and links per sheet
EXCEL_MAX_URL = 2_079
EXCEL_MAX_LINKS = 65_530
CUT_MARKER = " […] [cut at Excel's 32,767-character cell limit: full text in the Parquet files]"
CUT_NOTE = "{column} cut in frnews.xlsx at Excel's cell limit (full text in Parquet)"
#: rows looked at to fit the column widths (constant memory: the widths are set at the end)
WIDTH_SAMPLE_ROWS = 2_000
MAX_WIDTH = 60
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_LINK = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def sheet_title(table: str, part: int = 1) -> str:
    """``articles`` -> ``Articles``; its second sheet ``Articles (2)`` (Excel: 31 characters at most)."""
    base = _SHEET_BAD.sub("_", table.replace("_", " ").capitalize())
    suffix = "" if part == 1 else f" ({part})"
    return base[:31 - len(suffix)] + suffix


def utf16_len(text: str) -> int:
    return len(text) if len(text) <= EXCEL_MAX_CHARS // 2 else len(text.encode("utf-16-le")) // 2


def cut(text: str, limit: int = EXCEL_MAX_CHARS) -> str:
    """``text`` cut so that it and :data:`CUT_MARKER` fit in ``limit`` UTF-16 units."""
    room = limit - utf16_len(CUT_MARKER)
    head = text[:room]
    while utf16_len(head) > room:  # characters outside the BMP count twice
        head = head[:room - (utf16_len(head) - room)]
    if head and "\ud800" <= head[-1] <= "\udbff":
        head = head[:-1]
    return head + CUT_MARKER


def is_link(url: str) -> bool:
    """An ``http(s)`` URL that Excel can hold as a link (nothing else is ever made a link)."""
    return bool(_LINK.fullmatch(url)) and len(url) <= EXCEL_MAX_URL


def excel_date(text: str) -> dt.date | None:
    """A full ISO day that Excel can show as a date (from 1900-01-01), else ``None``."""
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        d = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return d if d.year >= 1900 else None


@dataclass
class SheetPart:
    title: str
    first_row: int  # the table's row number (1-based) of this sheet's first data row
    rows: int = 0


@dataclass
class TableLog:
    """What the workbook did with one table (for the Dictionary sheet and the run summary)."""

    table: str
    parts: list[SheetPart] = field(default_factory=list)
    rows: int = 0
    cut: list[tuple[str, int, str]] = field(default_factory=list)  # (sheet, row, column), first ones
    cut_count: int = 0
    links: int = 0
    examples: dict[str, str] = field(default_factory=dict)


class WorkbookWriter:
    """Write the contract's tables, one after the other, then the Dictionary (``close``)."""

    def __init__(self, path: Path, contract: Contract, *, max_rows: int = EXCEL_MAX_ROWS):
        self.path, self.contract, self.max_rows = Path(path), contract, max_rows
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # one hidden folder for the workbook and XlsxWriter's row files, swept when a killed run left it
        sweep_leftovers(self.path)
        self.work = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        self.work.mkdir()
        self.tmp = self.work / self.path.name
        self.wb = xlsxwriter.Workbook(str(self.tmp), {
            "constant_memory": True, "tmpdir": str(self.work),
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "nan_inf_to_errors": True})
        self.header = self.wb.add_format({"bold": True, "bg_color": "#DDE4EE", "bottom": 1})
        self.date = self.wb.add_format({"num_format": "yyyy-mm-dd"})
        self.link = self.wb.add_format({"font_color": "blue", "underline": 1})
        self.wrap = self.wb.add_format({"text_wrap": True, "valign": "top"})
        self.logs: dict[str, TableLog] = {}

    # -- one table -------------------------------------------------------------
    def write_table(self, table: Table, chunks: Iterable[Sequence[tuple]]) -> TableLog:
        log = self.logs[table.name] = TableLog(table.name)
        cols = table.columns
        notes_at = next((i for i, c in enumerate(cols) if c.name == "notes"), None)
        per_sheet = self.max_rows - 1
        ws = None
        widths: list[int] = []
        r = 0  # row in the current sheet (0 = header)

        def open_sheet():
            nonlocal ws, widths, r
            part = SheetPart(sheet_title(table.name, len(log.parts) + 1), log.rows + 1)
            log.parts.append(part)
            ws = self.wb.add_worksheet(part.title)
            ws.freeze_panes(1, 0)
            for j, c in enumerate(cols):
                ws.write_string(0, j, c.name, self.header)
            widths = [len(c.name) + 2 for c in cols]
            r = 0

        def close_sheet():
            part = log.parts[-1]
            ws.autofilter(0, 0, max(part.rows, 1), len(cols) - 1)
            for j, c in enumerate(cols):
                width = 11 if c.kind == "date" else min(max(widths[j], 6), MAX_WIDTH)
                ws.set_column(j, j, width)

        open_sheet()
        for chunk in chunks:
            for row in chunk:
                if r >= per_sheet:
                    close_sheet()
                    open_sheet()
                r += 1
                log.rows += 1
                part = log.parts[-1]
                part.rows += 1
                cut_cols = self._write_row(ws, r, cols, row, log, widths if r <= WIDTH_SAMPLE_ROWS else None)
                if cut_cols:
                    log.cut_count += len(cut_cols)
                    if len(log.cut) < 50:
                        log.cut.extend((part.title, r + 1, name) for name in cut_cols)
                    if notes_at is not None:
                        note = "; ".join(CUT_NOTE.format(column=n) for n in cut_cols)
                        old = row[notes_at]
                        ws.write_string(r, notes_at, f"{old}; {note}" if old else note)
        close_sheet()
        return log

    def _write_row(self, ws, r: int, cols, row: tuple, log: TableLog, widths: list[int] | None) -> list[str]:
        cut_cols = []
        for j, (c, v) in enumerate(zip(cols, row)):
            if v is None or v == "":
                continue
            shown = None
            if c.type in ("int", "float") and not isinstance(v, str):
                ws.write_number(r, j, v)
            elif c.type == "bool" and not isinstance(v, str):
                ws.write_boolean(r, j, bool(v))
            else:
                text = "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)
                if not text.isascii() and _SURROGATE.search(text):  # a lone surrogate cannot be UTF-8
                    text = _SURROGATE.sub("\ufffd", text)
                day = excel_date(text) if c.kind == "date" else None
                if day is not None:
                    ws.write_datetime(r, j, dt.datetime(day.year, day.month, day.day), self.date)
                elif c.kind == "url" and log.links < EXCEL_MAX_LINKS and is_link(text) and \
                        ws.write_url(r, j, text, self.link, string=text) == 0:
                    log.links += 1
                else:  # (a URL XlsxWriter refused, e.g. too long once escaped, is written as text)
                    if len(text) > EXCEL_MAX_CHARS // 2 and utf16_len(text) > EXCEL_MAX_CHARS:
                        text = cut(text)
                        cut_cols.append(c.name)
                    ws.write_string(r, j, text)  # a string, never a formula
                shown = text
            if c.name not in log.examples:
                log.examples[c.name] = shown if shown is not None else str(v)
            if widths is not None:
                n = len(shown) if shown is not None else len(str(v))
                if n + 2 > widths[j]:
                    widths[j] = n + 2
        return cut_cols

    # -- the end -----------------------------------------------------------------
    def _dictionary(self) -> None:
        ws = self.wb.add_worksheet("Dictionary")
        head = ("column", "table", "type", "meaning", "example", "sheets")
        for j, h in enumerate(head):
            ws.write_string(0, j, h, self.header)
        ws.freeze_panes(1, 0)
        r = 0
        for name in self.contract:
            table = self.contract[name]
            log = self.logs.get(name, TableLog(name))
            where = "; ".join(f"{p.title}: rows {p.first_row}-{p.first_row + p.rows - 1}" if p.rows
                              else f"{p.title}: no rows" for p in log.parts) or "not written"
            for c in table.columns:
                r += 1
                typ = c.type + (f" ({c.kind})" if c.kind else "")
                example = log.examples.get(c.name, "")
                if len(example) > 80:
                    example = example[:79] + "…"
                for j, val in enumerate((c.name, name, typ, c.doc, example, where)):
                    ws.write_string(r, j, val, self.wrap if j == 3 else None)
        ws.autofilter(0, 0, max(r, 1), len(head) - 1)
        notes = []
        for name, log in self.logs.items():
            if len(log.parts) > 1:
                notes.append(f"{name}: {log.rows} rows, over Excel's limit of {self.max_rows - 1} rows a sheet: "
                             "continued on " + ", ".join(p.title for p in log.parts[1:]))
            if log.cut_count:
                shown = ", ".join(f"{s}!{col} row {row}" for s, row, col in log.cut[:20])
                more = f" and {log.cut_count - 20} more" if log.cut_count > 20 else ""
                notes.append(f"{name}: {log.cut_count} cell(s) cut at 32,767 characters "
                             f"(full text in Parquet): {shown}{more}")
        if notes:
            r += 2
            ws.write_string(r, 0, "notes", self.header)
            for n in notes:
                r += 1
                ws.write_string(r, 0, n)
        for j, w in enumerate((18, 10, 14, 70, 30, 40)):
            ws.set_column(j, j, w)

    def close(self) -> Path:
        self._dictionary()
        self.wb.close()
        os.replace(self.tmp, self.path)
        shutil.rmtree(self.work, ignore_errors=True)
        return self.path

    def abort(self) -> None:
        try:
            self.wb.close()
        finally:
            shutil.rmtree(self.work, ignore_errors=True)


def write_workbook(path: Path, contract: Contract, chunks_of, *, max_rows: int = EXCEL_MAX_ROWS) -> dict[str, TableLog]:
    """Write every table of ``contract`` (``chunks_of(name)`` gives its rows) to ``path``."""
    w = WorkbookWriter(path, contract, max_rows=max_rows)
    try:
        for name in contract:
            w.write_table(contract[name], chunks_of(name))
    except BaseException:
        w.abort()
        raise
    w.close()
    return w.logs
