"""The docs stay true: README data dictionary, commands, rule-file docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import _parser
from pipeline.rulebook import RULES_DIR
from pipeline.tables import TABLES, markdown

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_has_the_two_quickstart_commands():
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_data_dictionary_is_the_generated_one():
    assert markdown().strip() in README, "regenerate with: python -m pipeline.tables"


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_is_documented(table):
    for col in TABLES[table]:
        assert f"| `{col.name}` |" in README


def test_every_subcommand_is_in_the_readme():
    sub = next(a for a in _parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"frnews {name}" in README


def test_every_rules_folder_has_a_readme():
    folders = [p for p in RULES_DIR.iterdir() if p.is_dir() and not p.name.startswith("_")]
    assert folders
    for folder in folders:
        assert (folder / "README.md").is_file(), f"{folder} has no README.md"
    index = (RULES_DIR / "README.md").read_text(encoding="utf-8")
    for folder in folders:
        assert f"{folder.name}/" in index, f"pipeline/rules/README.md does not list {folder.name}/"
