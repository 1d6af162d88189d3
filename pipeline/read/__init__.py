"""Readers: files and folders in, a stream of :class:`~pipeline.records.RawRecord` out.

:mod:`.readers` reads ``.txt``, ``.html``, ``.jsonl(.gz)``, ``.csv`` and ``.parquet`` inputs
(and decodes their bytes); :mod:`.html` turns an HTML page into text, title and date (used
by the decode stage).  Reading is not a registry stage: it produces the records the
stages run on.
"""

from pipeline.read.html import HtmlDoc, html_to_text
from pipeline.read.readers import (
                                   FIELDS,
                                   HTML_SUFFIXES,
                                   JSONL_SUFFIXES,
                                   SUPPORTED,
                                   TABLE_SUFFIXES,
                                   TEXT_SUFFIXES,
                                   InputError,
                                   decode_bytes,
                                   iter_records,
                                   list_inputs,
                                   looks_binary,
                                   read_csv,
                                   read_jsonl,
                                   read_parquet,
                                   read_path,
                                   read_text_file,
                                   stem_of,
                                   suffix_of,
)

__all__ = ["FIELDS", "HTML_SUFFIXES", "JSONL_SUFFIXES", "SUPPORTED", "TABLE_SUFFIXES", "TEXT_SUFFIXES",
           "HtmlDoc", "InputError", "decode_bytes", "html_to_text", "iter_records", "list_inputs",
           "looks_binary", "read_csv", "read_jsonl", "read_parquet", "read_path", "read_text_file", "stem_of",
           "suffix_of"]
