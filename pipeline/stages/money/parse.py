"""Amounts as written: digit groups the French or English way, spelled-out French numbers."""

from __future__ import annotations

import re
from decimal import Decimal

from pipeline.text.surface import fold


def parse_number(text: str) -> Decimal:
    """A digit amount written the French (or English) way as a Decimal."""
    s = re.sub(r"[\s\u00a0\u202f\u2009]", "", text)
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?", s):
        s = s.replace(",", "")
    elif "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        s = s.replace(",", ".")
    elif "." in s and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        s = s.replace(".", "")
    return Decimal(s)


def parse_spelled(text: str, numbers: dict[str, int]) -> Decimal:
    """A spelled-out French number ("trois cents", "quatre-vingt-dix", "deux cent mille")."""
    total = cur = 0
    prev = 0
    for tok in fold(text).split():
        if tok == "et":
            continue
        v = numbers[tok]
        if v == 100:
            cur = (cur or 1) * 100
        elif v == 1000:
            total += (cur or 1) * 1000
            cur = 0
        elif v == 20 and prev == 4 and cur % 100 == 4:
            cur += 76  # quatre-vingt(s)
        else:
            cur += v
        prev = v
    return Decimal(total + cur)


def plain(d: Decimal) -> str:
    """A Decimal as a plain string without exponent or trailing zeros."""
    s = format(d.normalize(), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s
