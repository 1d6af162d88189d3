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

The regexes only run in windows around currency names, codes and symbols
(``window_before`` / ``window_after`` characters of the ``[money]`` settings).
Overlapping candidates: the longest wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pipeline.records import Mention
from pipeline.settings import StageSettings, or_defaults
from pipeline.stages.money.parse import parse_number, parse_spelled, plain
from pipeline.stages.money.rules import CurrencyRow, MoneyRules, currency_key, default_rules, load_rules
from pipeline.text.spans import longest_non_overlapping, merge_windows
from pipeline.text.surface import WS, fold, word_starts

__all__ = ["CurrencyRow", "MoneyRules", "Settings", "find_money", "load_rules", "parse_number",
           "parse_spelled", "plain", "run"]


class Settings(StageSettings):
    """``[money]``: how far around a currency the stage looks."""

    #: characters before a currency name, code or symbol searched for its amount
    window_before: int
    #: characters after a currency name, code or symbol searched for its amount
    window_after: int
    #: characters before an amount searched for a range cue ("entre", "de l'ordre de")
    range_cue_chars: int
    #: characters before an amount searched for an approximation cue ("près de", "environ")
    approx_cue_chars: int


def _amount(m: re.Match, i: int, rules: MoneyRules,
            scales: dict[str, int]) -> tuple[Decimal, int | None, bool] | None:
    """(base number, exponent or None, spelled?) of amount ``i`` of a match (``scales``: the
    article language's exponents)."""
    if m[f"num{i}"]:
        base, spelled = parse_number(m[f"num{i}"]), False
    elif m[f"sp{i}"]:
        base, spelled = parse_spelled(m[f"sp{i}"], rules.numbers), True
    else:
        return None
    exp = None
    if m[f"sca{i}"]:
        exp = scales[m[f"sca{i}"]]
    elif m[f"scw{i}"]:
        exp = scales[fold(m[f"scw{i}"])]
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


def _candidate(m: re.Match, body: str, countries: frozenset[str], rules: MoneyRules, scales: dict[str, int],
               form: str, settings: Settings) -> _Cand | None:
    cur_text = m["cur"]
    exact_key = currency_key(cur_text, True)
    key = exact_key if exact_key in rules.currencies else currency_key(cur_text, False)
    row = _resolve(key, countries, rules)
    if row is None:
        return None
    a1 = _amount(m, 1, rules, scales)
    a2 = _amount(m, 2, rules, scales) if m.re.groupindex.get("num2") and (m["num2"] or m["sp2"]) else None
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
        rp = rules.range_pre.search(body, max(0, start - settings.range_cue_chars), start)
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
    ap = rules.approx_pre.search(body, max(0, start - settings.approx_cue_chars), start)
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


def find_money(body: str, *, countries: frozenset[str] = frozenset(), rules: MoneyRules | None = None,
               language: str = "fr", settings: Settings | None = None) -> list[Mention]:
    """Money mentions of ``body`` (see the module docstring).

    ``countries`` are the article's ISO alpha-2 country codes (they resolve shared currency
    names).  ``language`` is the article's language: scale words whose value differs
    between languages (French "billion" = 10^12, English "billion" = 10^9) take
    the English value in an English-language article.
    """
    if rules is None:
        rules = default_rules()
    settings = or_defaults("money", settings)
    scales = rules.scales_english if language == "en" and rules.scales_en else rules.scales
    if not body:
        return []
    countries = frozenset(c.upper() for c in countries)
    cands: list[_Cand] = []
    windows = _windows(body, rules, settings)
    seen: set[tuple[int, int, str]] = set()
    for form, pat in (("suffix", rules.suffix), ("prefix", rules.prefix)):
        matches = [m for ws, we in windows for m in pat.finditer(body, ws, we)]
        for m in matches:
            if (m.start(), m.end(), form) in seen:
                continue
            seen.add((m.start(), m.end(), form))
            try:
                c = _candidate(m, body, countries, rules, scales, form, settings)
            except (InvalidOperation, KeyError, ValueError, ArithmeticError):
                continue
            if c is not None and c.end > c.start:
                cands.append(c)
    kept = longest_non_overlapping(cands, lambda c: (c.start, c.end))
    kept = _merge_ranges(body, kept, rules, settings)
    out = []
    for c in kept:
        out.append(Mention(kind="money", text=body[c.start:c.end], start=c.start, end=c.end,
                           value=f"{plain(c.amount)} {c.currency}", rule=c.rule, amount=c.amount,
                           amount_max=c.amount_max, currency=c.currency, approx=c.approx, per=c.per))
    return out


def _windows(body: str, rules: MoneyRules, settings: Settings) -> list[tuple[int, int]]:
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
    return merge_windows(hits, settings.window_before, settings.window_after, len(body))


def _merge_ranges(body: str, kept: list[_Cand], rules: MoneyRules, settings: Settings) -> list[_Cand]:
    """"entre 10 M€ et 20 M€" -> one range mention."""
    out: list[_Cand] = []
    i = 0
    while i < len(kept):
        c = kept[i]
        if i + 1 < len(kept):
            n = kept[i + 1]
            gap = rules.merge_gap.fullmatch(body, c.end, n.start)
            pre = rules.range_pre.search(body, max(0, c.start - settings.range_cue_chars), c.start)
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


def run(ctx, rules: MoneyRules | None, settings: Settings | None) -> dict:
    """Stage ``money``: reads ``body``, ``countries``, ``language``; writes ``money``."""
    codes = frozenset(m.value for m in ctx.countries if m.kind == "country")
    return {"money": tuple(find_money(ctx.body, countries=codes, rules=rules, language=ctx.language,
                                      settings=settings))}
