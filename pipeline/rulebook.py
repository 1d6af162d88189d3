"""Loading and validating rule files (TSV and JSONL) through pydantic row models.

Every rule file lives under ``pipeline/rules/<stage>/``.  A TSV file has one
header row naming its columns; blank lines and lines starting with ``#`` are
comments.  A JSONL file has one JSON object per line.  Each row is validated
with a pydantic model (``extra="forbid"``); the loader collects *all* errors of
a file and raises one :class:`RuleFileError` whose message lists them as
``path:line: [field] reason``.

**Overlays.**  A team can add its own rows without forking the package: ``frnews run
--rules DIR`` where ``DIR/<stage>/<file>`` mirrors ``pipeline/rules/<stage>/<file>``.
A stage's loader receives :class:`Layers` (the packaged folder, then the overlay's) and
``layers / "file.tsv"`` is a :class:`LayeredFile`: ``load_tsv`` / ``load_jsonl`` read the
packaged rows then the overlay's, validated by the same row model, each row's line
number knowing its own file (:class:`Line`), so errors and duplicate ids name the right
file.  An overlay file must have the packaged file's name; a name the package does not
have is an error (a typo must not be ignored silently).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

RULES_DIR = Path(__file__).parent / "rules"

Row = TypeVar("Row", bound=BaseModel)


class RuleModel(BaseModel):
    """Base class of every rule row model: unknown columns are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _compiles(v: str) -> str:
    try:
        re.compile(v)
    except re.error as err:
        raise ValueError(f"invalid regex: {err}") from None
    return v


#: a column holding a regular expression: a row whose expression does not compile is reported
Regex = Annotated[str, AfterValidator(_compiles)]


def rule_id(regex: re.Pattern[str], shape: str):
    """The type of an ``id`` column that must match ``regex``; a malformed id is reported as
    "id must look like SHAPE" (with the file and line, like every row error)."""
    def check(v: str) -> str:
        if not regex.match(v):
            raise ValueError(f"id must look like {shape}")
        return v
    return Annotated[str, AfterValidator(check)]


class RuleFileError(ValueError):
    """One or more malformed rows in one or more rule files."""

    def __init__(self, problems: Iterable[tuple[str, int, str, str]]):
        self.problems = list(problems)
        lines = [f"{path}:{line}: [{loc}] {msg}" if loc else f"{path}:{line}: {msg}"
                 for path, line, loc, msg in self.problems]
        super().__init__("malformed rule file(s):\n" + "\n".join(lines))


class Line(int):
    """A 1-based line number that also knows the file it is in (overlay rows)."""

    path: Path

    def __new__(cls, n: int, path: Path):
        obj = super().__new__(cls, n)
        obj.path = path
        return obj


class LayeredFile:
    """One rule file's name in a stack of rule folders (packaged first)."""

    def __init__(self, paths: tuple[Path, ...]):
        self.paths = paths
        self.name = paths[0].name
        self.suffix = paths[0].suffix

    def existing(self) -> list[Path]:
        return [p for p in self.paths if p.is_file()]

    def exists(self) -> bool:
        return self.paths[0].exists()

    def __str__(self) -> str:
        return str(self.paths[0])


class Layers:
    """A stage's rule folders: the packaged one first, then overlays (``--rules DIR``)."""

    def __init__(self, *dirs: Path):
        self.dirs = tuple(Path(d) for d in dirs)

    def __truediv__(self, name: str) -> LayeredFile:
        return LayeredFile(tuple(d / name for d in self.dirs))

    def __repr__(self) -> str:
        return f"Layers({', '.join(map(str, self.dirs))})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Layers) and other.dirs == self.dirs

    def __hash__(self) -> int:
        return hash(self.dirs)

    def unknown_files(self) -> list[Path]:
        """Files of an overlay folder that the packaged folder does not have."""
        base = self.dirs[0]
        return [p for d in self.dirs[1:] if d.is_dir() for p in sorted(d.iterdir())
                if p.is_file() and p.suffix in (".tsv", ".jsonl") and not (base / p.name).exists()]


def as_layers(rules_dir: Path | Layers) -> Layers:
    """A stage loader's argument as :class:`Layers`: a plain folder is a stack of one."""
    return rules_dir if isinstance(rules_dir, Layers) else Layers(Path(rules_dir))


def stage_layers(folder: str, overlay: Path | None = None) -> Layers:
    """The rule folders of one stage: ``pipeline/rules/<folder>`` (+ ``overlay/<folder>``)."""
    dirs = [RULES_DIR / folder]
    if overlay is not None:
        dirs.append(Path(overlay) / folder)
    layers = Layers(*dirs)
    bad = layers.unknown_files()
    if bad:
        raise RuleFileError([(_display(p), 1, "file", f"no packaged rule file {folder}/{p.name} to overlay")
                             for p in bad])
    return layers


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _validation_problems(path: Path, lineno: int, err: ValidationError) -> list[tuple[str, int, str, str]]:
    out = []
    for e in err.errors():
        loc = " -> ".join(str(p) for p in e["loc"])
        given = e.get("input")
        msg = e["msg"]
        if given is not None and not isinstance(given, (dict, list)):
            msg += f", got {given!r}"
        out.append((_display(path), lineno, loc, msg))
    return out


def load_tsv(path: Path | LayeredFile, model: type[Row]) -> list[tuple[int, Row]]:
    """Rows of a TSV rule file as ``(line_number, model)`` pairs.

    Empty cells become ``None`` so that optional columns can be left blank.  A
    :class:`LayeredFile` gives the rows of every layer in turn (line numbers are :class:`Line`).
    """
    if isinstance(path, LayeredFile):
        return _layered(path, model, load_tsv)
    problems: list[tuple[str, int, str, str]] = []
    rows: list[tuple[int, Row]] = []
    text = path.read_text(encoding="utf-8")
    header: list[str] | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = next(csv.reader(io.StringIO(line), delimiter="\t", quoting=csv.QUOTE_NONE))
        if header is None:
            header = [c.strip() for c in cells]
            unknown = [c for c in header if c not in model.model_fields]
            if unknown:
                problems.append((_display(path), lineno, "header",
                                 f"unknown column(s) {unknown}; expected {list(model.model_fields)}"))
                break
            continue
        if len(cells) > len(header):
            problems.append((_display(path), lineno, "",
                             f"{len(cells)} cells but the header has {len(header)} columns"))
            continue
        data = {k: (v if v.strip() != "" else None) for k, v in zip(header, cells)}
        try:
            rows.append((lineno, model.model_validate(data)))
        except ValidationError as err:
            problems.extend(_validation_problems(path, lineno, err))
    if header is None and not problems:
        problems.append((_display(path), 1, "header", "file has no header row"))
    if problems:
        raise RuleFileError(problems)
    return rows


def _layered(lf: LayeredFile, model, loader) -> list:
    rows, problems = [], []
    for p in lf.existing() or [lf.paths[0]]:
        try:
            rows.extend((Line(n, p), r) for n, r in loader(p, model))
        except RuleFileError as e:
            problems.extend(e.problems)
    if problems:
        raise RuleFileError(problems)
    return rows


def load_jsonl(path: Path | LayeredFile, model: type[Row]) -> list[tuple[int, Row]]:
    """Rows of a JSONL rule file as ``(line_number, model)`` pairs (see :func:`load_tsv`)."""
    if isinstance(path, LayeredFile):
        return _layered(path, model, load_jsonl)
    problems: list[tuple[str, int, str, str]] = []
    rows: list[tuple[int, Row]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append((_display(path), lineno, "", f"invalid JSON: {err.msg} (column {err.colno})"))
            continue
        try:
            rows.append((lineno, model.model_validate(data)))
        except ValidationError as err:
            problems.extend(_validation_problems(path, lineno, err))
    if problems:
        raise RuleFileError(problems)
    return rows


def check_unique(path: Path | LayeredFile, rows: list[tuple[int, Row]], attr: str = "id") -> None:
    """Raise if two rows share the same ``attr`` (rule ids are stable keys)."""
    seen: dict[object, int] = {}
    problems = []
    for lineno, row in rows:
        key = getattr(row, attr)
        if key in seen:
            first = seen[key]
            where = f"{_display(first.path)}:{int(first)}" if isinstance(first, Line) else f"line {first}"
            here = lineno.path if isinstance(lineno, Line) else path
            problems.append((_display(here), int(lineno), attr, f"duplicate {attr} {key!r} (first on {where})"))
        else:
            seen[key] = lineno
    if problems:
        raise RuleFileError(problems)


@lru_cache(maxsize=None)
def packaged(load_rules: Callable[[], Row]) -> Row:
    """A stage's packaged rules, ``load_rules()``, loaded once per process.

    The run driver (without ``--rules``) and the stage's public functions called without
    ``rules`` share this one copy; the cache is keyed by the stage's loader function.
    """
    return load_rules()


@lru_cache(maxsize=8)
def rules_hash(rules_dir: Path = RULES_DIR) -> str:
    """A short content hash of every rule file under ``rules_dir`` (an overlay's too)."""
    h = hashlib.sha256()
    for p in sorted(rules_dir.rglob("*")):
        if p.is_file() and p.suffix in {".tsv", ".jsonl", ".json", ".txt", ".toml"}:
            h.update(str(p.relative_to(rules_dir)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]
