"""report.html: aggregated (bounded size), self-contained, French or English; the tables read back."""

from __future__ import annotations

import re

import pytest
from babel.numbers import format_decimal

from pipeline.cli import main
from pipeline.contract import CONTRACT, Column, Contract, Table
from pipeline.export import read_table, write_extras
from pipeline.report import Aggregator, LabelsError, Tally, labels, render, source_group
from pipeline.write import export_chunks


def row(table: str, **values) -> tuple:
    names = CONTRACT[table].names()
    assert not set(values) - set(names)
    return tuple(values.get(n) for n in names)


def dump_rows(n_articles: int, *, distinct_actors: bool = False) -> dict[str, list[tuple]]:
    """A made-up run: articles (some skipped or failed), their mentions and events."""
    types = ("AGREE", "CONSULT", "AID", "COOPERATE")
    arts, ments, evs = [], [], []
    for i in range(n_articles):
        status = "ok" if i % 10 else ("skipped" if i % 20 else "error")
        arts.append(row("articles", article_id=f"a{i}", source=f"dump{i % 3}.jsonl:{i + 1}", status=status,
                        error=None if status == "ok" else f"no text in record {i}", language="fr" if i % 7 else "en",
                        title="<script>alert(1)</script>" if i == 1 else f"Titre {i}"))
        if status != "ok":
            continue
        actor = f"Acteur {i}" if distinct_actors else ("Banque mondiale", "Macky Sall")[i % 2]
        ments += [row("mentions", article_id=f"a{i}", kind="actor", value=actor, actor_type=("ORG", "PER")[i % 2],
                      country="SN"),
                  row("mentions", article_id=f"a{i}", kind="country", value="SN", name_fr="Sénégal", name_en="Senegal"),
                  row("mentions", article_id=f"a{i}", kind="money", value="1500000 XOF", amount=1_500_000.0,
                      currency="XOF"),
                  row("mentions", article_id=f"a{i}", kind="sector", value="energy")]
        evs.append(row("events", event_id=f"e{i}", article_id=f"a{i}", event_type=types[i % 4],
                       date=f"2024-{1 + i % 12:02d}-01" if i % 5 else "2024", actors=actor, countries="SN",
                       sectors="energy", money="1500000 XOF", sentence="Une phrase " * (i % 40 + 1)))
    clusters = [row("clusters", cluster_id=f"c{t}", event_type=t, date_first="2024-01-01", date_last="2024-12-01",
                    actors="Banque mondiale", countries="SN", n_events=n_articles // 4, n_articles=n_articles // 4,
                    n_sources=3, first_seen="2024-01-01", article_ids="a1; a2") for t in types]
    return {"articles": arts, "mentions": ments, "events": evs, "clusters": clusters}


def aggregate(rows, contract=CONTRACT) -> Aggregator:
    agg = Aggregator(contract)
    for name in contract:
        for k in range(0, len(rows.get(name, [])), 1000):
            agg.add(name, rows[name][k:k + 1000])
    return agg


def test_the_report_counts_the_run_and_links_each_chart_to_a_table():
    page = render(aggregate(dump_rows(200)), lang="fr", meta={"inputs": ["dump.jsonl"], "generated": "t"})
    assert '<html lang="fr">' in page and "Rapport frnews" in page
    assert re.search(r"<b>180</b>traités", page) and re.search(r"<b>10</b>ignorés", page)
    assert re.search(r"<b>10</b>en erreur", page)
    assert page.count('<svg class="chart"') >= 8
    hrefs = set(re.findall(r'href="#f/([^/"]+)/', page))
    assert {"t-events", "t-actors", "t-languages", "t-sources", "t-failures"} <= hrefs
    assert all(f'id="{t}"' in page for t in hrefs)  # every link goes to a table of the page
    assert "Sénégal" in page and "Macky Sall (SN)" in page  # an actor with its country
    money = page[page.index('id="t-money"'):]
    assert f"<td>XOF</td><td class=\"n\">180</td><td class=\"n\">{format_decimal(270_000_000, locale='fr')}" in money
    assert "<script>alert(1)</script>" not in page
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=", page)  # self-contained: nothing to fetch


def test_english_labels_and_country_names():
    page = render(aggregate(dump_rows(50)), lang="en")
    assert '<html lang="en">' in page and "frnews report" in page and "Senegal" in page and "Sénégal" not in page
    with pytest.raises(LabelsError):
        render(aggregate(dump_rows(5)), lang="de")


def test_the_report_size_does_not_grow_with_the_dump():
    small = render(aggregate(dump_rows(1_000, distinct_actors=True)), meta={"generated": "t"})
    big = render(aggregate(dump_rows(100_000, distinct_actors=True)), meta={"generated": "t"})
    assert len(big) < 2_000_000
    assert len(big) < 1.5 * len(small)


def test_tally_forgets_the_rarest_past_its_cap():
    t = Tally(cap=10)
    for i in range(100):
        t.add("frequent")
        t.add(f"rare{i}")
    assert len(t.c) <= 10 and t.top(1) == [("frequent", 100)] and t.pruned


def test_labels_of_every_language_have_the_same_keys(tmp_path):
    assert set(labels("fr")) == set(labels("en"))
    bad = tmp_path / "labels.toml"
    bad.write_text('[fr]\ntitle = "a"\nnav_run = "b"\n[en]\ntitle = "a"\n', encoding="utf-8")
    with pytest.raises(LabelsError, match=r"labels\.toml: \[en\] and \[fr\] differ on: nav_run"):
        labels("fr", bad)


def test_source_groups():
    assert source_group("in/dump.jsonl:12") == "in/dump.jsonl"
    assert source_group("corpus/a.txt") == "corpus"


def test_clusters_are_shown_when_the_contract_has_them():
    contract = Contract({**CONTRACT.tables, "clusters": Table("clusters", (
        Column("cluster_id", "string", "id"), Column("label", "string", "what"),
        Column("n_events", "int", "events")), "clusters")})
    rows = dump_rows(20) | {"clusters": [("c1", "petit", 2), ("c2", "grand", 9), ("c3", "moyen", 5)]}
    page = render(aggregate(rows, contract), lang="en")
    table = page[page.index('id="t-clusters"'):]
    assert table.index("grand") < table.index("moyen") < table.index("petit")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_tables_read_back_from_an_output_folder(tmp_path, fmt):
    rows = dump_rows(30)
    rows["mentions"].append(row("mentions", article_id="a1", kind="actor", text="=HYPERLINK(1)", start=0, end=1,
                                approx=True))
    for name in CONTRACT:
        export_chunks(CONTRACT[name], [rows[name]], tmp_path, csv_out=fmt == "csv", parquet_out=fmt == "parquet")
    for name in CONTRACT:
        got = [r for chunk in read_table(tmp_path, CONTRACT[name], size=7) for r in chunk]
        assert got == rows[name]


def test_frnews_report_rewrites_the_report_and_workbook(tmp_path, capsys):
    rows = dump_rows(40)
    for name in CONTRACT:
        export_chunks(CONTRACT[name], [rows[name]], tmp_path)
    assert main(["report", "--out", str(tmp_path), "--lang", "en", "--xlsx"]) == 0
    assert "frnews report" in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert (tmp_path / "frnews.xlsx").stat().st_size > 0
    assert main(["report", "--out", str(tmp_path / "empty")]) == 2
    assert "no tables" in capsys.readouterr().err


def test_write_extras_can_be_turned_off(tmp_path):
    rows = dump_rows(10)
    assert write_extras(tmp_path, CONTRACT, lambda n: [rows[n]], xlsx=False, report=False) == {}
    assert list(tmp_path.iterdir()) == []
    t = write_extras(tmp_path, CONTRACT, lambda n: [rows[n]], xlsx=True, report=False)
    assert set(t) == {"xlsx"} and [p.name for p in tmp_path.iterdir()] == ["frnews.xlsx"]


def test_the_time_axis_leaves_out_a_stray_old_date_and_chooses_months_or_years():
    from collections import Counter

    from pipeline.report import time_axis

    by = Counter({("2024-01", "AGREE"): 30, ("2024-03", "AID"): 20, ("2024", "AID"): 4, ("1789", "PROTEST"): 1})
    periods, counts, undated, outside = time_axis(by, undated=2)
    assert periods == ["2024-01", "2024-02", "2024-03"] and counts[("2024-03", "AID")] == 20
    assert undated == 2 + 4 + 1 and outside == 0  # "2024" and "1789" are years only: not on a monthly axis
    by = Counter({(f"{y}-06", "AGREE"): 10 for y in range(2010, 2025)}) + Counter({("1789-07", "PROTEST"): 1})
    periods, counts, undated, outside = time_axis(by, undated=0)
    assert periods == [str(y) for y in range(2010, 2025)] and outside == 1


def test_a_lone_surrogate_does_not_stop_the_report(tmp_path):
    rows = dump_rows(20)
    rows["mentions"].append(row("mentions", article_id="a1", kind="sector", value="\ud83d"))
    write_extras(tmp_path, CONTRACT, lambda n: [rows[n]], xlsx=True, report=True)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<td>?</td>" in page and (tmp_path / "frnews.xlsx").exists()


def test_a_bar_links_to_sample_events_when_there_are_some_else_to_its_table():
    rows = dump_rows(30)
    rows["mentions"].append(row("mentions", article_id="a1", kind="country", value="JP", name_fr="Japon",
                                name_en="Japan"))
    page = render(aggregate(rows))
    assert 'href="#f/t-events/country%3ASN"' in page  # events of Senegal were kept as samples
    assert 'href="#f/t-countries/JP"' in page and '<tr data-k="JP">' in page  # no event names Japan
