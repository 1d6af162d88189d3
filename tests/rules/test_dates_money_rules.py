"""Rule files of the dates and money stages: they validate, cover the calendar and
name real ISO codes (checked against babel / pycountry, not hand-written tables)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pycountry
import pytest
from babel.dates import get_day_names, get_month_names
from babel.numbers import list_currencies

from pipeline.rulebook import RULES_DIR, RuleFileError, load_tsv
from pipeline.stages import dates, money

DATES_DIR = RULES_DIR / "dates"
MONEY_DIR = RULES_DIR / "money"


def test_every_rule_file_is_documented():
    for d in (DATES_DIR, MONEY_DIR):
        readme = (d / "README.md").read_text(encoding="utf-8")
        for f in d.glob("*.tsv"):
            assert f"`{f.name}`" in readme, f"{f.name} missing from {d / 'README.md'}"


def test_month_and_weekday_names_match_babel():
    rules = dates.load_rules()
    for n, name in get_month_names("wide", locale="fr").items():
        assert rules.months[dates.surface_key(name)] == n
    for n, name in get_day_names("wide", locale="fr").items():
        assert rules.weekdays[dates.surface_key(name)] == n


def test_seasons_are_edtf_level1():
    rows = [r for _, r in load_tsv(DATES_DIR / "seasons.tsv", dates.SeasonRow)]
    assert sorted(r.code for r in rows) == [21, 22, 23, 24]


def test_currency_codes_are_iso4217():
    known = set(list_currencies()) | {c.alpha_3 for c in pycountry.currencies}
    for _, row in load_tsv(MONEY_DIR / "currencies.tsv", money.CurrencyRow):
        assert row.iso4217 in known, row.id
        for code in row.hints:
            assert pycountry.countries.get(alpha_2=code) is not None, (row.id, code)


def test_every_currency_example_resolves_to_its_row():
    rows = [r for _, r in load_tsv(MONEY_DIR / "currencies.tsv", money.CurrencyRow)]
    for row in rows:
        if not row.example:
            continue
        got = money.find_money(row.example, countries=row.hints)
        assert [m.currency for m in got] == [row.iso4217], (row.id, row.example, got)


def test_fcfa_zones_follow_uemoa_and_cemac():
    uemoa = {"BJ", "BF", "CI", "GW", "ML", "NE", "SN", "TG"}
    cemac = {"CM", "CF", "TD", "CG", "GQ", "GA"}
    for c in uemoa:
        assert money.find_money("10 FCFA", countries=frozenset({c}))[0].currency == "XOF"
    for c in cemac:
        assert money.find_money("10 FCFA", countries=frozenset({c}))[0].currency == "XAF"


def test_scales():
    rules = money.load_rules()
    assert rules.scales["milliard"] == 9 and rules.scales["billions"] == 12 and rules.scales["M"] == 6


@pytest.mark.parametrize(("stage", "name", "bad"), [
    (dates, "months.tsv", "bad\tjanvier\t13\n"),
    (dates, "relative.tsv", "bad\thier\tfortnight\t1\n"),
    (dates, "forms.tsv", "bad\tnope\t{months}\t\tx\ty\t{month:m}\n"),  # unknown handler
    (dates, "forms.tsv", "bad\tday\t{months}\t\tx\ty\t{mnth:m}\n"),  # unknown fragment
    (dates, "forms.tsv", "bad\tday\t{monthz}\t\tx\ty\t{month:m}\n"),  # unknown trigger set
    (dates, "forms.tsv", "bad\tday\t{months}\t\tx\ty\t{month:m}(\n"),  # invalid regex
    (dates, "holidays.tsv", "bad\tFête\teaster*2\t\n"),  # not MM-DD nor easter+N
    (dates, "holidays.tsv", "bad\tFête\t13-01\t\n"),  # month 13
    (dates, "tense.tsv", "bad\tverb\tsera\tfuture\n"),  # unknown kind
    (dates, "anchored.tsv", "bad\tle surlendemain\tfortnight\t1\n"),  # unknown unit
    (dates, "history.tsv", "bad\tle Grand Soir\tsoon\n"),  # not an EDTF value
    (money, "currencies.tsv", "bad\tbidule\teuro\t\t\t\n"),
    (money, "scales.tsv", "bad\tzillion\tmany\n"),
])
def test_malformed_rows_name_file_and_line(tmp_path, stage, name, bad):
    src = DATES_DIR if stage is dates else MONEY_DIR
    dst = tmp_path / "rules"
    shutil.copytree(src, dst)
    path = dst / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text + bad, encoding="utf-8")
    lineno = len(text.splitlines()) + 1
    with pytest.raises(RuleFileError) as err:
        stage.load_rules(dst)
    assert f"{name}:{lineno}:" in str(err.value)


def test_duplicate_ids_are_rejected(tmp_path):
    dst = tmp_path / "rules"
    shutil.copytree(MONEY_DIR, dst)
    path = dst / "scales.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "mille\tmille\t3\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="duplicate id"):
        money.load_rules(dst)


def test_custom_rules_dir_is_used(tmp_path):
    dst = tmp_path / "rules"
    shutil.copytree(MONEY_DIR, dst)
    path = dst / "currencies.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "zzz\ttugrik\tMNT\t\t10 tugriks\t\n", encoding="utf-8")
    rules = money.load_rules(dst)
    assert money.find_money("10 tugriks", rules=rules)[0].currency == "MNT"
    assert money.find_money("10 tugriks") == []


def test_rules_dirs_exist():
    assert Path(DATES_DIR).is_dir() and Path(MONEY_DIR).is_dir()
