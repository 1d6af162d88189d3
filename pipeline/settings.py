"""Every threshold in one defaults file, with a documented overlay.

``pipeline/defaults.toml`` holds one table per stage (``[clean]``, ``[metadata]``, ...) plus
``[run]`` for the batch driver.  Each stage declares the shape of its table as a pydantic
model (a subclass of :class:`StageSettings`, named in the stage registry); the model has
no defaults of its own, so the file is the single source of every value.

``frnews run --config FILE`` overlays a TOML file of the same shape: only the keys it
names change, and an unknown table or key is an error naming the file.  The merged
settings are part of every article's cache key (``Settings.digest``), so changing a
threshold recomputes what it can change.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

DEFAULTS = Path(__file__).parent / "defaults.toml"


class SettingsError(ValueError):
    """A settings file is malformed (the message names the file, table and key)."""


class StageSettings(BaseModel):
    """Base of every stage's settings table: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RunSettings(StageSettings):
    """``[run]``: how a batch goes through the model."""

    #: articles per task sent to a worker
    batch_size: int
    #: docs per ``nlp.pipe`` minibatch
    nlp_batch_size: int
    #: languages the French model is run on ("und": too short to tell, counts as French)
    model_languages: tuple[str, ...]
    #: characters per model chunk (longer bodies are split at paragraph breaks)
    max_model_chars: int
    #: the model reads only the tokens from this many before a capitalised word that is not a
    #: function word (``pipeline.stages.nlp.pipe_ner``); -1: the whole body
    ner_context_before: int
    #: ... to this many after it; -1: the whole body
    ner_context_after: int

    @property
    def ner_context(self) -> tuple[int, int] | None:
        """``(before, after)`` for :func:`pipeline.stages.nlp.pipe_ner`, or None (the whole body)."""
        if self.ner_context_before < 0 or self.ner_context_after < 0:
            return None
        return self.ner_context_before, self.ner_context_after


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{path}: invalid TOML: {e}") from e
    except OSError as e:
        raise SettingsError(f"{path}: cannot read: {e.strerror or e}") from e


def _merge(base: dict, over: dict, path: Path) -> dict:
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    for table, values in over.items():
        if table not in base:
            raise SettingsError(f"{path}: unknown table [{table}]; known: {', '.join(sorted(base))}")
        if not isinstance(values, dict):
            raise SettingsError(f"{path}: [{table}] must be a table of settings")
        for k, v in values.items():
            if k not in base[table]:
                raise SettingsError(f"{path}: unknown setting {table}.{k}; known: {', '.join(sorted(base[table]))}")
            out[table][k] = v
    return out


@dataclass(frozen=True)
class Settings:
    """The merged settings: one validated model per table."""

    tables: dict[str, StageSettings]
    source: tuple[str, ...]

    def __getitem__(self, table: str) -> StageSettings:
        return self.tables[table]

    @property
    def run(self) -> RunSettings:
        return self.tables["run"]  # type: ignore[return-value]

    def digest(self) -> str:
        data = {k: v.model_dump(mode="json") for k, v in sorted(self.tables.items())}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def as_toml(self) -> str:
        """The merged settings written back as TOML (``frnews config``)."""
        lines = []
        for table, model in self.tables.items():
            lines.append(f"[{table}]")
            for k, v in model.model_dump(mode="json").items():
                lines.append(f"{k} = {json.dumps(v, ensure_ascii=False)}")
            lines.append("")
        return "\n".join(lines)


def settings_models() -> dict[str, type[StageSettings]]:
    """Table name -> its model: ``[run]`` and every registered stage that has settings."""
    from pipeline.stages import STAGES  # the registry imports the stages, which import this module

    models: dict[str, type[StageSettings]] = {"run": RunSettings}
    models.update({s.name: s.settings for s in STAGES if s.settings is not None})
    return models


@lru_cache(maxsize=8)
def load_settings(config: Path | None = None) -> Settings:
    """Defaults overlaid by ``config`` (a TOML file), validated table by table."""
    data = _read(DEFAULTS)
    source = [str(DEFAULTS)]
    if config is not None:
        data = _merge(data, _read(Path(config)), Path(config))
        source.append(str(config))
    models = settings_models()
    missing = sorted(set(models) - set(data))
    if missing:
        raise SettingsError(f"{DEFAULTS}: missing table(s) {', '.join(f'[{m}]' for m in missing)}")
    extra = sorted(t for t in set(data) - set(models) if data[t])
    if extra:
        raise SettingsError(f"{DEFAULTS}: table(s) {', '.join(f'[{m}]' for m in extra)} belong to no stage")
    tables = {}
    for name, model in models.items():
        try:
            tables[name] = model.model_validate(data[name])
        except ValidationError as e:
            where = source[-1] if config is not None else str(DEFAULTS)
            problems = "; ".join(f"{name}.{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors())
            raise SettingsError(f"{where}: {problems}") from e
    return Settings(tables=tables, source=tuple(source))


def defaults() -> Settings:
    return load_settings(None)


def or_defaults(table: str, given: StageSettings | None):
    """``given``, or the default ``[table]`` of ``pipeline/defaults.toml`` when it is None (the
    stages' public functions called without settings)."""
    return given if given is not None else defaults()[table]
