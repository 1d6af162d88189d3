"""Dates stage: data-driven cases (tests/cases/dates.tsv), API contract and seed quality."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from seedgold import GOLD, seed_bodies  # tests/seedgold.py

from pipeline.context import Context, ReadGuard
from pipeline.records import Mention
from pipeline.rulebook import RULES_DIR, load_tsv
from pipeline.settings import defaults
from pipeline.stages.dates import FormRow, Settings, find_dates, load_rules, run

CASES = Path(__file__).resolve().parents[1] / "cases" / "dates.tsv"
PUBLISHED = date(2025, 8, 13)  # a Wednesday


def _cases() -> list:
    lines = [ln for ln in CASES.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    out = []
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        marks = [pytest.mark.xfail(strict=True, reason=row["note"])] if row["section"] == "xfail" else []
        out.append(pytest.param(row["text"], row["expected"] or "", row["note"] or "", marks=marks,
                                id=f"{row['section']}:{row['text'][:40]}"))
    return out


def test_cases_file_is_large_and_well_formed():
    rows = _cases()
    assert len(rows) >= 60
    sections = {p.id.split(":")[0] for p in rows}
    assert sections <= {"dev", "new", "xfail"}


@pytest.mark.parametrize(("text", "expected", "note"), _cases())
def test_case(text, expected, note):
    published = None if note.startswith("published=none") else PUBLISHED
    got = " | ".join(m.value for m in find_dates(text, published=published))
    assert got == expected, note


def _forms() -> list:
    return [pytest.param(row, id=row.id) for _, row in load_tsv(RULES_DIR / "dates" / "forms.tsv", FormRow)]


@pytest.mark.parametrize("form", _forms())
def test_every_form_example_fires(form):
    """Each row of forms.tsv: its example gives exactly one date, of this form, with its value."""
    got = [(m.rule, m.value) for m in find_dates(form.example, published=PUBLISHED)]
    assert got == [(f"dates:{form.id}", form.expected)]


def test_every_form_is_a_case():
    """A new form comes with at least one passing row of tests/cases/dates.tsv or
    tests/cases/dates_calendar.tsv that it finds."""
    from tests.stages.test_dates_calendar import _rows as calendar_rows
    fired = {m.rule for p in _cases() if p.id.split(":")[0] != "xfail"
             for m in find_dates(p.values[0], published=PUBLISHED)}
    fired |= {m.rule for r in calendar_rows() if r["status"] == "pass"
              for m in find_dates(r["text"], published=None if r["anchor"] == "none"
                                  else date.fromisoformat(r["anchor"]))}
    forms = {f"dates:{p.values[0].id}" for p in _forms()}
    assert forms <= fired, sorted(forms - fired)


def test_forms_compile_in_file_order():
    rules = load_rules()
    assert [f.id for f in rules.forms] == [p.values[0].id for p in _forms()]
    assert all(f.pattern.groupindex and f.triggers for f in rules.forms)


def test_run_reads_body_and_published_only():
    rules, settings = load_rules(), defaults()["dates"]
    ctx = Context(body="Signé hier, puis le 17 février 2026.", published=None, doc=None)
    out = run(ReadGuard(ctx, ("body", "published"), "dates"), rules, settings)
    assert set(out) == {"dates", "notes"}
    assert isinstance(out["dates"], tuple) and [m.value for m in out["dates"]] == ["2026-02-17"]
    assert out["notes"] == ["1 relative date(s) left out: no publication date"]
    ctx = Context(body="Signé hier.", published=PUBLISHED)
    out = run(ReadGuard(ctx, ("body", "published"), "dates"), rules, settings)
    assert [m.value for m in out["dates"]] == ["2025-08-12"] and out["notes"] == []


def test_settings_are_used():
    settings = defaults()["dates"]
    assert isinstance(settings, Settings)
    wide = settings.model_copy(update={"year_range_max": 200})
    assert [m.value for m in find_dates("de 1950 à 2060")] == ["1950"]  # a range of 110 years is not read
    assert [m.value for m in find_dates("de 1950 à 2060", settings=wide)] == ["1950/2060"]
    late = settings.model_copy(update={"decade_pivot": 10})
    assert [m.value for m in find_dates("les années 20")] == ["202X"]
    assert [m.value for m in find_dates("les années 20", settings=late)] == ["192X"]
    narrow = settings.model_copy(update={"trigger_before": 5})  # "du 14 au " starts 9 before "mai"
    assert [m.value for m in find_dates("du 14 au 16 mai 2026")] == ["2026-05-14/2026-05-16"]
    assert [m.value for m in find_dates("du 14 au 16 mai 2026", settings=narrow)] == ["2026-05-16"]


def test_mention_fields_and_offsets():
    body = "Préambule.\n\nLes parties ont signé le 17 février 2026 un accord."
    (m,) = find_dates(body)
    assert isinstance(m, Mention) and m.kind == "date"
    assert body[m.start:m.end] == m.text == "17 février 2026"
    assert (m.value, m.date_start, m.date_end) == ("2026-02-17", "2026-02-17", "2026-02-17")
    assert m.rule == "dates:day"


def test_intervals_have_real_days():
    by_value = {m.value: m for m in find_dates(
        "Au T4 2024, l'hiver 2024, du 14 au 16 mai 2026, fin 2024 et en février 2024.")}
    assert (by_value["2024-10/2024-12"].date_start, by_value["2024-10/2024-12"].date_end) == \
        ("2024-10-01", "2024-12-31")
    assert (by_value["2024-24"].date_start, by_value["2024-24"].date_end) == ("2024-12-01", "2025-02-28")
    assert by_value["2026-05-14/2026-05-16"].date_end == "2026-05-16"
    # "fin 2024" is the year (GUIDE); its days are the year's last third
    assert (by_value["2024"].date_start, by_value["2024"].date_end) == ("2024-09-01", "2024-12-31")
    assert by_value["2024-02"].date_end == "2024-02-29"


def test_relative_without_published_goes_to_skipped():
    skipped: list[str] = []
    out = find_dates("Hier, puis le 17 février 2026, et l'an prochain.", skipped=skipped)
    assert [m.value for m in out] == ["2026-02-17"]
    assert skipped == ["Hier", "l'an prochain"]


def test_datetime_published_is_accepted():
    from datetime import datetime

    (m,) = find_dates("annoncé hier", published=datetime(2025, 1, 1, 12, 0))
    assert m.value == "2024-12-31"


def test_overlaps_keep_the_longest():
    out = find_dates("Le 17 février 2026 et en février 2026.")
    assert [m.text for m in out] == ["17 février 2026", "février 2026"]
    (m,) = find_dates("Les 1er et 2 juillet 2025.")
    assert m.value == "2025-07-01/2025-07-02"


def test_invalid_calendar_days_are_dropped():
    values = [m.value for m in find_dates("le 31 février 2025 et le 30/02/2024")]
    assert values == ["2025-02"]  # the impossible day falls back to its month; 30/02 is dropped


def test_rules_are_loaded_and_can_be_passed(tmp_path):
    rules = load_rules()
    assert rules.months["aout"] == 8 and rules.months["fevr"] == 2
    assert find_dates("en mars 2024", rules=rules)[0].value == "2024-03"


def test_empty_and_whitespace():
    assert find_dates("") == [] and find_dates(" \n\n ") == []


@pytest.mark.skipif(not GOLD.is_dir(), reason="gold seeds not available")
def test_seed_f1():
    tp = fp = fn = 0
    for gold, body in seed_bodies():
        pub = date.fromisoformat(gold["published"]) if gold["published"] else None
        pred = {m.value for m in find_dates(body, published=pub)}
        want = {d["value"] for d in gold["dates"]}
        tp, fp, fn = tp + len(pred & want), fp + len(pred - want), fn + len(want - pred)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    assert 2 * p * r / (p + r) >= 0.90


def test_trace_names_the_anchor_and_the_tense_cue():
    """``frnews explain`` shows for each date the anchor used and the tense cue (find_dates(trace=))."""
    trace: dict = {}
    body = "Le traité a été signé le 3 mars 2020. Le lendemain, les troupes sont parties. La foire se tiendra samedi."
    out = {m.text: m for m in find_dates(body, published=PUBLISHED, trace=trace)}
    assert trace[(out["3 mars 2020"].start, out["3 mars 2020"].end)]["anchor"] == "none (absolute)"
    lendemain = trace[(out["Le lendemain"].start, out["Le lendemain"].end)]
    assert lendemain["anchor"] == "text '3 mars 2020' = 2020-03-03" and out["Le lendemain"].value == "2020-03-04"
    samedi = trace[(out["samedi"].start, out["samedi"].end)]
    assert samedi == {"anchor": "published 2025-08-13", "tense": "future ('tiendra')"}


def test_explain_shows_the_date_anchor_and_tense():
    from pipeline.explain import _date_trace
    from pipeline.records import Article
    art = Article(article_id="a", source="t", status="ok", body="Il a parlé mardi. La veille, il pleuvait.", published="2025-08-13")
    trace = _date_trace(art)
    assert sorted(t["anchor"] for t in trace.values()) == ["published 2025-08-13", "text 'mardi' = 2025-08-12"]


def test_decomposed_accents_are_read_and_spans_point_into_the_body():
    # "de\u0301cembre": an accent written as a letter and a combining mark
    import unicodedata

    body = unicodedata.normalize("NFD", "Dès le 11 décembre, la préfecture a réagi. Fête le 3 février 2019.")
    trace: dict = {}
    found = find_dates(body, published=date(2019, 6, 27), trace=trace)
    assert [m.value for m in found] == ["2018-12-11", "2019-02-03"]
    for m in found:
        assert body[m.start:m.end] == m.text and (m.start, m.end) in trace
    assert unicodedata.normalize("NFC", found[0].text) == "11 décembre"


def test_one_trigger_pass_gives_the_windows_of_each_form_s_own_word_search():
    # the single compiled trigger regex (a trie) must find exactly the places that a search
    # for each trigger word, whole word, finds: same windows for every form
    from pipeline.settings import or_defaults
    from pipeline.stages.dates import default_rules
    from pipeline.stages.dates.find import trigger_windows, windows

    rules, settings = default_rules(), or_defaults("dates", None)
    texts = [
        "Après-demain, le 3 mars 2024, la mi-mars et l'après-midi du 1er mai : rendez-vous à 17/03/09.",
        "Le lendemain de Noël, l'an dernier, fin octobre 2019-2020, aujourd’hui 04.11.2021 et 2021/Oct/05.",
        "Septembre, sept., sept ans ; les années 1920-1950 ; Pentecôte ; 11-Septembre ; jeudi en huit.",
        "Texte sans date aucune, ni mois ni jour : 12345-6, 123456 7, 2019201.",
    ]
    for text in texts:
        low = text.lower()
        got = trigger_windows(text, low, rules, settings)
        cache: dict = {}
        for i, form in enumerate(rules.forms):
            want = windows(text, low, form.triggers, cache, settings)
            assert (got[rules.triggers.group_of[i]] or []) == want, form.id
