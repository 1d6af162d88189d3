"""The clusters post-pass: the same event across articles shares one cluster_id, others stay apart."""

from __future__ import annotations

import csv
import json
import random

import pytest

from pipeline.passes.clusters import (
    Components,
    Ev,
    Params,
    cluster_events,
    day_of,
    link,
    linked,
    site_of,
    summarize,
)
from pipeline.runner import RunOptions, run


def ev(eid, etype="AGREE", date="2026-03-03", actors=(), countries=(), sentence="", article=None, **kw) -> Ev:
    return Ev(eid, article or f"art-{eid}", etype, date, tuple(actors), tuple(countries), sentence, **kw)


P = Params(window_days=3, min_similarity=0.1, max_block=1000)


def test_link_rules():
    a = ev("a", countries=("SN", "MR"), sentence="Le Sénégal et la Mauritanie signent un accord de pêche à Dakar")
    same = ev("b", date="2026-03-04", countries=("SN", "MR"),
              sentence="Dakar et Nouakchott ont signé mardi un accord sur la pêche")
    assert linked(a, same, P)
    assert not linked(a, ev("c", "ACCUSE", countries=("SN", "MR"), sentence=same.sentence), P)  # another type
    assert not linked(a, ev("d", date="2026-03-20", countries=("SN", "MR"), sentence=same.sentence), P)  # too late
    assert not linked(a, ev("e", date=None, countries=("SN", "MR"), sentence=same.sentence), P)  # no date
    # two named participants each: one in common is not enough (Sénégal–Mauritanie vs Sénégal–Gambie)
    assert not linked(a, ev("f", countries=("SN", "GM"), sentence=same.sentence), P)
    # nothing said in common
    assert not linked(a, ev("g", countries=("SN", "MR"), sentence="Trois chalutiers saisis au large"), P)
    # a negated or planned report is not the event
    assert not linked(a, ev("h", countries=("SN", "MR"), sentence=same.sentence, polarity="negated"), P)
    assert not linked(a, ev("i", countries=("SN", "MR"), sentence=same.sentence, modality="planned"), P)
    assert linked(a, ev("j", countries=("SN", "MR"), sentence=same.sentence, modality="reported"), P)


def test_dates_and_sites():
    assert day_of("2026-03-04/2026-03-06") == day_of("2026-03-04") == day_of("2026-03-01") + 3
    assert day_of("2026-03") == day_of("2026-03-01")
    assert day_of("2026") is None and day_of(None) is None and day_of("2025-23") is None
    assert site_of("https://www.lemonde.fr/afrique/x.html", "dump.jsonl:3") == "lemonde.fr"
    assert site_of(None, "dumps/a.jsonl:12") == "dumps/a.jsonl"


def _random_events(n: int, seed: int) -> list[Ev]:
    rng = random.Random(seed)
    words = ["accord", "pêche", "frappe", "camp", "sommet", "visite", "aide", "prêt", "grève", "port", "usine"]
    out = []
    for i in range(n):
        out.append(ev(f"e{i:04d}", rng.choice(["AGREE", "ASSAULT"]), f"2026-03-{rng.randint(1, 12):02d}",
                      actors=rng.sample(["A", "B", "C", "D"], rng.randint(0, 2)),
                      countries=rng.sample(["FR", "ML", "SN"], rng.randint(0, 2)),
                      sentence=" ".join(rng.sample(words, 4))))
    return out


def _partition(events, comps: Components) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for e in events:
        groups.setdefault(comps.find(e.event_id), set()).add(e.event_id)
    return {frozenset(g) for g in groups.values()}


def test_components_do_not_depend_on_order_and_incremental_equals_full():
    events = _random_events(300, 5)
    full, _ = link(events, P)
    shuffled = events[:]
    random.Random(1).shuffle(shuffled)
    assert _partition(events, full) == _partition(shuffled, link(shuffled, P)[0])
    # the first 200 clustered alone, then the last 100 added: same components as one pass
    first, _ = link(events[:200], P)
    roots = {e.event_id: first.find(e.event_id) for e in events[:200]}
    inc, ok = link(events, P, roots=roots, new=range(200, 300))
    assert ok and _partition(events, inc) == _partition(events, full)
    assert summarize(events, inc) == summarize(events, full)
    assert 1 < len(_partition(events, full)) < len(events)  # the sample does link and does separate


def test_a_block_over_the_cap_links_nothing_and_forces_a_full_pass():
    events = [ev(f"e{i}", actors=("X",), sentence="accord pêche signé") for i in range(5)]
    ids, rows = cluster_events(events, Params(max_block=4))
    assert len(rows) == 5
    ids, rows = cluster_events(events, Params(max_block=5))
    assert len(rows) == 1 and rows[0][6:9] == (5, 5, 5)
    first, _ = link(events[:4], Params(max_block=4))
    _, ok = link(events, Params(max_block=4), roots={e.event_id: first.find(e.event_id) for e in events[:4]},
                 new=[4])
    assert not ok


# -- a multi-article dump through the whole pipeline ----------------------------------------

REPORTS = {
    # one signing, four reports from four sites over two days
    "pêche-1": ("https://www.agence.example/a1", "2026-03-03",
                "Accord de pêche\n\nLe Sénégal et la Mauritanie ont signé le 3 mars 2026 à Dakar un accord de pêche "
                "qui ouvre leurs eaux aux pêcheurs des deux pays."),
    "pêche-2": ("https://regional.example/eco/pêche", "2026-03-04",
                "Pêche : Dakar et Nouakchott s'entendent\n\nLa Mauritanie et le Sénégal ont signé le 3 mars 2026 "
                "un accord sur la pêche artisanale, a indiqué le ministère."),
    "pêche-3": ("https://quotidien.example/2026/03/04/peche", "2026-03-04",
                "Les pêcheurs soulagés\n\nLe nouvel accord de pêche signé le 3 mars 2026 par le Sénégal et la "
                "Mauritanie permettra aux pirogues de Saint-Louis de reprendre la mer."),
    "pêche-4": ("https://hebdo.example/n/12", "2026-03-05",
                "Revue de la semaine\n\nLe Sénégal a signé avec la Mauritanie un accord de pêche le 3 mars 2026 à Dakar."),
    # one strike, two reports
    "frappe-1": ("https://www.agence.example/a2", "2026-03-02",
                 "Frappes au Mali\n\nL'armée malienne a bombardé le 2 mars 2026 des positions rebelles près de Kidal."),
    "frappe-2": ("https://sahel.example/kidal", "2026-03-03",
                 "Kidal sous les bombes\n\nDes positions rebelles ont été bombardées le 2 mars 2026 par l'armée "
                 "malienne près de Kidal, au Mali."),
    # unrelated events that must stay apart: another fishing agreement the same day (other parties),
    # and the same two countries in a quarrel (another type)
    "maroc": ("https://www.agence.example/a3", "2026-03-03",
              "Rabat et Madrid\n\nLe Maroc a signé le 3 mars 2026 un accord de pêche avec l'Espagne à Rabat."),
    "brouille": ("https://quotidien.example/2026/03/04/brouille", "2026-03-04",
                 "Tension\n\nLe Sénégal a accusé le 3 mars 2026 la Mauritanie d'avoir arraisonné trois pirogues."),
}
SAME = [["pêche-1", "pêche-2", "pêche-3", "pêche-4"], ["frappe-1", "frappe-2"], ["maroc"], ["brouille"]]


def _write(path, ids):
    with path.open("w", encoding="utf-8") as fh:
        for aid in ids:
            url, pub, text = REPORTS[aid]
            fh.write(json.dumps({"id": aid, "url": url, "published": pub, "text": text}, ensure_ascii=False) + "\n")


def _events(out) -> list[dict]:
    with (out / "events.csv").open(encoding="utf-8-sig") as fh:
        return [r for r in csv.DictReader(fh) if r["polarity"] == "affirmed"]


def _clusters(out) -> list[dict]:
    with (out / "clusters.csv").open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _cluster_of_article(out) -> dict[str, set[str]]:
    got: dict[str, set[str]] = {}
    for e in _events(out):
        got.setdefault(e["article_id"], set()).add(e["cluster_id"])
    return got


@pytest.mark.slow
def test_reports_of_one_event_share_a_cluster_and_others_stay_apart(tmp_path):
    _write(tmp_path / "dump.jsonl", list(REPORTS))
    out = tmp_path / "out"
    run(RunOptions(inputs=(tmp_path / "dump.jsonl",), out=out, progress="none"))
    by_article = _cluster_of_article(out)
    assert set(by_article) == set(REPORTS), "every article reports its event"
    main = {}
    for group in SAME:
        # the headline event of each article: the cluster the group has in common
        common = set.intersection(*(by_article[a] for a in group))
        assert common, group
        main[group[0]] = common
    for g1 in SAME:
        for g2 in SAME:
            if g1 is not g2:
                assert not (main[g1[0]] & set().union(*(by_article[a] for a in g2))), (g1, g2)
    rows = {r["cluster_id"]: r for r in _clusters(out)}
    (pêche,) = main["pêche-1"]
    assert rows[pêche]["event_type"] == "AGREE" and int(rows[pêche]["n_articles"]) == 4
    assert int(rows[pêche]["n_sources"]) == 4 and rows[pêche]["first_seen"] == "2026-03-03"
    assert rows[pêche]["date_first"] == "2026-03-03"
    assert set(rows[pêche]["article_ids"].split("; ")) == set(SAME[0])
    assert json.loads((out / "run.json").read_text())["postpasses"]["clusters"]["mode"] == "full"


@pytest.mark.slow
def test_an_incremental_run_gives_the_clusters_of_one_run(tmp_path):
    dump = tmp_path / "dump.jsonl"
    ids = list(REPORTS)
    inc = tmp_path / "inc"
    _write(dump, ids[::2])
    run(RunOptions(inputs=(dump,), out=inc, progress="none"))
    _write(dump, ids)  # the other half arrives
    res = run(RunOptions(inputs=(dump,), out=inc, progress="none"))
    assert res.cached == len(ids[::2])
    post = json.loads((inc / "run.json").read_text())["postpasses"]["clusters"]
    assert post["mode"] == "incremental" and post["compared"] < post["events"]
    full = tmp_path / "full"
    run(RunOptions(inputs=(dump,), out=full, progress="none"))
    assert _events(inc) == _events(full)
    assert _clusters(inc) == _clusters(full)
    # an article gone: the components are recomputed, and equal a run without it
    _write(dump, ids[1:])
    run(RunOptions(inputs=(dump,), out=inc, progress="none"))
    assert json.loads((inc / "run.json").read_text())["postpasses"]["clusters"]["mode"] == "full"
    run(RunOptions(inputs=(dump,), out=full, progress="none", force=True))
    assert _clusters(inc) == _clusters(full)


@pytest.mark.slow
def test_explain_shows_trigger_roles_marks_and_cluster(tmp_path):
    from pipeline.explain import explain

    _write(tmp_path / "dump.jsonl", list(REPORTS))
    out = tmp_path / "out"
    run(RunOptions(inputs=(tmp_path / "dump.jsonl",), out=out, progress="none"))
    text = explain("frappe-2", input_dir=tmp_path / "dump.jsonl", out=out)
    events = text[text.index("EVENTS"):]
    assert "trigger='bombardées'" in events and "polarity=affirmed modality=asserted" in events
    assert "2 article(s) from 2 source(s)" in events and "also in frappe-1" in events
    alone = explain("frappe-2", input_dir=tmp_path / "dump.jsonl")
    assert "this article only" in alone[alone.index("EVENTS"):]
