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
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.records import RawRecord

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


def list_inputs(paths: Iterable[Path]) -> list[Path]:
    """Expand folders (recursively, sorted) into supported files; check files exist."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and suffix_of(f) in SUPPORTED
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            files.extend(found)
        elif p.is_file():
            if suffix_of(p) not in SUPPORTED:
                raise InputError(f"{p}: unsupported input type {suffix_of(p)!r}; expected one of "
                                 f"{', '.join(SUPPORTED)}")
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return files


# -- decoding ---------------------------------------------------------------

def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control characters."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    ctrl = len(head.translate(None, _NOT_CONTROL))  # the control bytes that remain
    return ctrl / len(head) > 0.10


#: Bytes that are not suspicious control characters: everything from 32 up, and TAB LF FF CR ESC.
_NOT_CONTROL = bytes(range(32, 256)) + bytes((9, 10, 12, 13, 27))


def decode_bytes(data: bytes) -> tuple[str | None, str | None, str | None]:
    """``(text, encoding, error)``: UTF-8 first, then a detected legacy encoding."""
    if looks_binary(data):
        return None, None, "binary file: not text"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
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


# -- readers ------------------------------------------------------------------

def _record(data: dict, *, default_id: str, source: str) -> RawRecord:
    def s(key: str) -> str | None:
        v = data.get(key)
        if v is None:
            return None
        if isinstance(v, float) and v != v:  # NaN from pandas/CSV
            return None
        return str(v)

    rid = s("id") or default_id
    return RawRecord(article_id=rid.strip() or default_id, source=source, text=s("text"), html=s("html"),
                     title=s("title"), url=s("url"), published=s("published"))


def read_text_file(path: Path) -> Iterator[RawRecord]:
    data = path.read_bytes()
    aid = stem_of(path)
    if not data.strip():
        yield RawRecord(article_id=aid, source=str(path), text="", encoding=None)
        return
    text, enc, err = decode_bytes(data)
    if err:
        yield RawRecord(article_id=aid, source=str(path), error=err)
    elif suffix_of(path) in HTML_SUFFIXES:
        yield RawRecord(article_id=aid, source=str(path), html=text, encoding=enc)
    else:
        yield RawRecord(article_id=aid, source=str(path), text=text, encoding=enc)


def read_jsonl(path: Path) -> Iterator[RawRecord]:
    """One record per line; a truncated or corrupt (gzip) file ends with an error record."""
    lineno = 0
    try:
        for lineno, rec in _jsonl_lines(path):
            yield rec
    except (OSError, EOFError, zlib.error) as e:  # truncated/corrupt gzip, I/O error mid-file
        src = f"{path}:{lineno + 1}"
        yield RawRecord(article_id=f"{stem_of(path)}:{lineno + 1}", source=src,
                        error=f"unreadable data at {src}: {type(e).__name__}: {e}")


def _jsonl_lines(path: Path) -> Iterator[tuple[int, RawRecord]]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    stem = stem_of(path)
    with opener(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            src = f"{path}:{lineno}"
            text, enc, err = decode_bytes(raw)
            if err:
                yield lineno, RawRecord(article_id=f"{stem}:{lineno}", source=src, error=f"{src}: {err}")
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as e:
                yield lineno, RawRecord(article_id=f"{stem}:{lineno}", source=src,
                                        error=f"malformed JSON at {src}: {e.msg} (column {e.colno})")
                continue
            if not isinstance(data, dict):
                yield lineno, RawRecord(article_id=f"{stem}:{lineno}", source=src,
                                        error=f"malformed record at {src}: expected a JSON object, "
                                              f"got {type(data).__name__}")
                continue
            rec = _record(data, default_id=f"{stem}:{lineno}", source=src)
            yield lineno, (rec if enc == "utf-8" else _with_encoding(rec, enc))


def _with_encoding(rec: RawRecord, enc: str | None) -> RawRecord:
    from dataclasses import replace

    return replace(rec, encoding=enc)


def read_csv(path: Path) -> Iterator[RawRecord]:
    data = path.read_bytes()
    text, enc, err = decode_bytes(data)
    stem = stem_of(path)
    if err:
        yield RawRecord(article_id=stem, source=str(path), error=err)
        return
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    # newline="": rows may end in \r (old Mac/Excel exports), \n or \r\n; csv splits them itself
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for rowno, row in enumerate(reader, start=2):
            src = f"{path}:{rowno}"
            if None in row:  # more cells than header columns
                yield RawRecord(article_id=f"{stem}:{rowno}", source=src,
                                error=f"malformed CSV row at {src}: more cells than header columns")
                continue
            yield _with_encoding(_record(row, default_id=f"{stem}:{rowno}", source=src), enc)
    except csv.Error as e:
        yield RawRecord(article_id=f"{stem}:{reader.line_num}", source=f"{path}:{reader.line_num}",
                        error=f"malformed CSV at {path}:{reader.line_num}: {e}")


def read_parquet(path: Path) -> Iterator[RawRecord]:
    import pyarrow.parquet as pq

    stem = stem_of(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # noqa: BLE001 - any pyarrow failure means "not a readable parquet file"
        yield RawRecord(article_id=stem, source=str(path), error=f"unreadable parquet file: {e}")
        return
    cols = [c for c in FIELDS if c in pf.schema_arrow.names]
    rowno = 0
    for batch in pf.iter_batches(batch_size=512, columns=cols):
        for row in batch.to_pylist():
            rowno += 1
            yield _record(row, default_id=f"{stem}:{rowno}", source=f"{path}:{rowno}")


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


def iter_records(paths: Iterable[Path]) -> Iterator[RawRecord]:
    """Every record of every input, in a stable order (files sorted per folder)."""
    for f in list_inputs(paths):
        try:
            yield from read_path(f)
        except InputError:
            raise
        except Exception as e:  # noqa: BLE001 - a reader never stops the run: the file gets an error row
            yield RawRecord(article_id=stem_of(f), source=str(f), error=f"cannot read file: {e}")
