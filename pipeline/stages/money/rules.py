"""Rule files of the money stage (``rules/money/``) and the candidate regexes built from them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from pipeline.rulebook import (
    RULES_DIR,
    Layers,
    RuleFileError,
    RuleModel,
    as_layers,
    check_unique,
    load_tsv,
    packaged,
)
from pipeline.text.surface import AP, WS, WS0, fold, surface_pattern

# --------------------------------------------------------------------------- rule rows


class CurrencyRow(RuleModel):
    id: str
    surface: str = Field(min_length=1)
    iso4217: str = Field(pattern=r"^[A-Z]{3}$")
    countries_hint: str | None = None
    example: str | None = None
    requires: Literal["any", "digits", "scale"] | None = None

    @field_validator("countries_hint")
    @classmethod
    def _hint(cls, v: str | None) -> str | None:
        if v is not None:
            for code in v.split():
                if code != "*" and not re.fullmatch(r"[A-Z]{2}", code):
                    raise ValueError(f"countries_hint must be ISO alpha-2 codes or '*', got {code!r}")
        return v

    @property
    def hints(self) -> frozenset[str]:
        return frozenset(c for c in (self.countries_hint or "").split() if c != "*")

    @property
    def is_default(self) -> bool:
        return "*" in (self.countries_hint or "").split()


class ScaleRow(RuleModel):
    id: str
    surface: str = Field(min_length=1)
    exponent: int = Field(ge=1, le=18)
    #: the exponent in an English-language article, where it differs ("billion" = 10^9)
    exponent_en: int | None = Field(default=None, ge=1, le=18)


class NumberRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    value: int = Field(ge=0, le=1000)


class CueRow(RuleModel):
    id: str
    surface: str = Field(min_length=1)
    kind: Literal["approx_pre", "approx_post", "per_stop", "per_unit"]


# --------------------------------------------------------------------------- text helpers

_LETTERS = "a-zàâäçéèêëîïôöùûüÿœ"


def _pattern(surface: str) -> str:
    return surface_pattern(surface, optional_hyphen=False, optional_dot=False)


def _is_name(surface: str) -> bool:
    """Names are matched case-insensitively; single upper-case tokens (codes,
    abbreviations) and anything with a symbol exactly."""
    if not all(c.isalpha() or c in " -'’" for c in surface):
        return False
    return not (" " not in surface and surface.upper() == surface)


def _plural_variants(surface: str) -> list[str]:
    words = surface.split(" ")
    options = []
    for w in words:
        opts = [w]
        bare = w.replace("-", "")
        if bare.isalpha() and w.islower() and len(w) >= 3 and not w.endswith(("s", "x")):
            opts.append(w + ("x" if w.endswith("eau") else "s"))
        options.append(opts)
    return [" ".join(p) for p in product(*options)]


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class MoneyRules:
    currencies: dict[str, tuple[CurrencyRow, ...]]  # key -> rows sharing it
    scales: dict[str, int]  # key -> exponent
    scales_en: dict[str, int]  # key -> exponent in English-language articles, where it differs
    scales_english: dict[str, int]  # key -> exponent in an English-language article (scales + scales_en)
    numbers: dict[str, int]
    per_stop: frozenset[str]
    suffix: re.Pattern[str]
    prefix: re.Pattern[str]
    approx_pre: re.Pattern[str]
    approx_post: re.Pattern[str]
    range_pre: re.Pattern[str]
    merge_gap: re.Pattern[str]
    triggers: tuple[str, ...] = ()  # lower-case name stems (searched in the lowered body)
    exact_triggers: tuple[str, ...] = ()  # codes and symbols (searched as written)


def currency_key(text: str, exact: bool) -> str:
    """A currency surface's key in ``MoneyRules.currencies``: names folded, codes and symbols as written."""
    return re.sub(r"\s+", " ", text).strip() if exact else fold(text)


def load_rules(rules_dir: Path | Layers = RULES_DIR / "money") -> MoneyRules:
    """Load and validate the money lexicons and compile the candidate regexes.

    ``rules_dir`` is a folder or the :class:`~pipeline.rulebook.Layers` of the packaged folder
    and a team's overlay (whose rows are added to the packaged ones).
    """
    rules_dir = as_layers(rules_dir)
    cur_path = rules_dir / "currencies.tsv"
    cur_rows = load_tsv(cur_path, CurrencyRow)
    check_unique(cur_path, cur_rows)
    scale_rows = load_tsv(rules_dir / "scales.tsv", ScaleRow)
    check_unique(rules_dir / "scales.tsv", scale_rows)
    num_rows = load_tsv(rules_dir / "numbers.tsv", NumberRow)
    check_unique(rules_dir / "numbers.tsv", num_rows)
    cue_rows = load_tsv(rules_dir / "cues.tsv", CueRow)
    check_unique(rules_dir / "cues.tsv", cue_rows)

    # currencies: variants -> rows
    index: dict[str, list[CurrencyRow]] = {}
    name_pats: set[str] = set()
    exact: list[tuple[str, bool]] = []  # surface, prefixable
    for _, row in cur_rows:
        if _is_name(row.surface):
            for v in _plural_variants(row.surface):
                index.setdefault(currency_key(v, False), []).append(row)
                name_pats.add(v)
        else:
            index.setdefault(currency_key(row.surface, True), []).append(row)
            exact.append((row.surface, True))
    problems = []
    for key, rows in index.items():
        isos = {r.iso4217 for r in rows}
        if len(isos) > 1 and not any(r.hints for r in rows):
            problems.append((str(cur_path), 0, "surface",
                             f"{key!r} maps to {sorted(isos)} without countries_hint"))
    if problems:
        raise RuleFileError(problems)

    alts: list[tuple[int, str]] = []
    for v in name_pats:
        alts.append((len(v), f"(?i:{_pattern(v)})(?![\\w])"))
    for s, _ in exact:
        guard = "(?![A-Za-z])" if s[-1].isalnum() else ""
        alts.append((len(s), _pattern(s) + guard))
    alts.sort(key=lambda a: -a[0])
    currency = "(?:" + "|".join(a for _, a in alts) + ")"
    prefix_alts = sorted({s for s, _ in exact}, key=len, reverse=True)
    prefix_cur = "(?:" + "|".join(_pattern(s) + ("(?![A-Za-z])" if s[-1].isalnum() else "")
                                  for s in prefix_alts) + ")"

    scales: dict[str, int] = {}
    scales_en: dict[str, int] = {}
    word_scales, abbr_scales = set(), set()
    for _, r in scale_rows:
        if r.surface.isalpha() and r.surface.islower() and len(r.surface) > 3:
            keys = [fold(v) for v in _plural_variants(r.surface)]
            word_scales.update(_plural_variants(r.surface))
        else:
            keys = [r.surface]
            abbr_scales.add(r.surface)
        for k in keys:
            scales[k] = r.exponent
            if r.exponent_en is not None:
                scales_en[k] = r.exponent_en
    scw = "(?i:" + "|".join(_pattern(s) for s in sorted(word_scales, key=len, reverse=True)) + ")(?!\\w)"
    sca = "(?:" + "|".join(re.escape(s) for s in sorted(abbr_scales, key=len, reverse=True)) + ")(?![a-z])"

    numbers: dict[str, int] = {}
    num_words = set()
    for _, r in num_rows:
        numbers[fold(r.surface)] = r.value
        num_words.add(r.surface)
        if r.value in (20, 100):
            numbers[fold(r.surface) + "s"] = r.value
            num_words.add(r.surface + "s")
    w = "(?i:" + "|".join(_pattern(s) for s in sorted(num_words, key=len, reverse=True)) + ")(?!\\w)"
    spelled = rf"(?<!\w)(?:{w})(?:(?:[-‐‑]|{WS}|{WS}(?i:et)(?:[-‐‑]|{WS}))(?:{w}))*"
    digits = (r"(?<![\w.,])(?:\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?"
              r"|\d{1,3}(?:(?:[ \u00a0\u202f\u2009]|\.(?=\d{3}(?!\d)))\d{3})+(?:,\d+)?"
              # "7, 50 €": a price whose decimal comma the page followed by a space
              r"|\d{1,3},[ \u00a0](?=\d{2}[ \u00a0]?(?:€|(?i:euros?)(?!\w)))\d{2}"
              r"|\d+(?:[.,]\d+)?)(?![\d])")

    def amt(i: int) -> str:
        return (rf"(?:(?P<num{i}>{digits})|(?P<sp{i}>{spelled}))"
                rf"(?:{WS0}(?P<sca{i}>{sca})|{WS}(?P<scw{i}>{scw})(?P<demi{i}>{WS}(?i:et){WS}(?i:demie?))?)?")

    rconn = rf"(?P<rconn>{WS0}[-–]{WS0}|{WS}(?i:à|a|et|au){WS})"
    conn = rf"(?:{WS}(?i:de|des){WS}|{WS}(?i:d){AP}{WS0}|{WS0})"
    per_units = [r.surface for _, r in cue_rows if r.kind == "per_unit"]
    unit_alt = "(?i:" + "|".join(_pattern(s) for s in sorted(per_units, key=len, reverse=True)) + ")"
    per_one = (rf"(?:{WS}(?i:par){WS}[{_LETTERS}]+(?:-[{_LETTERS}]+)?"
               rf"|{WS0}/{WS0}[^\W\d_][\w²]*"
               rf"|{WS}(?i:le|la|l{AP}){WS0}{unit_alt}(?!\w))")
    per = rf"(?P<per>{per_one}(?:{WS}(?i:et){per_one})*)"
    suffix = re.compile(rf"{amt(1)}(?:{rconn}{amt(2)})?{conn}(?P<cur>{currency}){per}?")
    prefix = re.compile(
        rf"(?<![\w$€£¥])(?P<cur>{prefix_cur}){WS0}{amt(1)}"
        rf"(?:{rconn}(?:{prefix_cur}{WS0})?{amt(2)})?(?!{WS0}(?:{currency}))")

    def cue_alt(kind: str) -> str:
        pats = sorted((_pattern(r.surface) for _, r in cue_rows if r.kind == kind), key=len, reverse=True)
        return "(?i:" + "|".join(pats) + ")"

    approx_pre = re.compile(rf"(?<!\w)(?:{cue_alt('approx_pre')}){WS0}$")
    approx_post = re.compile(rf"{WS}(?:{cue_alt('approx_post')})(?!\w)")
    range_pre = re.compile(rf"(?<!\w)(?P<w>(?i:entre|de|d{AP}|de{WS}l{AP}ordre{WS}de)){WS0}$")
    merge_gap = re.compile(rf"{WS0}(?:(?i:et|à|au)|[-–]){WS0}")
    name_triggers = set()
    for _, row in cur_rows:
        if _is_name(row.surface):
            longest = max(row.surface.lower().split(" "), key=len)
            name_triggers |= {longest, fold(longest)}
    exact_triggers = {row.surface[:1] if not row.surface[:1].isalnum() else row.surface
                      for _, row in cur_rows if not _is_name(row.surface)}
    return MoneyRules(
        triggers=tuple(sorted(name_triggers)),
        exact_triggers=tuple(sorted(exact_triggers)),
        currencies={k: tuple(v) for k, v in index.items()},
        scales=scales,
        scales_en=scales_en,
        scales_english={**scales, **scales_en},
        numbers=numbers,
        per_stop=frozenset(fold(r.surface) for _, r in cue_rows if r.kind == "per_stop"),
        suffix=suffix,
        prefix=prefix,
        approx_pre=approx_pre,
        approx_post=approx_post,
        range_pre=range_pre,
        merge_gap=merge_gap,
    )


def default_rules():
    """The packaged rules, loaded once per process (shared with the run driver)."""
    return packaged(load_rules)
