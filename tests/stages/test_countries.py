"""Countries stage: data-driven cases (tests/cases/countries.tsv), guards and API (speed: benchmarks/)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.context import Context, ReadGuard
from pipeline.records import Mention
from pipeline.rulebook import Layers
from pipeline.settings import defaults
from pipeline.stages import countries
from pipeline.stages.countries import find_countries, load_rules
from pipeline.text.fold import fold_same_length as fold
from pipeline.text.fold import scan
from pipeline.text.places import COUNTRIES_DIR, capital_of, country_of_adjective, country_of_name, inflect

CASES = Path(__file__).resolve().parents[1] / "cases" / "countries.tsv"


def _cases() -> list:
    rows = []
    with CASES.open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        rows.append(pytest.param(row["text"], row["expected"] or "", row["regions"] or "", id=row["note"]))
    return rows


def test_cases_file_is_large_and_well_formed():
    assert len(_cases()) >= 40


@pytest.mark.parametrize(("text", "expected", "regions"), _cases())
def test_case(text, expected, regions):
    found = find_countries(text)
    assert " ".join(sorted({m.value for m in found if m.kind == "country"})) == expected
    assert " ".join(sorted({m.value for m in found if m.kind == "region"})) == regions


def test_mention_fields_and_offsets():
    body = "Le Rwanda et les enseignants rwandais. Kigali et Le Caire."
    found = find_countries(body)
    for m in found:
        assert isinstance(m, Mention)
        assert body[m.start:m.end] == m.text
    rw = found[0]
    assert (rw.kind, rw.value, rw.alpha3, rw.name_fr, rw.name_en, rw.rule) == \
        ("country", "RW", "RWA", "Rwanda", "Rwanda", "countries.name")
    assert [m.rule for m in found] == ["countries.name", "countries.demonym", "countries.capital",
                                      "countries.capital"]
    assert found[-1].value == "EG" and found[-1].text == "Le Caire"


def test_city_rule_for_non_capital():
    (m,) = find_countries("Une usine à Casablanca.")
    assert (m.value, m.rule) == ("MA", "countries.city")


def test_regions_never_countries():
    found = find_countries("L'Afrique, l'Europe et l'Asie du Sud-Est.")
    assert {m.kind for m in found} == {"region"}
    assert [m.value for m in found] == ["africa", "europe", "southeast_asia"]


def test_person_entity_guard(nlp):
    body = "Paris Hilton a visité Paris."
    doc = nlp(body)
    found = find_countries(body, doc=doc)
    assert [(m.text, m.start) for m in found] == [("Paris", body.rindex("Paris"))]


def test_works_without_doc_on_english():
    found = find_countries("Kenya and Nigeria signed a deal in Nairobi.")
    assert {m.value for m in found} == {"KE", "NG"}


def test_fold_keeps_length():
    s = "Côte d’Ivoire – Royaume‑Uni Œuvre ß İstanbul"
    assert len(fold(s)) == len(s)
    assert fold("Côte d’Ivoire") == "cote d'ivoire"


def test_inflect():
    assert inflect("rwandais") == ("rwandaise", "rwandais", "rwandaises")
    assert inflect("égyptien") == ("égyptienne", "égyptiens", "égyptiennes")
    assert inflect("belge") == ("belge", "belges", "belges")
    assert inflect("marocain") == ("marocaine", "marocains", "marocaines")


def test_helpers():
    assert country_of_adjective("rwandaise") == "RW"
    assert country_of_adjective("Kényanes") == "KE"
    assert country_of_adjective("africain") is None
    assert country_of_name("Kenya") == "KE"
    assert country_of_name("Etats-Unis") == "US"
    assert capital_of("Kigali") == "RW"
    assert capital_of("Casablanca") is None


def test_country_names_of_other_dump_languages():
    text = "Deutschland und Frankreich unterstützen Kenia. España y Marruecos firmaron."
    assert [m.value for m in find_countries(text) if m.kind == "country"] == ["DE", "FR", "KE", "ES", "MA"]


def test_scan_given_or_computed_gives_the_same_mentions():
    body = "Le Rwanda et le Kenya. Kigali et Nairobi, puis l'Afrique du Sud."
    assert find_countries(body, scan=scan(body)) == find_countries(body)
    assert not hasattr(countries, "_LAST_SCAN") and not hasattr(countries, "scan")


def test_run_reads_only_its_declared_fields():
    body = "Le Rwanda et les enseignants rwandais. L'Afrique."
    ctx = Context(body=body, doc=None, scan=scan(body), published=None)
    out = countries.run(ReadGuard(ctx, ("body", "doc", "scan"), "countries"), load_rules(),
                        defaults()["countries"])
    assert set(out) == {"countries"} and isinstance(out["countries"], tuple)
    assert list(out["countries"]) == find_countries(body)
    assert {m.kind for m in out["countries"]} == {"country", "region"}


def test_settings_are_used():
    body = "Paris Hilton a chanté."
    wide = defaults()["countries"]
    assert find_countries(body, settings=wide) == []  # a capitalised name after the city
    narrow = wide.model_copy(update={"name_after_city_chars": 0})
    assert [m.value for m in find_countries(body, settings=narrow)] == ["FR"]


def test_overlay_rules_add_a_variant(tmp_path):
    (tmp_path / "variants.tsv").write_text("alpha2\tname\tmatch\nRW\tPays des mille collines\tcap\n",
                                           encoding="utf-8")
    rules = load_rules(Layers(COUNTRIES_DIR, tmp_path))
    found = find_countries("Le Pays des Mille Collines et le Kenya.", rules=rules)
    assert [m.value for m in found] == ["RW", "KE"]
    assert [m.value for m in find_countries("Le Pays des Mille Collines et le Kenya.")] == ["KE"]


def test_country_ending_an_organisation_name(nlp):
    """A country name or demonym that ends a model ORG entity qualifies a brand, unless the
    entity is a body of that country ("office", "fédéral", "ambassade"...)."""
    def codes(text):
        return {m.value for m in find_countries(text, doc=nlp(text))}
    brand = "Les salariés de Radio France et les clients de Crédit suisse ont été reçus."
    doc = nlp(brand)
    assert {e.text for e in doc.ents if e.label_ == "ORG"} >= {"Radio France"}
    assert "FR" not in codes(brand)
    assert "CH" in codes("Les équipes de l'Office fédéral de la santé publique suisse ont publié un avis.")
    assert "FR" in codes("Il a été reçu à l'ambassade de France à Dakar.")
