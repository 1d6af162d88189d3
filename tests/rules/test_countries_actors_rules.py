"""Rule files of the countries and actors stages: schema, coverage and error reporting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pycountry
import pytest

from pipeline.rulebook import RuleFileError, load_tsv
from pipeline.stages import actors, countries
from pipeline.text.places import COUNTRIES_DIR, DemonymRow, NameRow, demonym_forms

#: Territories without a French demonym in use (documented in pipeline/rules/countries/README.md).
NO_DEMONYM = {"AQ", "BV", "HM", "UM", "GS", "TF", "IO", "CC", "CX", "NF", "PN", "TK", "SJ", "BQ", "SX",
              "MF", "FK", "MP"}


def test_rules_load():
    c = countries.load_rules()
    a = actors.load_rules()
    assert len(c.index) > 4000
    assert a.gaz_index and a.verbs and a.products


def test_every_country_has_a_demonym():
    rows = [r for _, r in load_tsv(COUNTRIES_DIR / "demonyms.tsv", DemonymRow)]
    have = {r.alpha2 for r in rows}
    missing = {c.alpha_2 for c in pycountry.countries} - NO_DEMONYM - have
    assert not missing, sorted(missing)


def test_every_country_has_a_french_and_english_name():
    names = [r for _, r in load_tsv(COUNTRIES_DIR / "names.tsv", NameRow)]
    for lang in ("fr", "en"):
        have = {r.alpha2 for r in names if r.lang == lang}
        assert {c.alpha_2 for c in pycountry.countries} <= have


def test_demonyms_generate_four_forms():
    row = DemonymRow(alpha2="RW", masc="rwandais")
    assert demonym_forms(row) == ["rwandais", "rwandaise", "rwandaises"]
    row = DemonymRow(alpha2="TR", masc="turc", fem="turque", masc_pl="turcs", fem_pl="turques")
    assert demonym_forms(row) == ["turc", "turque", "turcs", "turques"]


def test_every_capital_is_a_city():
    rules = countries.load_rules()
    for code in ("RW", "KE", "CM", "EG", "MA", "FR", "US", "GB", "CN", "SN", "CI", "DZ", "TN", "NG", "ZA"):
        assert code in rules.capitals.values(), code


def test_gazetteer_ids_unique_and_types_valid():
    rows = [r for _, r in load_tsv(actors.ACTORS_DIR / "actors.tsv", actors.ActorRow)]
    assert len({r.id for r in rows}) == len(rows)
    assert {r.type for r in rows} <= {"PER", "GOV", "IGO", "ORG"}
    igos = {r.canonical for r in rows if r.type == "IGO"}
    assert {"Nations unies", "UNESCO", "Union africaine", "Banque mondiale", "FMI", "OTAN", "CEDEAO"} <= igos


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / src.name
    shutil.copytree(src, dst)
    return dst


def test_bad_country_code_is_reported(tmp_path):
    d = _copy(COUNTRIES_DIR, tmp_path)
    with (d / "variants.tsv").open("a", encoding="utf-8") as f:
        f.write("QQ\tNulle Part\tcap\n")
    with pytest.raises(RuleFileError) as err:
        countries.load_rules(d)
    assert "variants.tsv" in str(err.value) and "[alpha2]" in str(err.value) and "QQ" in str(err.value)


def test_bad_demonym_case_is_reported(tmp_path):
    d = _copy(COUNTRIES_DIR, tmp_path)
    with (d / "demonyms.tsv").open("a", encoding="utf-8") as f:
        f.write("FR\tFrançais\n")
    with pytest.raises(RuleFileError) as err:
        countries.load_rules(d)
    assert "demonyms.tsv" in str(err.value) and "[masc]" in str(err.value)


def test_bad_actor_type_and_duplicate_id_are_reported(tmp_path):
    d = _copy(actors.ACTORS_DIR, tmp_path)
    with (d / "actors.tsv").open("a", encoding="utf-8") as f:
        f.write("x1\tTruc\tCOMPANY\t\t\n")
    with pytest.raises(RuleFileError) as err:
        actors.load_rules(d)
    assert "[type]" in str(err.value)
    d2 = _copy(actors.ACTORS_DIR, tmp_path / "b")
    with (d2 / "actors.tsv").open("a", encoding="utf-8") as f:
        f.write("un\tAutre\tORG\t\t\n")
    with pytest.raises(RuleFileError) as err:
        actors.load_rules(d2)
    assert "duplicate id" in str(err.value)
