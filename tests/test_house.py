"""The house plan's extension points, each tried as a maintainer or a team would:
a column added to the contract, a settings overlay, a rules overlay, a code edit seen by
the cache key, a dump-level post-pass, and the library surface."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import pipeline
from pipeline import passes
from pipeline.contract import CONTRACT, Column
from pipeline.process import Config, process_batch
from pipeline.records import RawRecord
from pipeline.rulebook import RuleFileError, stage_layers
from pipeline.runner import RunOptions, run
from pipeline.settings import DEFAULTS, SettingsError, load_settings
from pipeline.stages import BY_NAME
from pipeline.store import STORE_NAME, Store

ROOT = Path(__file__).resolve().parent.parent

FRENCH = ("Le Sénégal signe un accord\n\nDakar, le 3 mars 2024\n\n"
          "Le gouvernement sénégalais et la Banque mondiale ont signé lundi un accord de 20 millions "
          "d'euros pour les écoles de Dakar, a annoncé le ministre de l'Éducation.")
ENGLISH = ("Kenya signs a loan\n\nNairobi, 4 May 2023\n\nThe government of Kenya signed on Monday a loan "
           "of $500 million with the World Bank to build schools and hospitals across the country, "
           "the finance ministry said in a statement on Tuesday.")
ENGLISH_2 = ("Floods in Peru\n\nLima, 2 June 2023\n\nHeavy rains flooded farms in the north of Peru last week, "
             "and the ministry of agriculture asked Chile and Bolivia for help with 20 million dollars.")


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# -- one output contract -------------------------------------------------------------

@pytest.mark.slow
def test_a_column_added_to_the_contract_reaches_every_table_and_the_store(tmp_path):
    contract = (CONTRACT
                .with_column("articles", Column("shout", "string", "The id in capitals.",
                                                get=lambda a, _: a.article_id.upper(), origin="record"))
                .with_column("mentions", Column("width", "int", "Characters of the mention.",
                                                get=lambda m, _: m.end - m.start))
                .with_column("events", Column("n_actors", "int", "Actors in the event.",
                                              get=lambda e, _: len(e.actors))))
    src = _jsonl(tmp_path / "in.jsonl", [{"id": "fr-1", "text": FRENCH}, {"id": "en-1", "text": ENGLISH},
                                         {"id": "fr-copy", "text": FRENCH}])
    out = tmp_path / "out"
    res = run(RunOptions(inputs=(src,), out=out, progress="none"), contract=contract)
    assert res.counts == {"ok": 3}
    arts = {r["article_id"]: r for r in _csv(out / "articles.csv")}
    assert arts["fr-1"]["shout"] == "FR-1" and arts["en-1"]["shout"] == "EN-1"
    # the exact duplicate keeps its own record columns, the first copy's content columns
    assert arts["fr-copy"]["shout"] == "FR-COPY" and arts["fr-copy"]["duplicate_of"] == "fr-1"
    assert arts["fr-copy"]["lines_kept"] == arts["fr-1"]["lines_kept"]
    mentions = _csv(out / "mentions.csv")
    assert mentions and all(int(m["width"]) == int(m["end"]) - int(m["start"]) for m in mentions)
    events = _csv(out / "events.csv")
    assert events and all(int(e["n_actors"]) == len([x for x in e["actors"].split("; ") if x]) for e in events)
    for table, col in (("articles", "shout"), ("mentions", "width"), ("events", "n_actors")):
        assert col in pq.read_table(out / f"{table}.parquet").column_names
    # the store's schema version is the contract's: the default contract does not reuse these rows
    assert Store(out / STORE_NAME, contract).schema_version != Store(tmp_path / "other.sqlite").schema_version
    res2 = run(RunOptions(inputs=(src,), out=out, progress="none"))
    assert res2.cached == 0 and "shout" not in _csv(out / "articles.csv")[0]


def test_the_readme_dictionary_follows_the_contract():
    extended = CONTRACT.with_column("events", Column("n_actors", "int", "Actors in the event."))
    assert "| `n_actors` | int | Actors in the event. |" in extended.markdown()
    assert extended.digest() != CONTRACT.digest()


# -- settings ----------------------------------------------------------------------------

def test_defaults_hold_every_stage_table_and_validate():
    s = load_settings()
    raw = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    for name, model in s.tables.items():
        assert set(raw[name]) == set(type(model).model_fields), name


def test_a_config_overlay_changes_only_what_it_names(tmp_path):
    cfg = tmp_path / "team.toml"
    cfg.write_text("[run]\nbatch_size = 7\n", encoding="utf-8")
    s, base = load_settings(cfg), load_settings()
    assert s.run.batch_size == 7 and s.run.nlp_batch_size == base.run.nlp_batch_size
    assert s.digest() != base.digest()
    bad = tmp_path / "bad.toml"
    bad.write_text("[run]\nbatch_sise = 7\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"bad\.toml: unknown setting run\.batch_sise"):
        load_settings(bad)
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("[run]\nbatch_size = 'many'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"wrong\.toml: .*run\.batch_size"):
        load_settings(wrong)


def test_frnews_config_prints_settings_that_read_back(tmp_path, capsys):
    from pipeline.cli import main

    assert main(["config"]) == 0
    printed = capsys.readouterr().out
    (tmp_path / "all.toml").write_text(printed, encoding="utf-8")
    assert load_settings(tmp_path / "all.toml").digest() == load_settings().digest()


# -- a team's rules overlay ------------------------------------------------------------

OVERLAY_ROW = ("id\tslug\tphrase\tlang\texample\n"
               "sectors.agriculture.ostreiculture\tagriculture\tostréiculture\tfr\t"
               "L'ostréiculture souffre de la chaleur.\n")


def test_a_sector_keyword_from_an_overlay_is_found(tmp_path):
    text = "La saison de l'ostréiculture commence mal cette année sur la côte atlantique."
    rec = RawRecord(article_id="o", source="t", text=text)
    plain = process_batch([rec], cfg=Config(clean_text=False))[0]
    assert "agriculture" not in {m.value for m in plain.mentions if m.kind == "sector"}
    (tmp_path / "sectors").mkdir()
    (tmp_path / "sectors" / "lexicon.tsv").write_text(OVERLAY_ROW, encoding="utf-8")
    team = process_batch([rec], cfg=Config(clean_text=False, rules=tmp_path))[0]
    found = [m for m in team.mentions if m.kind == "sector"]
    assert [(m.value, m.keyword) for m in found] == [("agriculture", "ostréiculture")]


def test_a_malformed_overlay_row_names_the_overlay_file_and_line(tmp_path):
    (tmp_path / "sectors").mkdir()
    (tmp_path / "sectors" / "lexicon.tsv").write_text(OVERLAY_ROW + "sectors.x.y\tno_such_sector\ty\tfr\ty\n",
                                                      encoding="utf-8")
    st = BY_NAME["sectors"]
    with pytest.raises(RuleFileError) as e:
        st.load_rules(stage_layers("sectors", tmp_path))
    assert f"{tmp_path / 'sectors' / 'lexicon.tsv'}:3" in str(e.value) or "lexicon.tsv:3" in str(e.value)
    (tmp_path / "sectors" / "lexicon.tsv").write_text(
        OVERLAY_ROW.replace("agriculture.ostreiculture\tagriculture", "health.sante\thealth"), encoding="utf-8")
    with pytest.raises(RuleFileError, match="duplicate id"):
        st.load_rules(stage_layers("sectors", tmp_path))


def test_an_overlay_file_the_package_does_not_have_is_an_error(tmp_path):
    (tmp_path / "sectors").mkdir()
    (tmp_path / "sectors" / "lexicon2.tsv").write_text(OVERLAY_ROW, encoding="utf-8")
    with pytest.raises(RuleFileError, match="no packaged rule file sectors/lexicon2.tsv"):
        stage_layers("sectors", tmp_path)


# -- the cache key sees code changes ---------------------------------------------------------

def _frnews(code: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(code))
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=code, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_editing_a_stage_in_a_copy_of_the_package_recomputes_the_articles(tmp_path):
    code = tmp_path / "code"
    shutil.copytree(ROOT / "pipeline", code / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    src = _jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": ENGLISH}, {"id": "b", "text": ENGLISH_2}])
    out = tmp_path / "out"

    def processed() -> int:
        r = _frnews(code, "run", str(src), "--out", str(out), "--workers", "1")
        assert r.returncode == 0, r.stderr
        return json.loads((out / "run.json").read_text())["processed"]

    assert processed() == 2
    assert processed() == 0  # nothing changed: both cached
    money = code / "pipeline" / "stages" / "money"
    target = (money / "__init__.py") if money.is_dir() else code / "pipeline" / "stages" / "money.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n# a maintainer's edit\n", encoding="utf-8")
    assert processed() == 2  # the code changed: recomputed without --force
    cfg = tmp_path / "c.toml"
    cfg.write_text("[run]\nmax_model_chars = 50000\n", encoding="utf-8")
    r = _frnews(code, "run", str(src), "--out", str(out), "--workers", "1", "--config", str(cfg))
    assert r.returncode == 0 and json.loads((out / "run.json").read_text())["processed"] == 2


# -- dump-level passes ---------------------------------------------------------------------

def test_a_post_pass_reads_every_article_from_the_store_even_when_cached(tmp_path, monkeypatch):
    seen: list[list[str]] = []

    def count_titles(store, run_id, settings):
        rows = [r for chunk in store.chunks("articles", run_id) for r in chunk]
        ids = [r[0] for r in rows]
        seen.append(ids)
        return {"articles": len(ids)}

    monkeypatch.setattr(passes, "POSTPASSES", (passes.PostPass("count", count_titles),))
    import pipeline.runner as runner

    monkeypatch.setattr(runner, "POSTPASSES", passes.POSTPASSES)
    src = _jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": ENGLISH}])
    out = tmp_path / "out"
    run(RunOptions(inputs=(src,), out=out, progress="none"))
    _jsonl(src, [{"id": "a", "text": ENGLISH}, {"id": "b", "text": ENGLISH_2}])
    res = run(RunOptions(inputs=(src,), out=out, progress="none"))
    assert res.cached == 1 and res.processed == 1
    assert seen == [["a"], ["a", "b"]]
    assert json.loads((out / "run.json").read_text())["postpasses"] == {"count": {"articles": 2}}


# -- the library surface ---------------------------------------------------------------------

def test_process_texts_returns_the_contract_tables_as_dataframes():
    t = pipeline.process_texts([ENGLISH, ENGLISH_2], published="2023-06-05", ids=["k", "p"])
    assert list(t.articles.columns) == CONTRACT["articles"].names()
    assert list(t.mentions.columns) == CONTRACT["mentions"].names()
    assert list(t.events.columns) == CONTRACT["events"].names()
    assert list(t.articles["article_id"]) == ["k", "p"]
    assert set(t.mentions["kind"]) >= {"country", "money", "date"}
    assert {"KE", "PE"} <= set(t.mentions.loc[t.mentions["kind"] == "country", "value"])
