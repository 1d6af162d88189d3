"""Money stage: data-driven cases (tests/cases/money.tsv), API contract and seed quality."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from seedgold import GOLD, seed_bodies  # tests/seedgold.py

from pipeline.records import Mention
from pipeline.stages.money import find_money, load_rules, parse_number, parse_spelled, plain

CASES = Path(__file__).resolve().parents[1] / "cases" / "money.tsv"


def _cases() -> list:
    lines = [ln for ln in CASES.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    out = []
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        marks = [pytest.mark.xfail(strict=True, reason=row["note"])] if row["section"] == "xfail" else []
        out.append(pytest.param(row["text"], row["expected"] or "", row["note"] or "", marks=marks,
                                id=f"{row['section']}:{row['text'][:40]}:{(row['note'] or '')[:20]}"))
    return out


def render(m: Mention) -> str:
    s = plain(m.amount)
    if m.amount_max is not None:
        s += "-" + plain(m.amount_max)
    s += " " + m.currency
    if m.approx:
        s += " ~"
    if m.per:
        s += " /" + m.per
    return s


def test_cases_file_is_large_and_well_formed():
    assert len(_cases()) >= 50


@pytest.mark.parametrize(("text", "expected", "note"), _cases())
def test_case(text, expected, note):
    countries: frozenset[str] = frozenset()
    if note.startswith("countries="):
        countries = frozenset(note.split(":", 1)[0].removeprefix("countries=").split(","))
    got = " | ".join(render(m) for m in find_money(text, countries=countries))
    assert got == expected, note


def test_mention_fields_and_offsets():
    body = "Intro.\n\nUne enveloppe de près de 1,5 milliard d'euros par an."
    (m,) = find_money(body)
    assert m.kind == "money" and body[m.start:m.end] == m.text
    assert m.value == "1500000000 EUR" and m.amount == Decimal("1500000000") and m.currency == "EUR"
    assert m.approx is True and m.per == "an" and m.amount_max is None
    assert m.rule == "money:eur_name"
    assert "E" not in m.value.split()[0]


def test_rule_records_the_country_decision():
    (m,) = find_money("500 millions de FCFA", countries=frozenset({"CM"}))
    assert (m.currency, m.rule) == ("XAF", "money:xaf_fcfa")
    (m,) = find_money("500 millions de FCFA")
    assert (m.currency, m.rule) == ("XOF", "money:xof_fcfa")


def test_range_fields():
    (m,) = find_money("entre 10 et 20 millions d'euros")
    assert (m.amount, m.amount_max) == (Decimal("10000000"), Decimal("20000000"))
    assert m.value == "10000000 EUR"


@pytest.mark.parametrize(("text", "value"), [
    ("1 234,5", "1234.5"), ("1.234,5", "1234.5"), ("1,5", "1.5"), ("1.5", "1.5"),
    ("1\u202f234\u202f567", "1234567"), ("1\u00a0000", "1000"), ("2.000", "2000"),
    ("1,234,567", "1234567"), ("1,234,567.25", "1234567.25"), ("42", "42"),
])
def test_parse_number(text, value):
    assert plain(parse_number(text)) == value


@pytest.mark.parametrize(("text", "value"), [
    ("un", 1), ("vingt et un", 21), ("soixante-dix", 70), ("quatre-vingts", 80),
    ("quatre-vingt-dix-neuf", 99), ("trois cents", 300), ("deux cent mille", 200000),
    ("mille deux cents", 1200), ("dix-sept", 17),
])
def test_parse_spelled(text, value):
    assert parse_spelled(text, load_rules().numbers) == value


def test_plain_has_no_exponent():
    assert plain(Decimal("1.5E+9")) == "1500000000" and plain(Decimal("2.50")) == "2.5"


def test_empty():
    assert find_money("") == [] and find_money("   ") == []


@pytest.mark.skipif(not GOLD.is_dir(), reason="gold seeds not available")
def test_seed_f1():
    tp = fp = fn = 0
    for gold, body in seed_bodies():
        pred = {(m.amount, m.currency) for m in find_money(body, countries=frozenset(gold["countries"]))}
        want = {(Decimal(str(d["amount"])), d["currency"]) for d in gold["money"]}
        tp, fp, fn = tp + len(pred & want), fp + len(pred - want), fn + len(want - pred)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    assert 2 * p * r / (p + r) >= 0.95


def test_billion_is_ten_to_the_twelve_in_french_and_nine_in_english():
    fr = find_money("Un plan de 1,2 billion de dollars.")
    en = find_money("Kenya signs a $1.2 billion deal and a $2 trillion plan.", language="en")
    assert [m.value for m in fr] == ["1200000000000 USD"]
    assert [m.value for m in en] == ["1200000000 USD", "2000000000000 USD"]


# -- the stage as the registry runs it -------------------------------------------------------

def test_run_reads_its_declared_fields_and_gives_find_money(tmp_path):
    from pipeline.context import Context, ReadGuard
    from pipeline.settings import defaults
    from pipeline.stages import BY_NAME, money

    body = "Le Cameroun recevra 500 millions de FCFA et un prêt de 1.2 billion dollars."
    countries = (Mention(kind="country", text="Cameroun", start=3, end=11, value="CM", rule="t"),
                 # a region's value is no country code
                 Mention(kind="region", text="x", start=0, end=1, value="SN", rule="t"))
    st = BY_NAME["money"]
    for lang in ("fr", "en"):
        ctx = Context(body=body, countries=countries, language=lang, doc=None, notes=[])
        out = money.run(ReadGuard(ctx, st.reads, "money"), load_rules(), defaults()["money"])
        assert set(out) == {"money"} and isinstance(out["money"], tuple)
        assert list(out["money"]) == find_money(body, countries=frozenset({"CM"}), language=lang)
        assert out["money"][0].rule == "money:xaf_fcfa"
    assert out["money"][1].value == "1200000000 USD"  # English scales in an English article


def test_settings_are_threaded_down():
    from pipeline.settings import defaults

    s = defaults()["money"]
    text = "Une enveloppe de 20 millions d'euros."
    assert [m.value for m in find_money(text, settings=s)] == ["20000000 EUR"]
    # the regexes only run from `window_before` characters before the currency name
    assert find_money(text, settings=s.model_copy(update={"window_before": 5})) == []
    # an approximation cue is looked for `approx_cue_chars` characters before the amount
    text = "Il faut environ 20 millions d'euros."
    assert find_money(text, settings=s)[0].approx is True
    assert find_money(text, settings=s.model_copy(update={"approx_cue_chars": 3}))[0].approx is False


def test_english_scales_come_with_each_rule_set(tmp_path):
    import shutil

    from pipeline.rulebook import RULES_DIR

    dst = tmp_path / "money"
    shutil.copytree(RULES_DIR / "money", dst)
    scales = dst / "scales.tsv"
    old = scales.read_text(encoding="utf-8")
    assert "billion\tbillion\t12\t9" in old
    scales.write_text(old.replace("billion\tbillion\t12\t9", "billion\tbillion\t12\t6"), encoding="utf-8")
    text = "A $2 billion plan."
    for _ in range(2):  # a rule set loaded after another never sees the other's English scales
        assert find_money(text, language="en")[0].value == "2000000000 USD"
        assert find_money(text, language="en", rules=load_rules(dst))[0].value == "2000000 USD"
        assert find_money(text, language="fr", rules=load_rules(dst))[0].value == "2000000000000 USD"
