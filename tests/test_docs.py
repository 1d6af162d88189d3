"""The docs stay true: README data dictionary, commands, rule-file docs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import _parser
from pipeline.contract import CONTRACT as TABLES
from pipeline.rulebook import RULES_DIR

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_has_the_two_quickstart_commands():
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_generated_docs_are_current():
    """README's flow line, data dictionary and settings table, CONTRACTS.md's stage table: all
    generated from the registry, the contract and defaults.toml."""
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    for name in ("flow", "dictionary", "settings"):
        assert f"<!-- generated:{name} -->" in README
    assert "<!-- generated:stages -->" in (ROOT / "docs" / "CONTRACTS.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_is_documented(table):
    for col in TABLES[table].columns:
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
