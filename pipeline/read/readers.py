"""Readers: files and folders in, a stream of :class:`RawRecord` out.

Readers are generators, so a dump of any size streams through in constant
memory.  Supported inputs: ``.txt`` (one article per file, id = file name
without extension), ``.html``/``.htm``, ``.jsonl``/``.jsonl.gz`` (one article
per line), ``.csv`` and ``.parquet`` (one article per row).  Records carry
``id``, ``text`` or ``html``, and optional ``title``, ``url``, ``published``.

A reader never raises on bad data: an undecodable file, a binary file or a
malformed JSON line becomes a record with ``error`` set, so the article still
gets its row (status ``error``) in the articles table.  An HTML record keeps its HTML:
the decode stage turns it into text (:mod:`pipeline.read.html`).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from pipeline.records import RawRecord
from pipeline.store import STORE_NAME

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
TABLE_SUFFIXES = (".csv", ".parquet")
SUPPORTED = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + TABLE_SUFFIXES
FIELDS = ("id", "text", "html", "title", "url", "published")


class InputError(ValueError):
    """A usage error about the input paths (missing path, unsupported file)."""


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    for suf in SUPPORTED:
        if name.endswith(suf):
            return suf
    return path.suffix.lower()


def stem_of(path: Path) -> str:
    name = path.name
    suf = suffix_of(path)
    return name[: -len(suf)] if name.lower().endswith(suf) else path.stem


def list_inputs(paths: Iterable[Path], *, skip: Iterable[Path] = ()) -> list[Path]:
    """Expand folders (recursively, sorted) into supported files; check files exist.

    Hidden files and folders are not read, nor a run's output folder found inside an
    input folder: the ``skip`` folders and any folder holding a run store (its tables
    are not articles)."""
    skipped = {s.resolve() for s in skip}
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            outputs = skipped | {s.parent.resolve() for s in p.rglob(STORE_NAME)}
            found = sorted(f for f in p.rglob("*") if f.is_file() and suffix_of(f) in SUPPORTED
                           and not any(part.startswith(".") for part in f.relative_to(p).parts)
                           and not _inside(f.resolve(), outputs))
            files.extend(found)
        elif p.is_file():
            if suffix_of(p) not in SUPPORTED:
                raise InputError(f"{p}: unsupported input type {suffix_of(p)!r}; expected one of "
                                 f"{', '.join(SUPPORTED)}")
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return files


def _inside(path: Path, folders: set[Path]) -> bool:
    return bool(folders) and any(parent in folders for parent in path.parents)


# -- decoding ---------------------------------------------------------------

#: Byte-order marks, longest first (the UTF-32-LE mark begins with the UTF-16-LE one).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
#: Share of control bytes above which data is binary, not text.
BINARY_SHARE = 0.10


def sniff_unicode(head: bytes) -> tuple[str | None, int]:
    """``(encoding, bom_length)`` of UTF-16/32 (or UTF-8 with a BOM) data, else ``(None, 0)``.

    Without a byte-order mark, UTF-16/32 text is told by where its NUL bytes fall:
    mostly-ASCII text (French news is) has a NUL in every other byte (UTF-16) or three
    bytes of four (UTF-32), all on the same side.
    """
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc, len(bom)
    sample = head[:4096]
    n = len(sample) - len(sample) % 4
    if n < 8 or b"\x00" not in sample:
        return None, 0
    sample = sample[:n]
    quarters = [sample[i::4].count(0) / (n // 4) for i in range(4)]
    if quarters[0] < 0.05 and min(quarters[1:]) > 0.9:
        return "utf-32-le", 0
    if quarters[3] < 0.05 and min(quarters[:3]) > 0.9:
        return "utf-32-be", 0
    even, odd = sample[0::2].count(0) / (n // 2), sample[1::2].count(0) / (n // 2)
    if odd > 0.6 and even < 0.05:
        return "utf-16-le", 0
    if even > 0.6 and odd < 0.05:
        return "utf-16-be", 0
    return None, 0


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: more than :data:`BINARY_SHARE` control bytes
    (NUL included) in its first 8 KB.  A few stray NULs in text do not make it binary
    (:func:`clean_field` strips them); UTF-16/32 text is recognised before this test."""
    head = data[:8192]
    if not head:
        return False
    ctrl = len(head.translate(None, _NOT_CONTROL))  # the control bytes that remain
    return ctrl / len(head) > BINARY_SHARE


#: Bytes that are not suspicious control characters: everything from 32 up, and TAB LF FF CR ESC.
_NOT_CONTROL = bytes(range(32, 256)) + bytes((9, 10, 12, 13, 27))


def decode_bytes(data: bytes) -> tuple[str | None, str | None, str | None]:
    """``(text, encoding, error)``: UTF-16/32 by BOM or NUL pattern, UTF-8, then a detected
    legacy encoding."""
    uni, bom = sniff_unicode(data[:4096])
    if uni is not None:
        try:
            return data[bom:].decode(uni), uni, None
        except UnicodeDecodeError as e:
            if uni != "utf-8":
                return None, None, f"undecodable: looks like {uni.upper()} but byte {e.start + bom} is not"
            data = data[bom:]  # a UTF-8 BOM before bytes that are not UTF-8: try the others below
    if looks_binary(data):
        return None, None, "binary file: not text"
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    # Western-European legacy encodings first: a French dump that is not UTF-8
    # is almost always cp1252 or latin-1, which byte-level detectors confuse
    # with Central-European code pages on short texts.
    for enc in ("cp1252", "latin_1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if mess_ratio(text[:20000], 0.2) < 0.1:
            return text, enc, None
    best = from_bytes(data).best()
    if best is None:
        return None, None, "undecodable: no text encoding fits the bytes"
    return str(best), best.encoding, None


# -- field repair -------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(s: str) -> bool:
    return _SURROGATE.search(s) is not None  # in C: every field of every record passes here


def clean_field(name: str, value: str, notes: list[str]) -> str:
    """Repair what no later step can handle, and say so in ``notes``.

    - Lone UTF-16 surrogates (a broken emoji escape such as ``\\ud83d`` in JSON): a
      well-formed pair is joined into its character, a lone half becomes U+FFFD.
    - NUL characters are removed (they end strings in C libraries and spreadsheets).
    """
    if "\x00" in value:
        n = value.count("\x00")
        value = value.replace("\x00", "")
        notes.append(f"{name}: {n} NUL character(s) removed")
    if _has_surrogate(value):
        repaired = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        n = repaired.count("\ufffd") - value.count("\ufffd")
        notes.append(f"{name}: {n} lone UTF-16 surrogate(s) replaced by U+FFFD" if n
                     else f"{name}: UTF-16 surrogate pairs joined")
        value = repaired
    return value


# -- readers ------------------------------------------------------------------

def _field_map(names: Iterable[str]) -> dict[str, str]:
    """``{field: column name}`` for the record fields among ``names``, matched without
    regard to case or surrounding spaces (``ID``, ``Text``, `` title``)."""
    found: dict[str, str] = {}
    for name in names:
        key = str(name).strip().lower()
        if key in FIELDS and key not in found:
            found[key] = name
    return found


def missing_text_error(columns: Iterable[str], src: str) -> str:
    cols = ", ".join(repr(str(c)) for c in columns) or "none"
    return (f"no text column at {src}: columns found {cols}; expected 'text' or 'html' "
            f"(and optionally {', '.join(repr(f) for f in FIELDS if f not in ('text', 'html'))}; "
            f"any case)")


def _record(data: dict, *, default_id: str, source: str, encoding: str | None = None,
            names: dict[str, str] | None = None) -> RawRecord:
    """A :class:`RawRecord` from one row/object.  A value that is not a string is read as
    text when it is a number (noted) and makes the record an error when it is an object
    or a list: a Python repr never reaches a cell."""
    names = names if names is not None else _field_map(data)
    notes: list[str] = []
    values: dict[str, str | None] = {}
    for f in FIELDS:
        v = data.get(names[f]) if f in names else None
        if v is None or (isinstance(v, float) and v != v):  # NaN from pandas/CSV
            values[f] = None
        elif isinstance(v, str):
            values[f] = clean_field(f, v, notes)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            values[f] = str(v)
            if f != "id":
                notes.append(f"{f}: a number in the input ({v}), read as text")
        elif f == "published" and hasattr(v, "isoformat"):  # a Parquet date/timestamp column
            values[f] = v.isoformat()
        else:
            rid = values.get("id") or default_id  # "id" comes first in FIELDS
            kind = {dict: "an object", list: "a list", bool: "a boolean"}.get(type(v), type(v).__name__)
            return RawRecord(article_id=rid, source=source, encoding=encoding,
                             error=f"bad field at {source}: {f!r} is {kind}, expected a string")
    rid = (values["id"] or "").strip() or default_id
    return RawRecord(article_id=rid, source=source, text=values["text"], html=values["html"],
                     title=values["title"], url=values["url"], published=values["published"],
                     encoding=encoding, notes=tuple(notes))


def read_text_file(path: Path) -> Iterator[RawRecord]:
    data = path.read_bytes()
    aid = stem_of(path)
    if not data.strip():
        yield RawRecord(article_id=aid, source=str(path), text="", encoding=None)
        return
    text, enc, err = decode_bytes(data)
    if err:
        yield RawRecord(article_id=aid, source=str(path), error=err)
        return
    notes: list[str] = []
    text = clean_field("text", text, notes)
    field = "html" if suffix_of(path) in HTML_SUFFIXES else "text"
    yield RawRecord(article_id=aid, source=str(path), encoding=enc, notes=tuple(notes), **{field: text})


def read_jsonl(path: Path) -> Iterator[RawRecord]:
    """One record per line; a truncated or corrupt (gzip) file ends with an error record."""
    lineno = 0
    try:
        for lineno, rec in _jsonl_lines(path):
            yield rec
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as e:  # truncated/corrupt gzip, I/O error
        src = f"{path}:{lineno + 1}"
        yield RawRecord(article_id=f"{stem_of(path)}:{lineno + 1}", source=src,
                        error=f"unreadable data at {src}: {type(e).__name__}: {e}")


def _raw_lines(fh) -> Iterator[tuple[bytes | str, str | None]]:
    """The lines of a JSONL file as ``(line, encoding)``: bytes decoded line by line
    (each line may have its own legacy encoding), or text when the file is UTF-16/32,
    whose lines cannot be split on the byte ``\\n``."""
    head = fh.peek(4096)[:4096] if hasattr(fh, "peek") else b""
    uni, bom = sniff_unicode(head)
    if uni is None or uni == "utf-8":
        for raw in fh:
            yield raw, None
        return
    fh.read(bom)
    for line in io.TextIOWrapper(fh, encoding=uni, newline=None):
        yield line, uni


def _jsonl_lines(path: Path) -> Iterator[tuple[int, RawRecord]]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    stem = stem_of(path)
    with opener(path, "rb") as fh:
        for lineno, (raw, uni) in enumerate(_raw_lines(fh), start=1):
            if not raw.strip():
                continue
            src = f"{path}:{lineno}"
            rid = f"{stem}:{lineno}"
            if uni is None:
                text, enc, err = decode_bytes(raw)
                if err:
                    yield lineno, RawRecord(article_id=rid, source=src, error=f"{src}: {err}")
                    continue
            else:
                text, enc = raw, uni
            try:
                data = json.loads(text)
            except json.JSONDecodeError as e:
                yield lineno, RawRecord(article_id=rid, source=src,
                                        error=f"malformed JSON at {src}: {e.msg} (column {e.colno})")
                continue
            except (ValueError, RecursionError) as e:  # a number over Python's digit limit; deep nesting
                why = "nested too deeply" if isinstance(e, RecursionError) else str(e).split(";")[0]
                yield lineno, RawRecord(article_id=rid, source=src, error=f"unreadable JSON at {src}: {why}")
                continue
            if not isinstance(data, dict):
                yield lineno, RawRecord(article_id=rid, source=src,
                                        error=f"malformed record at {src}: expected a JSON object, "
                                              f"got {type(data).__name__}")
                continue
            yield lineno, _record(data, default_id=rid, source=src, encoding=enc)


def read_csv(path: Path) -> Iterator[RawRecord]:
    """One record per row.  Column names are matched without regard to case; a file with
    no ``text``/``html`` column gives one error row per data row naming the columns found.
    A quote left open runs to the end of the file in a lax CSV parser and swallows every
    row after it: here the row where it opened is an error row and reading resumes on the
    next line."""
    data = path.read_bytes()
    text, enc, err = decode_bytes(data)
    stem = stem_of(path)
    if err:
        yield RawRecord(article_id=stem, source=str(path), error=err)
        return
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    # newline="": rows may end in \r (old Mac/Excel exports), \n or \r\n; csv splits them itself
    lines = io.StringIO(text, newline="").readlines()
    if not lines:
        return
    try:
        header = next(csv.reader(lines[:1]))
    except (csv.Error, StopIteration) as e:
        yield RawRecord(article_id=stem, source=f"{path}:1", error=f"malformed CSV header at {path}:1: {e}")
        return
    names = _field_map(header)
    no_text = "text" not in names and "html" not in names
    rowno = 1  # rows are numbered as a spreadsheet shows them: the header is row 1
    start = 1  # index into lines of the next row to parse
    while start < len(lines):
        reader = csv.reader(lines[start:], strict=True)
        first_line = start + 1  # 1-based line number where the row being parsed starts
        try:
            for row in reader:
                if row == []:  # a blank line is not a row
                    first_line = start + reader.line_num + 1
                    continue
                rowno += 1
                src = f"{path}:{rowno}"
                rid = f"{stem}:{rowno}"
                if len(row) > len(header):
                    yield RawRecord(article_id=rid, source=src,
                                    error=f"malformed CSV row at {src}: more cells than header columns")
                elif no_text:
                    yield RawRecord(article_id=rid, source=src, error=missing_text_error(header, src))
                else:
                    yield _record(dict(zip(header, row)), default_id=rid, source=src, encoding=enc, names=names)
                first_line = start + reader.line_num + 1
            return
        except csv.Error as e:
            rowno += 1
            src = f"{path}:{rowno}"
            last_line = start + reader.line_num
            if "end of data" in str(e):
                what = "a quote opened in this row is never closed"
            elif last_line > first_line:
                what = f"a quote opened in this row runs on to line {last_line} ({e})"
            else:
                what = str(e)
            yield RawRecord(article_id=f"{stem}:{rowno}", source=src,
                            error=f"malformed CSV row at {src} (line {first_line}): {what}; "
                                  f"reading resumes on line {first_line + 1}")
            start = first_line  # lines[first_line] is the line after the bad row's first line


def read_parquet(path: Path) -> Iterator[RawRecord]:
    import pyarrow.parquet as pq

    stem = stem_of(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # noqa: BLE001 - any pyarrow failure means "not a readable parquet file"
        yield RawRecord(article_id=stem, source=str(path), error=f"unreadable parquet file: {e}")
        return
    names = _field_map(pf.schema_arrow.names)
    if "text" not in names and "html" not in names:
        for rowno in range(1, pf.metadata.num_rows + 1):
            src = f"{path}:{rowno}"
            yield RawRecord(article_id=f"{stem}:{rowno}", source=src,
                            error=missing_text_error(pf.schema_arrow.names, src))
        return
    rowno = 0
    for batch in pf.iter_batches(batch_size=512, columns=list(names.values())):
        for row in batch.to_pylist():
            rowno += 1
            yield _record(row, default_id=f"{stem}:{rowno}", source=f"{path}:{rowno}", names=names)


def read_path(path: Path) -> Iterator[RawRecord]:
    suf = suffix_of(path)
    if suf in TEXT_SUFFIXES or suf in HTML_SUFFIXES:
        yield from read_text_file(path)
    elif suf in JSONL_SUFFIXES:
        yield from read_jsonl(path)
    elif suf == ".csv":
        yield from read_csv(path)
    elif suf == ".parquet":
        yield from read_parquet(path)
    else:  # list_inputs() filters these out
        raise InputError(f"{path}: unsupported input type {suf!r}")


def iter_records(paths: Iterable[Path], *, skip: Iterable[Path] = ()) -> Iterator[RawRecord]:
    """Every record of every input, in a stable order (files sorted per folder).

    ``skip``: folders never read (the run's own output folder)."""
    for f in list_inputs(paths, skip=skip):
        try:
            for rec in read_path(f):
                yield _safe_names(rec)
        except InputError:
            raise
        except Exception as e:  # noqa: BLE001 - a reader never stops the run: the file gets an error row
            yield _safe_names(RawRecord(article_id=stem_of(f), source=str(f), error=f"cannot read file: {e}"))


def _safe_names(rec: RawRecord) -> RawRecord:
    """A file name that is not UTF-8 reaches Python as lone surrogates (``surrogateescape``):
    shown as U+FFFD in the id and source, so that every later encode succeeds."""
    if not (_has_surrogate(rec.article_id) or _has_surrogate(rec.source)):
        return rec
    notes = list(rec.notes)
    aid = clean_field("id", rec.article_id, notes)
    src = clean_field("source", rec.source, notes)
    return replace(rec, article_id=aid, source=src, notes=tuple(notes))
