"""Row models of the date rule files (``pipeline/rules/dates/``) and the lookup key of a surface.

Each lexicon row is validated by one of the models below; ``forms.tsv`` (the date forms
themselves: pattern, triggers, handler, example) by :class:`FormRow`, whose pattern may
use only the named fragments of :data:`FRAGMENTS` (filled in from the lexicons when the
rules are loaded, see :mod:`pipeline.stages.dates.rules`).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator

from pipeline.rulebook import RuleModel
from pipeline.text.fold import fold_surface

#: a yes/no column whose blank cell means no
Flag = Annotated[bool, BeforeValidator(lambda v: False if v is None else v)]


def surface_key(text: str) -> str:
    """The key a surface is stored and looked up under: :func:`~pipeline.text.fold.fold_surface`
    without the trailing "." of an abbreviation ("févr." and "févr" are both ``fevr``)."""
    return fold_surface(text).rstrip(".")


def loose_key(text: str) -> str:
    """:func:`surface_key` with hyphens, apostrophes and runs of spaces as one space
    ("14-Juillet", "14 juillet" and "l’Ascension" / "l'Ascension" meet)."""
    return " ".join(re.split(r"[\s\-‐‑'’ʼ]+", surface_key(text))).strip()


class MonthRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    month: int = Field(ge=1, le=12)


class WeekdayRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    weekday: int = Field(ge=0, le=6)


class SeasonRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    code: int = Field(ge=21, le=24)
    start_month: int = Field(ge=1, le=12)
    end_month: int = Field(ge=1, le=12)


class PeriodRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    unit: Literal["quarter", "semester"]
    n: int | None = Field(default=None, ge=1, le=4)


class OrdinalRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    n: int = Field(ge=-1, le=4)


class PartRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    part: Literal["early", "mid", "late"]


class RelativeRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    unit: Literal["day", "week", "month", "year"]
    offset: int = Field(ge=-10, le=10)
    #: the offset when the clause is in the future tense ("cette nuit": -1 in "a été arrêté
    #: cette nuit", 0 in "sera jugé cette nuit"); blank: ``offset``
    offset_future: int | None = Field(default=None, ge=-10, le=10)


class AnchoredRow(RuleModel):
    """A reference to the last date of the text ("la veille", "le lendemain", "l'année suivante")."""

    id: str
    surface: str = Field(min_length=2)
    unit: Literal["day", "week", "month", "year"]
    offset: int = Field(ge=-10, le=10)
    #: ``yes``: read only from a date of the text, never from the publication date ("dans la
    #: soirée" is the evening of the day the text just named)
    text_only: Flag = False


class HolidayRow(RuleModel):
    """A holiday: a fixed day (``MM-DD``) or a day counted from Easter Sunday (``easter+49``)."""

    id: str
    #: matched in any case, accents and hyphen/space tolerant ("noël", "Pâques", "14 juillet")
    surface: str = Field(min_length=2)
    rule: str = Field(pattern=r"^(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])|easter(?:[+-]\d{1,2})?"
                            r"|(?:0[1-9]|1[0-2]):[0-6]:(?:-1|[1-5])(?:!pentecost)?)$")
    #: ``yes``: only with a capital, the name being also a common word ("l'ascension du col")
    cased: Flag = False


class HistoryRow(RuleModel):
    """A date named by its event ("le 11-Septembre"): its EDTF value (a day, month or year)."""

    id: str
    surface: str = Field(min_length=2)
    value: str = Field(pattern=r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


class TenseRow(RuleModel):
    """A tense cue (``tense.tsv``): a word, a verb ending or an auxiliary, and the direction it gives."""

    id: str
    kind: Literal["word", "suffix", "aux", "aux_etre", "etre_verb", "weak", "nonverb"]
    surface: str = Field(min_length=1)
    #: blank for a ``nonverb`` (a noun shaped like a participle: "a lieu") and an ``etre_verb``
    direction: Literal["past", "future"] | None = None


class CueRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    applies: Literal["year", "month", "both"]


class WordRow(RuleModel):
    id: str
    surface: str = Field(min_length=1)


class NumberRow(RuleModel):
    id: str
    surface: str = Field(min_length=2)
    value: int = Field(ge=0)


#: Fragments a form's pattern names as ``{name}``: the alternations of the lexicons (one per
#: file or part of a file) and shared pieces.  See ``pipeline/rules/dates/README.md``.
FRAGMENTS = frozenset({
    "ws", "ws0", "ap",  # one or more spaces (never a line break), zero or more, any apostrophe
    "months", "weekdays", "seasons", "period_units", "period_codes", "ordinals", "parts",
    "relative", "year_cues", "month_cues", "numbers", "anchored", "holidays", "history",
    "day_words",  # the days 1-31 written in words ("douze", "premier", "trente et un")
    "weekday_opt",  # an optional weekday and a space before a day ("mardi 17 ...")
    "no_year",  # a form without a year must not be followed by a number
    "rel_suffix",  # an optional "dernier"/"prochain"/"passé" after a form (group ``rel``)
})
#: Fragments that capture, written ``{name:group}`` ("{month:m1}", "{year:y}").
CAPTURING = frozenset({"month", "weekday", "day", "year", "wyear"})
#: Trigger sets a form's ``triggers`` may name as ``{name}``: the whole-word surfaces of a file.
TRIGGER_SETS = frozenset({"months", "weekdays", "seasons", "relative", "anchored", "holidays", "history"})

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?::([a-z][a-z0-9_]*))?\}")
_TRIGGER = re.compile(r"#year|#numeric|\{[a-z_]+\}|[^\s{}#]+")


class FormRow(RuleModel):
    """One date form (``forms.tsv``): rows are tried in file order, which breaks ties between
    overlapping candidates of the same length (the earlier row wins)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    #: the Python function turning a match into a value (``HANDLERS`` in ``handlers.py``)
    handler: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    #: space-separated lower-case words (whole words), ``{set}`` names, or ``#year``: the
    #: pattern only runs in windows around them, so every match must contain one
    triggers: str
    #: a text in which the form fires (at the publication date 2025-08-13), and its value
    example: str
    expected: str
    #: ``yes`` when the form may end with a bare year: the candidate is dropped when a unit,
    #: a symbol or a plural noun follows it ("en 2000 exemplaires", "2024 km")
    year_last: Flag = False
    #: a regular expression with ``{fragment}`` / ``{fragment:group}`` placeholders
    pattern: str


    @field_validator("triggers")
    @classmethod
    def _triggers(cls, v: str) -> str:
        for tok in v.split():
            if not _TRIGGER.fullmatch(tok) or tok != tok.lower():
                raise ValueError(f"trigger {tok!r}: a lower-case word, a {{set}} or #year")
            if tok.startswith("{") and tok[1:-1] not in TRIGGER_SETS:
                raise ValueError(f"unknown trigger set {tok}; known: {', '.join(sorted(TRIGGER_SETS))}")
        if not v.split():
            raise ValueError("no trigger")
        return v

    @field_validator("pattern")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        for m in PLACEHOLDER.finditer(v):
            name, group = m.groups()
            if name in CAPTURING and group is None:
                raise ValueError(f"{{{name}}} captures: write {{{name}:group}}")
            if name in FRAGMENTS and group is not None:
                raise ValueError(f"{{{name}}} does not capture: drop ':{group}'")
            if name not in CAPTURING and name not in FRAGMENTS:
                raise ValueError(f"unknown fragment {{{name}}}; known: "
                                 f"{', '.join(sorted(FRAGMENTS | CAPTURING))}")
        return v


FILES: dict[str, type[RuleModel]] = {
    "months.tsv": MonthRow,
    "weekdays.tsv": WeekdayRow,
    "seasons.tsv": SeasonRow,
    "periods.tsv": PeriodRow,
    "ordinals.tsv": OrdinalRow,
    "parts.tsv": PartRow,
    "relative.tsv": RelativeRow,
    "cues.tsv": CueRow,
    "names.tsv": WordRow,
    "function_words.tsv": WordRow,
    "bylines.tsv": WordRow,
    "numbers.tsv": NumberRow,
    "anchored.tsv": AnchoredRow,
    "holidays.tsv": HolidayRow,
    "history.tsv": HistoryRow,
    "tense.tsv": TenseRow,
    "forms.tsv": FormRow,
}
