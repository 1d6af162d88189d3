"""Money stage: amounts of a currency in French text, normalised to (Decimal, ISO 4217).

Candidates are found with two precompiled regular expressions built from the
lexicons in ``pipeline/rules/money/``:

- *suffix* form: ``<amount> [<scale>] [de|d'] <currency> [par an ...]`` —
  "1 234,5 euros", "1,5 milliard d'euros", "20 M$", "deux millions d'euros",
  "entre 10 et 20 millions de dollars" (ranges: ``amount`` / ``amount_max``);
- *prefix* form for symbols and codes: ``<currency> <amount> [<scale>]`` —
  "$10 millions", "USD 5,2 milliards".

An amount is digits in French ("1 234 567", "1.234,5", "1,5", with U+00A0 or
U+202F as group separators) or English grouping ("1,234,567"), or spelled-out
French numbers ("trois cents", "vingt-cinq").  Approximation cues before the
amount ("près de", "environ", "plus de") set ``approx``; "par an et par
agence" sets ``per="an; agence"``.  A currency name shared by several
currencies (franc CFA, dinar, dirham, livre...) is resolved with the
article's ``countries`` (see ``currencies.tsv``); the id of the deciding row
is the mention's ``rule`` (``money:xaf_cfa``).  Numbers without a currency
("2 000 licences", "5 %") are never money.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from pipeline.records import Mention
from pipeline.rulebook import RULES_DIR, RuleModel, RuleFileError, check_unique, load_tsv
from pipeline.text.surface import AP, WS, WS0, fold, surface_pattern, word_starts

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


def _key(text: str, exact: bool) -> str:
    return re.sub(r"\s+", " ", text).strip() if exact else fold(text)


def load_rules(rules_dir: Path = RULES_DIR / "money") -> MoneyRules:
    """Load and validate the money lexicons and compile the candidate regexes."""
    rules_dir = Path(rules_dir)
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
                index.setdefault(_key(v, False), []).append(row)
                name_pats.add(v)
        else:
            index.setdefault(_key(row.surface, True), []).append(row)
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
        numbers=numbers,
        per_stop=frozenset(fold(r.surface) for _, r in cue_rows if r.kind == "per_stop"),
        suffix=suffix,
        prefix=prefix,
        approx_pre=approx_pre,
        approx_post=approx_post,
        range_pre=range_pre,
        merge_gap=merge_gap,
    )


@lru_cache(maxsize=1)
def _default_rules() -> MoneyRules:
    return load_rules()


# --------------------------------------------------------------------------- values


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


def _amount(m: re.Match, i: int, rules: MoneyRules) -> tuple[Decimal, int | None, bool] | None:
    """(base number, exponent or None, spelled?) of amount ``i`` of a match."""
    if m[f"num{i}"]:
        base, spelled = parse_number(m[f"num{i}"]), False
    elif m[f"sp{i}"]:
        base, spelled = parse_spelled(m[f"sp{i}"], rules.numbers), True
    else:
        return None
    exp = None
    if m[f"sca{i}"]:
        exp = rules.scales[m[f"sca{i}"]]
    elif m[f"scw{i}"]:
        exp = rules.scales[fold(m[f"scw{i}"])]
        if m[f"demi{i}"]:
            base += Decimal("0.5")
    return base, exp, spelled


def _resolve(key: str, countries: frozenset[str], rules: MoneyRules) -> CurrencyRow | None:
    rows = rules.currencies.get(key)
    if not rows:
        return None
    if len({r.iso4217 for r in rows}) == 1:
        return rows[0]
    best, best_n = None, 0
    for r in rows:
        n = len(r.hints & countries)
        if n > best_n:
            best, best_n = r, n
    if best is not None:
        return best
    for r in rows:
        if r.is_default:
            return r
    return None


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    amount: Decimal
    amount_max: Decimal | None
    currency: str
    rule: str
    approx: bool
    per: str | None


def _per(text: str | None, rules: MoneyRules) -> str | None:
    if not text:
        return None
    units = []
    for mm in re.finditer(r"(?:\bpar\s+|/\s*|\b(?:le|la|l['’ʼ])\s*)([^\W\d_][\w²-]*(?:\s+carr[ée])?)",
                          text, flags=re.I):
        word = mm.group(1)
        if fold(word) in rules.per_stop:
            break
        units.append(word)
    return "; ".join(units) if units else None


_PER_ITEM = re.compile(
    r"(?:\s*et)?\s*(?:\bpar\s+|/\s*|\b(?:le|la|l['’ʼ])\s*)([^\W\d_][\w²-]*(?:\s+carr[ée])?)", re.I)


def _per_span(text: str | None, rules: MoneyRules) -> int:
    """Length of the leading part of the per-text that holds valid units."""
    if not text:
        return 0
    end = 0
    for mm in _PER_ITEM.finditer(text):
        if mm.start() != end or fold(mm.group(1)) in rules.per_stop:
            break
        end = mm.end()
    return end


_CENTS = re.compile(rf"{WS}(?i:et){WS}(\d{{1,2}}){WS}(?i:centimes?|cents?)(?!\w)")


def _candidate(m: re.Match, body: str, countries: frozenset[str], rules: MoneyRules,
               form: str) -> _Cand | None:
    cur_text = m["cur"]
    exact_key = _key(cur_text, True)
    key = exact_key if exact_key in rules.currencies else _key(cur_text, False)
    row = _resolve(key, countries, rules)
    if row is None:
        return None
    a1 = _amount(m, 1, rules)
    a2 = _amount(m, 2, rules) if m.re.groupindex.get("num2") and (m["num2"] or m["sp2"]) else None
    if a1 is None:
        return None
    base1, exp1, sp1 = a1
    has_scale = exp1 is not None or (a2 is not None and a2[1] is not None)
    if row.requires == "digits" and (sp1 or (a2 and a2[2])):
        return None
    if row.requires == "scale" and not has_scale:
        return None
    if sp1 and not has_scale and base1 == 0:
        return None
    start, end = m.start(), m.end()
    amount_max = None
    if a2 is not None:
        base2, exp2, _ = a2
        if exp1 is None and exp2 is not None and base1 < 1000 and base1 < base2:
            exp1 = exp2
        v1 = base1 * (Decimal(10) ** (exp1 or 0))
        v2 = base2 * (Decimal(10) ** (exp2 or 0))
        lo, hi = sorted((v1, v2))
        amount, amount_max = lo, (hi if hi != lo else None)
        rp = rules.range_pre.search(body, max(0, start - 30), start)
        if rp:
            start = rp.start()
        elif fold(m["rconn"]) == "et":
            return None  # "10 et 20 euros" without "entre" is a list, not a range
    else:
        amount = base1 * (Decimal(10) ** (exp1 or 0))
    if form == "suffix" and a2 is None and exp1 is None and not m["per"]:
        cents = _CENTS.match(body, end)
        if cents:  # "20 euros et 50 centimes"
            amount += Decimal(cents.group(1)) / 100
            end = cents.end()
    per = None
    if form == "suffix" and m["per"]:
        keep = _per_span(m["per"], rules)
        per = _per(m["per"][:keep], rules)
        end = m.start("per") + keep
    approx = False
    ap = rules.approx_pre.search(body, max(0, start - 40), start)
    if ap:
        approx = True
        start = ap.start()
    post = rules.approx_post.match(body, end)
    if post:
        approx = True
        end = post.end()
    amount = Decimal(plain(amount))
    if amount_max is not None:
        amount_max = Decimal(plain(amount_max))
    return _Cand(start, end, amount, amount_max, row.iso4217, f"money:{row.id}", approx, per)


_ENGLISH_RULES: dict[int, MoneyRules] = {}


def _english(rules: MoneyRules) -> MoneyRules:
    """The rules with English scale values ("billion" = 10^9), built once per rule set."""
    key = id(rules)
    if key not in _ENGLISH_RULES:
        _ENGLISH_RULES[key] = replace(rules, scales={**rules.scales, **rules.scales_en})
    return _ENGLISH_RULES[key]


def find_money(body: str, *, countries: frozenset[str] = frozenset(),
               rules: MoneyRules | None = None, language: str = "fr") -> list[Mention]:
    """Money mentions of ``body`` (see the module docstring).

    ``language`` is the article's language: scale words whose value differs
    between languages (French "billion" = 10^12, English "billion" = 10^9) take
    the English value in an English-language article.
    """
    if rules is None:
        rules = _default_rules()
    if language == "en" and rules.scales_en:
        rules = _english(rules)
    if not body:
        return []
    countries = frozenset(c.upper() for c in countries)
    cands: list[_Cand] = []
    windows = _windows(body, rules)
    seen: set[tuple[int, int, str]] = set()
    for form, pat in (("suffix", rules.suffix), ("prefix", rules.prefix)):
        matches = [m for ws, we in windows for m in pat.finditer(body, ws, we)]
        for m in matches:
            if (m.start(), m.end(), form) in seen:
                continue
            seen.add((m.start(), m.end(), form))
            try:
                c = _candidate(m, body, countries, rules, form)
            except (InvalidOperation, KeyError, ValueError, ArithmeticError):
                continue
            if c is not None and c.end > c.start:
                cands.append(c)
    cands.sort(key=lambda c: (-(c.end - c.start), c.start))
    kept: list[_Cand] = []
    for c in cands:
        if any(c.start < k.end and k.start < c.end for k in kept):
            continue
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    kept = _merge_ranges(body, kept, rules)
    out = []
    for c in kept:
        out.append(Mention(kind="money", text=body[c.start:c.end], start=c.start, end=c.end,
                           value=f"{plain(c.amount)} {c.currency}", rule=c.rule, amount=c.amount,
                           amount_max=c.amount_max, currency=c.currency, approx=c.approx, per=c.per))
    return out


_BEFORE, _AFTER = 160, 90


def _windows(body: str, rules: MoneyRules) -> list[tuple[int, int]]:
    """Windows of ``body`` around currency names, codes and symbols: the regexes
    only run there (an amount without a currency is never money)."""
    low = body.lower()
    hits: list[int] = []
    if len(low) != len(body):
        return [(0, len(body))]
    for t in rules.triggers:  # whole words, plural allowed ("rand" not in "grand")
        hits.extend(word_starts(low, t, plural=True))
    for t in rules.exact_triggers:
        i = body.find(t)
        while i != -1:
            hits.append(i)
            i = body.find(t, i + 1)
    hits.sort()
    out: list[tuple[int, int]] = []
    n = len(body)
    for h in hits:
        s, e = max(0, h - _BEFORE), min(n, h + _AFTER)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _merge_ranges(body: str, kept: list[_Cand], rules: MoneyRules) -> list[_Cand]:
    """"entre 10 M€ et 20 M€" -> one range mention."""
    out: list[_Cand] = []
    i = 0
    while i < len(kept):
        c = kept[i]
        if i + 1 < len(kept):
            n = kept[i + 1]
            gap = rules.merge_gap.fullmatch(body, c.end, n.start)
            pre = rules.range_pre.search(body, max(0, c.start - 30), c.start)
            if gap and not pre and fold(gap.group(0)) == "et":
                gap = None  # "10 € et 20 €" without "entre" is a list
            if (gap and n.currency == c.currency and c.amount_max is None and n.amount_max is None
                    and n.amount > c.amount):
                out.append(_Cand(pre.start() if pre else c.start, n.end, c.amount, n.amount, c.currency,
                                 c.rule, c.approx or n.approx, n.per))
                i += 2
                continue
        out.append(c)
        i += 1
    return out


__all__ = ["MoneyRules", "find_money", "load_rules", "parse_number", "parse_spelled", "plain"]
