"""Dates stage: calendar references in French text, normalised to EDTF.

The date forms are data: each row of ``pipeline/rules/dates/forms.tsv`` is one form (its
regular expression written with the lexicons' alternations such as ``{months}``, the
trigger words it needs, the handler that reads its value, an example and the example's
value).  The lexicons beside it list months, weekdays, seasons, sub-year periods,
ordinals, début/mi/fin, relative references, year cues, and the name and byline guards.
Overlapping candidates are resolved by keeping the longest, then the earlier form.
dateparser is not used: its ``search_dates`` reads counts such as "2 000" as years.

Normalisation choices (see ``pipeline/rules/dates/README.md``):

- day ``2026-02-17``, month ``2025-02``, year ``2025``, season ``2025-23``;
  quarters and semesters as the interval of their months (``2025-01/2025-03``);
- ranges and lists of days are EDTF intervals ``A/B``;
- "début / mi / fin" give the month, year or decade (GUIDE: ``fin 2024`` -> ``2024``,
  ``mi-mars 2025`` -> ``2025-03``); their days (``date_start`` / ``date_end``) are the
  part: the first / middle / last four months of a year, days 1-10, 11-20, 21-end;
- relative references ("hier", "mardi dernier", "l'an prochain", "la semaine
  dernière" -> Monday/Sunday interval) and dates without a year are resolved
  against ``published``, in the direction the clause's tense gives (``tense.tsv``:
  "se tiendra samedi" is the next Saturday, "a eu lieu samedi" the last one);
  without it they are left out and their text is appended to ``skipped``;
- references to the text's last date ("la veille", "deux jours plus tard",
  "l'année suivante", ``anchored.tsv``) are read from it, in text order;
- holidays (``holidays.tsv``: fixed days and feasts counted from Easter, computed)
  and named dates of history (``history.tsv``: "le 11-Septembre").

Year guard: a bare four-digit number (1900-2100) is a year only after a cue
from ``cues.tsv`` ("en", "depuis", "dès", "d'ici", "l'année", ...), next to a
month or season, or inside a range of years; never when the preceding word
is a name from ``names.tsv`` ("Agenda 2063", "Vision 2030"), and never when
followed by a unit, a symbol or a plural noun ("en 2000 exemplaires").

Modules: :mod:`~pipeline.stages.dates.rows` (row models), :mod:`~pipeline.stages.dates.rules`
(loading, compiling the forms), :mod:`~pipeline.stages.dates.edtf` (calendar arithmetic),
:mod:`~pipeline.stages.dates.tense` (the direction of a clause),
:mod:`~pipeline.stages.dates.context` (what handlers share), :mod:`~pipeline.stages.dates.handlers` and
:mod:`~pipeline.stages.dates.relative_forms` (match -> value), :mod:`~pipeline.stages.dates.find`
(windows, guards, overlaps).
"""

from __future__ import annotations

from pipeline.settings import StageSettings
from pipeline.stages.dates.find import find_dates
from pipeline.stages.dates.rows import FILES, FormRow, SeasonRow, surface_key
from pipeline.stages.dates.rules import DateRules, Form, default_rules, load_rules


class Settings(StageSettings):
    """``[dates]``: the windows the dates stage looks through, and two calendar thresholds."""

    #: characters before a trigger word where a form's match may start
    trigger_before: int
    #: characters after a trigger word where a form's match may end
    trigger_after: int
    #: characters looked back for a name before a year ("Agenda 2063")
    name_lookback: int
    #: characters looked ahead for a unit or a plural noun after a year ("en 2000 exemplaires")
    count_lookahead: int
    #: characters before a date searched for a byline label ("Mis à jour le")
    byline_before: int
    #: characters after a date searched for "par" / "by" (a dated author line)
    byline_after: int
    #: a line opening with a date then "par ..." is a byline only when shorter than this
    byline_line_max: int
    #: characters before a bare weekday searched for a habitual "les", "chaque", "du" ...
    weekday_habit_before: int
    #: characters of the sentence before a date without a year searched for a tense cue (tense.tsv)
    weekday_clause_before: int
    #: characters of the sentence after a date without a year searched for a tense cue
    weekday_clause_after: int
    #: without a publication date, two-digit years below this are 20xx ("17/03/09"), else 19xx
    year2_pivot: int
    #: a range of years spans at most this many years ("2024-2026")
    year_range_max: int
    #: two-digit decades from this one up are 19xx ("années 80"), below it 20xx ("années 20")
    decade_pivot: int


def run(ctx, rules: DateRules, settings: Settings) -> dict:
    """The stage: ``body`` and ``published`` -> ``dates`` (mentions) and ``notes``."""
    skipped: list[str] = []
    found = find_dates(ctx.body, published=ctx.published, rules=rules, skipped=skipped, settings=settings)
    notes = [f"{len(skipped)} relative date(s) left out: no publication date"] if skipped else []
    return {"dates": tuple(found), "notes": notes}


__all__ = ["DateRules", "FILES", "Form", "FormRow", "SeasonRow", "Settings", "default_rules", "find_dates",
           "load_rules", "run", "surface_key"]
