"""Rule files of the events stage: ``triggers.jsonl`` and ``guards.tsv`` (see ``rules/events/README.md``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.rulebook import (
    RULES_DIR,
    Layers,
    Regex,
    RuleFileError,
    RuleModel,
    as_layers,
    check_unique,
    load_jsonl,
    load_tsv,
    packaged,
    rule_id,
)
from pipeline.text.phrases import PhraseIndex, compile_phrase, rule_words

PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
Plover = Literal[PLOVER]  # type: ignore[valid-type]
ContextKind = Literal["actor", "country", "date", "money"]
#: Context kinds a noun trigger accepts by default.
ANY_CONTEXT = ("actor", "country", "date", "money")

_ID_RE = re.compile(r"^events\.([a-z]+)\.[a-z0-9_]+$")
_GUARD_ID_RE = re.compile(r"^events\.guard\.[a-z_]+\.[a-z0-9_]+$")
TriggerId = rule_id(_ID_RE, "events.<root>.<name> (lowercase, digits, _)")
GuardId = rule_id(_GUARD_ID_RE, "events.guard.<kind>.<name>")


class TriggerRow(RuleModel):
    """One line of ``triggers.jsonl``."""

    id: TriggerId
    plover: Plover
    lang: Literal["fr", "en"] = "fr"
    lemmas: list[str] | None = None
    pattern: Regex | None = None
    hint: list[str] | None = None
    kind: Literal["verb", "noun"] = "verb"
    weight: int = Field(default=3, ge=1, le=9)
    context: list[ContextKind] | Literal["none", "any"] | None = None
    plural: bool = False
    speech: bool = False
    near: list[str] | None = None
    window: int = Field(default=4, ge=1, le=20)
    veto_before: list[str] | None = None
    veto_after: list[str] | None = None
    veto_window: int = Field(default=2, ge=1, le=10)
    #: the root of the event when the trigger is negated ("ne l'acceptons pas": REJECT); the event is affirmed
    negated: Plover | None = None
    #: the trigger fires only when negated (with ``negated``): "accepter" alone is too common to be an event
    only_negated: bool = False
    example: str

    @field_validator("lemmas", "near", "veto_before", "veto_after")
    @classmethod
    def _words(cls, v: list[str] | None) -> list[str] | None:
        if v is not None:
            if not v:
                raise ValueError("empty list")
            for w in v:
                if not rule_words(w):
                    raise ValueError(f"{w!r} has no word")
        return v

    @model_validator(mode="after")
    def _consistent(self):
        m = _ID_RE.match(self.id)
        if m and m.group(1) != self.plover.lower():
            raise ValueError(f"id {self.id!r} does not name root {self.plover}")
        if (self.lemmas is None) == (self.pattern is None):
            raise ValueError("exactly one of lemmas / pattern is required")
        if self.only_negated and self.negated is None:
            raise ValueError("only_negated needs negated (the root of the negated trigger)")
        if self.hint is not None and self.pattern is None:
            raise ValueError("hint only applies to a pattern")
        if self.hint and not any(h in self.example.lower() for h in self.hint):
            raise ValueError(f"example contains none of the hints {self.hint}")
        if any(h != h.lower() or not h for h in self.hint or ()):
            raise ValueError("hints must be non-empty lowercase substrings")
        return self

    @property
    def context_kinds(self) -> tuple[str, ...]:
        if self.context == "none":
            return ()
        if self.context == "any":
            return ANY_CONTEXT
        if self.context is None:
            return ANY_CONTEXT if self.kind == "noun" else ()
        return tuple(self.context)


GuardKind = Literal["hedge", "negation", "determiner", "demonstrative", "purpose", "reporting", "planned",
                    "attribution", "request", "frame", "description", "quantity", "definite", "degree"]


class GuardRow(RuleModel):
    """One line of ``guards.tsv``."""

    id: GuardId
    kind: GuardKind
    word: str
    lang: Literal["fr", "en"]
    example: str | None = None

    @field_validator("word")
    @classmethod
    def _has_word(cls, v: str) -> str:
        if not rule_words(v):
            raise ValueError("word has no token")
        return v

    @model_validator(mode="after")
    def _kind_in_id(self):
        if self.id.split(".")[2] != self.kind:
            raise ValueError(f"id {self.id!r} does not name kind {self.kind}")
        return self


@dataclass(frozen=True)
class CompiledTrigger:
    """A trigger row with its regex and its near / veto phrases compiled."""

    row: TriggerRow
    regex: re.Pattern | None
    near: tuple[tuple[frozenset[str], ...], ...]
    veto_before: tuple[tuple[frozenset[str], ...], ...]
    veto_after: tuple[tuple[frozenset[str], ...], ...]


@dataclass(frozen=True)
class EventRules:
    triggers: tuple[CompiledTrigger, ...]
    index: PhraseIndex
    regexes: tuple[CompiledTrigger, ...]
    guards: PhraseIndex
    guard_rows: tuple[GuardRow, ...]


def load_rules(rules_dir: Path | Layers = RULES_DIR / "events") -> EventRules:
    """Load and validate ``triggers.jsonl`` and ``guards.tsv``; raises :class:`RuleFileError`.

    ``rules_dir`` is a folder or the :class:`~pipeline.rulebook.Layers` of the packaged folder
    and a team's overlay (whose rows are added to the packaged ones).
    """
    rules_dir = as_layers(rules_dir)
    tpath, gpath = rules_dir / "triggers.jsonl", rules_dir / "guards.tsv"
    missing = [(str(p), 0, "", f"missing {p.name}") for p in (tpath, gpath) if not p.exists()]
    if missing:
        raise RuleFileError(missing)
    trows = load_jsonl(tpath, TriggerRow)
    check_unique(tpath, trows)
    grows = load_tsv(gpath, GuardRow)
    check_unique(gpath, grows)
    compiled = []
    for _, r in trows:
        compiled.append(CompiledTrigger(
            row=r,
            regex=re.compile(r.pattern, re.IGNORECASE) if r.pattern else None,
            near=tuple(compile_phrase(w) for w in r.near or ()),
            veto_before=tuple(compile_phrase(w) for w in r.veto_before or ()),
            veto_after=tuple(compile_phrase(w) for w in r.veto_after or ()),
        ))
    index = PhraseIndex([(compile_phrase(" ".join(c.row.lemmas)), c) for c in compiled if c.row.lemmas])
    guards = PhraseIndex([(compile_phrase(g.word), g) for _, g in grows])
    return EventRules(tuple(compiled), index, tuple(c for c in compiled if c.regex),
                      guards, tuple(g for _, g in grows))


def default_rules():
    """The packaged rules, loaded once per process (shared with the run driver)."""
    return packaged(load_rules)
