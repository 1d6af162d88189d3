"""Loading the date rules: the lexicons, and the forms of ``forms.tsv`` compiled against them.

A form's ``pattern`` is a regular expression with placeholders: ``{months}``, ``{weekdays}``,
``{year_cues}``... are the alternations of the lexicon files (every surface, tolerant to
accents, apostrophes and spacing, longest first), ``{ws}`` / ``{ws0}`` / ``{ap}`` spacing and
apostrophes, and ``{month:g}``, ``{day:g}``, ``{year:g}``... the capturing pieces (group
``g``).  :func:`load_rules` expands them, compiles each pattern, resolves its triggers to
whole words and checks that its handler exists; every problem is reported as
``forms.tsv:line: [field] reason``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.rulebook import RULES_DIR, Layers, Line, RuleFileError, check_unique, load_tsv, packaged
from pipeline.stages.dates.edtf import Span
from pipeline.stages.dates.handlers import HANDLERS, Ctx
from pipeline.stages.dates.rows import (
    FILES,
    PLACEHOLDER,
    AnchoredRow,
    FormRow,
    PeriodRow,
    RelativeRow,
    SeasonRow,
    loose_key,
    surface_key,
)
from pipeline.stages.dates.tense import TenseCues
from pipeline.text.surface import AP, WS, WS0, surface_pattern


@dataclass(frozen=True, slots=True)
class Form:
    """One compiled row of ``forms.tsv``."""

    id: str
    pattern: re.Pattern[str]
    #: lower-case whole words (or ``#year``, any 4-digit year 1900-2100) one of which every
    #: match contains; the pattern only runs in windows around them
    triggers: tuple[str, ...]
    handler: Callable[[re.Match, Ctx], Span]
    #: the form may end with a bare year: dropped when a unit or a plural noun follows
    year_last: bool
    #: the key of ``handler`` in ``HANDLERS``
    handler_name: str = ""


@dataclass(frozen=True)
class DateRules:
    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, SeasonRow]
    periods: dict[str, PeriodRow]
    ordinals: dict[str, int]
    parts: dict[str, str]
    relative: dict[str, RelativeRow]
    year_cues: frozenset[str]
    month_cues: frozenset[str]
    names: frozenset[str]
    function_words: frozenset[str]
    bylines: frozenset[str]
    numbers: dict[str, int]
    #: "la veille", "le lendemain"...: references to the last date of the text (by ``loose_key``)
    anchored: dict[str, AnchoredRow]
    #: holiday (``loose_key``) -> its rule (``MM-DD`` or ``easter+N``) and whether it must be capitalised
    holidays: dict[str, tuple[str, bool]]
    #: named date of history (``loose_key``) -> EDTF value
    history: dict[str, str]
    tense: TenseCues
    #: the forms in priority order (file order)
    forms: tuple[Form, ...]
    #: the trigger words of every form, found in one pass (:class:`TriggerIndex`)
    triggers: TriggerIndex | None = None


_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"


@dataclass(frozen=True, slots=True)
class TriggerIndex:
    """Every form's trigger words in one compiled regular expression (whole words, longest
    first), so a body is scanned once for all of them.

    ``groups`` are the distinct trigger sets of the forms (``group_of[i]``: the set of form
    ``i``); a matched word stands for itself and for the trigger words written whole inside
    it ("après-demain" also holds "demain"): ``inner[word]`` lists them as ``(offset, group)``
    pairs, the groups that hold each.  ``#year`` / ``#numeric`` are found by their own regexes."""

    pattern: re.Pattern[str] | None
    inner: dict[str, tuple[tuple[int, int], ...]]
    groups: tuple[tuple[str, ...], ...]
    group_of: tuple[int, ...]
    #: the groups that hold ``#year`` / ``#numeric``
    year_groups: frozenset[int]
    numeric_groups: frozenset[int]

    @classmethod
    def build(cls, forms: tuple[Form, ...]) -> TriggerIndex:
        groups: list[tuple[str, ...]] = []
        index: dict[tuple[str, ...], int] = {}
        group_of = []
        for f in forms:
            if f.triggers not in index:
                index[f.triggers] = len(groups)
                groups.append(f.triggers)
            group_of.append(index[f.triggers])
        holders: dict[str, list[int]] = {}
        for g, trig in enumerate(groups):
            for t in trig:
                holders.setdefault(t, []).append(g)
        words = sorted((w for w in holders if not w.startswith("#")), key=lambda w: (-len(w), w))
        inner: dict[str, tuple[tuple[int, int], ...]] = {}
        for w in words:
            pairs = []
            for u in words:
                for k in _whole_word_offsets(w, u):
                    pairs.extend((k, g) for g in holders[u])
            inner[w] = tuple(sorted(set(pairs)))
        pattern = re.compile(_LETTER_BEFORE + trie_pattern(words) + _LETTER_AFTER) if words else None
        return cls(pattern, inner, tuple(groups), tuple(group_of),
                   frozenset(i for i, g in enumerate(groups) if "#year" in g),
                   frozenset(i for i, g in enumerate(groups) if "#numeric" in g))


def trie_pattern(words) -> str:
    """One regular expression for a set of literal words, factored as a trie ("ma(?:i|rs)"):
    the engine tests one character per position instead of every word; longer words are
    tried first at each step, so the longest word the context allows wins."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pat(node: dict) -> str:
        alts = [re.escape(ch) + pat(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        end = "" in node
        if len(alts) == 1 and not end:
            return alts[0]
        return "(?:" + "|".join(alts) + ")" + ("?" if end else "")

    return pat(trie)


def _whole_word_offsets(word: str, sub: str) -> list[int]:
    """Where ``sub`` stands as a whole word inside ``word`` (no letter on either side)."""
    out, k = [], word.find(sub)
    while k != -1:
        end = k + len(sub)
        if not (k and word[k - 1].isalpha()) and not (end < len(word) and word[end].isalpha()):
            out.append(k)
        k = word.find(sub, k + 1)
    return out


def alternation(surfaces, *, ignore_case: bool = True) -> str:
    pats = sorted({surface_pattern(s) for s in surfaces}, key=len, reverse=True)
    body = "|".join(pats)
    return f"(?i:{body})" if ignore_case else f"(?:{body})"


def fragments(rows: dict[str, list]) -> tuple[dict[str, str], dict[str, Callable[[str], str]]]:
    """The values of the ``{name}`` and ``{name:group}`` placeholders (see ``rows.FRAGMENTS``)."""
    alt = {
        "months": alternation(r.surface for r in rows["months.tsv"]),
        "weekdays": alternation(r.surface for r in rows["weekdays.tsv"]),
        "seasons": alternation(r.surface for r in rows["seasons.tsv"]),
        "period_units": alternation(r.surface for r in rows["periods.tsv"] if r.n is None),
        "period_codes": alternation((r.surface for r in rows["periods.tsv"] if r.n is not None),
                                    ignore_case=False),
        "ordinals": alternation(r.surface for r in rows["ordinals.tsv"]),
        "parts": alternation(r.surface for r in rows["parts.tsv"]),
        "relative": alternation(r.surface for r in rows["relative.tsv"]),
        "year_cues": alternation(r.surface for r in rows["cues.tsv"] if r.applies != "month"),
        "month_cues": alternation(r.surface for r in rows["cues.tsv"] if r.applies != "year"),
        "numbers": alternation(r.surface for r in rows["numbers.tsv"]),
        "anchored": alternation(r.surface for r in rows["anchored.tsv"]),
        "holidays": alternation(r.surface for r in rows["holidays.tsv"]),
        "history": alternation((r.surface for r in rows["history.tsv"]), ignore_case=False),
        "day_words": alternation(r.surface for r in rows["numbers.tsv"] if 1 <= r.value <= 31
                                 and surface_key(r.surface) not in ("un", "une")),
    }
    plain = {
        "ws": WS, "ws0": WS0, "ap": AP, **alt,
        "weekday_opt": rf"(?:(?<!\w)(?:{alt['weekdays']}){WS})?",
        "no_year": rf"(?!{WS0}\d)",
        "rel_suffix": rf"(?:{WS}(?P<rel>(?i:dernier|derni[eè]re|prochain|prochaine|pass[ée]e?)))?",
    }
    capturing = {
        "month": lambda g: rf"(?<!\w)(?P<{g}>{alt['months']})(?![\w])",
        "weekday": lambda g: rf"(?<!\w)(?P<{g}>{alt['weekdays']})",
        # not inside a word or a figure, but glued to its article ("le17 mai")
        "day": lambda g: rf"(?:(?<![\w.,/])|(?<=(?<!\w)[lL]e))(?P<{g}>1(?:er|re|ᵉʳ)|[12]\d|3[01]|0?[1-9]"
                         rf"|(?=[dtqcsvhnopDTQCSVHNOP]){alt['day_words']}(?![\w-]))(?!\d)",
        # a bare year 1900-2100, not followed by a decimal part or a group of three digits
        "year": lambda g: rf"(?P<{g}>(?:19|20)\d\d|2100)(?!\d)(?![.,]\d)(?!{WS}\d{{3}}(?!\d))",
        # next to a month any year 1000-2199 is read ("14 juillet 1789")
        "wyear": lambda g: rf"(?P<{g}>1\d\d\d|20\d\d|21\d\d)(?!\d)(?![.,]\d)(?!{WS}\d{{3}}(?!\d))",
    }
    return plain, capturing


def expand(template: str, plain: dict[str, str], capturing: dict[str, Callable[[str], str]]) -> str:
    """A form's pattern with its placeholders filled in (validated by ``FormRow``)."""
    def sub(m: re.Match) -> str:
        name, group = m.groups()
        return capturing[name](group) if group else plain[name]
    return PLACEHOLDER.sub(sub, template)


def _variants(surface: str) -> set[str]:
    low = surface.lower().rstrip(".")
    return {low, surface_key(low), low.replace("'", "’")}


def trigger_sets(rows: dict[str, list]) -> dict[str, set[str]]:
    """The words a ``{name}`` trigger stands for: every surface of the file, as written, folded
    and with a typographic apostrophe (for ``{relative}`` the last word of each surface)."""
    def words(rs) -> set[str]:
        return set().union(*(_variants(r.surface) for r in rs))
    def last_words(rs) -> set[str]:
        out: set[str] = set()
        for r in rs:
            out |= _variants(re.split(r"[\s'’\-]+", r.surface.strip())[-1])
        return out
    return {"months": words(rows["months.tsv"]), "weekdays": words(rows["weekdays.tsv"]),
            "seasons": words(rows["seasons.tsv"]), "relative": last_words(rows["relative.tsv"]),
            "anchored": last_words(rows["anchored.tsv"]), "holidays": last_words(rows["holidays.tsv"]),
            "history": last_words(rows["history.tsv"])}


def _triggers(cell: str, sets: dict[str, set[str]]) -> tuple[str, ...]:
    out: set[str] = set()
    for tok in cell.split():
        out |= sets[tok[1:-1]] if tok.startswith("{") else {tok}
    return tuple(sorted(out))


def compile_forms(path, loaded: list[tuple[int, FormRow]], rows: dict[str, list]) -> tuple[Form, ...]:
    plain, capturing = fragments(rows)
    sets = trigger_sets(rows)
    forms, problems = [], []
    for lineno, row in loaded:
        where = str(lineno.path if isinstance(lineno, Line) else path)
        if row.handler not in HANDLERS:
            problems.append((where, int(lineno), "handler",
                             f"unknown handler {row.handler!r}; known: {', '.join(sorted(HANDLERS))}"))
            continue
        try:
            pattern = re.compile(expand(row.pattern, plain, capturing))
        except re.error as err:
            problems.append((where, int(lineno), "pattern", f"invalid regular expression: {err}"))
            continue
        forms.append(Form(row.id, pattern, _triggers(row.triggers, sets), HANDLERS[row.handler],
                          row.year_last, row.handler))
    if problems:
        raise RuleFileError(problems)
    return tuple(forms)


def load_rules(rules_dir: Path | Layers = RULES_DIR / "dates") -> DateRules:
    """Load and validate the date lexicons and forms, and compile the forms' patterns."""
    rows: dict[str, list] = {}
    loaded_forms: list[tuple[int, FormRow]] = []
    for name, model in FILES.items():
        path = rules_dir / name
        loaded = load_tsv(path, model)
        check_unique(path, loaded)
        rows[name] = [r for _, r in loaded]
        if name == "forms.tsv":
            loaded_forms = loaded
    rules = DateRules(
        months={surface_key(r.surface): r.month for r in rows["months.tsv"]},
        weekdays={surface_key(r.surface): r.weekday for r in rows["weekdays.tsv"]},
        seasons={surface_key(r.surface): r for r in rows["seasons.tsv"]},
        periods={surface_key(r.surface): r for r in rows["periods.tsv"]},
        ordinals={surface_key(r.surface): r.n for r in rows["ordinals.tsv"]},
        parts={surface_key(r.surface): r.part for r in rows["parts.tsv"]},
        relative={surface_key(r.surface): r for r in rows["relative.tsv"]},
        year_cues=frozenset(surface_key(r.surface) for r in rows["cues.tsv"] if r.applies != "month"),
        month_cues=frozenset(surface_key(r.surface) for r in rows["cues.tsv"] if r.applies != "year"),
        names=frozenset(r.surface for r in rows["names.tsv"]),
        function_words=frozenset(surface_key(r.surface) for r in rows["function_words.tsv"]),
        bylines=frozenset(surface_key(r.surface) for r in rows["bylines.tsv"]),
        numbers={surface_key(r.surface): r.value for r in rows["numbers.tsv"]},
        anchored={loose_key(r.surface): r for r in rows["anchored.tsv"]},
        holidays={loose_key(r.surface): (r.rule, r.cased) for r in rows["holidays.tsv"]},
        history={loose_key(r.surface): r.value for r in rows["history.tsv"]},
        tense=TenseCues(rows["tense.tsv"]),
        forms=compile_forms(rules_dir / "forms.tsv", loaded_forms, rows),
    )
    return replace(rules, triggers=TriggerIndex.build(rules.forms))


def default_rules():
    """The packaged rules, loaded once per process (shared with the run driver)."""
    return packaged(load_rules)
