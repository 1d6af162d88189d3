"""CONTRIBUTING.md's walk-throughs, done on a copy of the package exactly as written there:
add a rule row, add a stage, add a column, add a dump-level pass; each touches only the
files the walk-through names, and the pipeline picks it up."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

STAGE = '''\
"""Shouts: words written in capitals of four letters or more (a walk-through stage)."""

from __future__ import annotations

from pathlib import Path

from pipeline.records import Mention
from pipeline.rulebook import RULES_DIR, RuleModel, load_tsv
from pipeline.settings import StageSettings


class WordRow(RuleModel):
    id: str
    word: str
    example: str


class Settings(StageSettings):
    min_letters: int


def load_rules(rules_dir: Path = RULES_DIR / "shout") -> frozenset[str]:
    return frozenset(row.word for _, row in load_tsv(rules_dir / "ignore.tsv", WordRow))


def run(ctx, rules, settings) -> dict:
    out = []
    pos = 0
    for word in ctx.body.split():
        start = ctx.body.index(word, pos)
        pos = start + len(word)
        w = word.strip(".,;:!?")
        if len(w) >= settings.min_letters and w.isupper() and w.isalpha() and w not in rules:
            out.append(Mention(kind="shout", text=w, start=start, end=start + len(w), value=w.lower(),
                               rule="shout.caps", extra=(("loudness", len(w)),)))
    return {"shouts": tuple(out)}
'''

PASS = '''\
"""Count the run's articles by language (a walk-through post-pass)."""

from collections import Counter


def by_language(store, run_id, settings) -> dict:
    names = store.contract["articles"].names()
    i = names.index("language")
    return dict(Counter(row[i] for chunk in store.chunks("articles", run_id) for row in chunk))
'''

CHECK = '''\
import json, sys
import pipeline
from pipeline.stages import STAGES
from pipeline.context import INPUTS
from pipeline.process import Config, process_batch
from pipeline.records import RawRecord

available = set(INPUTS)
for st in STAGES:
    assert set(st.reads) <= available, st.name
    available |= set(st.writes)
text = sys.argv[1]
art = process_batch([RawRecord(article_id="t", source="t", text=text)], cfg=Config(clean_text=False,
                    check_reads=True))[0]
t = pipeline.process_texts([text], clean=False)
print(json.dumps({"status": art.status, "error": art.error,
                  "mentions": [[m.kind, m.text, m.value] for m in art.mentions],
                  "loudness": [int(x) for x in t.mentions["loudness"].dropna()] if "loudness" in t.mentions else None,
                  "stages": [s.name for s in STAGES]}))
'''

TEXT = ("Workers in Lima protested on Monday against the NEW TAXES on fishing, and NASA said the "
        "ostreiculture of Peru was HEALTHY.")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: anchor {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_the_four_walk_throughs_on_a_copy_of_the_package(tmp_path):
    code = tmp_path / "code"
    pkg = code / "pipeline"
    shutil.copytree(ROOT / "pipeline", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    before = {p.relative_to(code) for p in code.rglob("*") if p.is_file()}

    # 1. a rule row: one line in a rules file
    with open(pkg / "rules" / "sectors" / "lexicon.tsv", "a", encoding="utf-8") as fh:
        fh.write("sectors.agriculture.ostreiculture\tagriculture\tostreiculture\ten\t"
                 "The ostreiculture season is late.\n")
    # 2. a stage: its module, one registry line, its rules folder, its settings table
    (pkg / "stages" / "shout.py").write_text(STAGE, encoding="utf-8")
    (pkg / "rules" / "shout").mkdir()
    (pkg / "rules" / "shout" / "README.md").write_text("# shout\n\n`ignore.tsv`: id, word, example.\n")
    (pkg / "rules" / "shout" / "ignore.tsv").write_text("id\tword\texample\nshout.nasa\tNASA\tNASA said so.\n")
    _edit(pkg / "stages" / "__init__.py", "\n)\n\nBY_NAME",
          '\n    stage("shout", ("body",), ("shouts",), rules="shout", output="mentions"),\n)\n\nBY_NAME')
    with open(pkg / "defaults.toml", "a", encoding="utf-8") as fh:
        fh.write("\n[shout]\n# letters a shouted word has at least\nmin_letters = 4\n")
    # 3. a column: one Column in the contract (filled by the stage's extra pairs)
    _edit(pkg / "contract.py", "MENTIONS = (\n",
          'MENTIONS = (\n    Column("loudness", "int", "Shouts: letters in capitals."),\n')
    # 4. a post-pass: its module and one line
    (pkg / "passes" / "languages.py").write_text(PASS, encoding="utf-8")
    _edit(pkg / "passes" / "__init__.py", "POSTPASSES: tuple[PostPass, ...] = (\n",
          "from pipeline.passes.languages import by_language  # noqa: E402\n\n"
          'POSTPASSES: tuple[PostPass, ...] = (\n    PostPass("languages", by_language),\n')

    touched = {p.relative_to(code) for p in code.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    new = sorted(str(p) for p in touched - before)
    assert new == ["pipeline/passes/languages.py", "pipeline/rules/shout/README.md",
                   "pipeline/rules/shout/ignore.tsv", "pipeline/stages/shout.py"]

    env = dict(os.environ, PYTHONPATH=str(code))
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "rules", "check"], cwd=code, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "shout: 1 rule(s) ok" in r.stdout, r.stderr
    r = subprocess.run([sys.executable, "-c", CHECK, TEXT], cwd=code, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got["status"] == "ok", got["error"]
    assert got["stages"][-1] == "shout"
    mentions = got["mentions"]
    assert ["shout", "TAXES", "taxes"] in mentions and ["shout", "HEALTHY", "healthy"] in mentions
    assert not any(m[0] == "shout" and m[1] == "NASA" for m in mentions)  # the stage's own rule file
    assert ["sector", "ostreiculture", "agriculture"] in mentions  # the new rule row
    assert sorted(got["loudness"]) == [5, 7]  # the new column, filled by the new stage

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(src), "--out", str(tmp_path / "out"),
                        "--workers", "1", "--no-clean", "-q"], cwd=code, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    manifest = json.loads((tmp_path / "out" / "run.json").read_text())
    assert manifest["postpasses"]["languages"] == {"en": 1}
    header = (tmp_path / "out" / "mentions.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "loudness" in header.split(",")
