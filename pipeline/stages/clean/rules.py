"""Line rules of the clean stage: the row models of ``pipeline/rules/boilerplate/`` and their loading.

``lines.tsv`` holds patterns of news-site chrome in several languages (calls to action,
share/subscribe buttons, comment forms, cookie banners, "related articles" headers,
copyright and contact lines, image placeholders...); a rule hit is final and its id is the
line's reason.  ``stopwords_extra.tsv`` adds words to a language's stoplist.  The loaded
:class:`BoilerplateRules` also carries the metadata stage's calendar and date cues
(:mod:`pipeline.text.datelines`), with which byline/date lines are recognised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from re import _parser  # the stdlib's regex parser: rule patterns read for their anchors and literal starts
from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.rulebook import RULES_DIR, Layers, Regex, RuleModel, check_unique, load_tsv
from pipeline.text import datelines
from pipeline.text.datelines import DateRules
from pipeline.text.fold import _COMBINING, fold_line, fold_words

BOILERPLATE_DIR = RULES_DIR / "boilerplate"
#: Exact rules are looked up only for lines of at most this many characters.
EXACT_MAX_CHARS = 120

#: A word of a folded line.
TOKEN = re.compile(r"[^\W_]+")

_EDGE_CHARS = "".join(chr(c) for c in range(0x2100) if not chr(c).isalnum() or chr(c) == "_")


def _strip_edges(s: str) -> str:
    return s.strip(_EDGE_CHARS)


#: The form every rule is matched against: folded (lower case, no accents), cached (bounded: the
#: language check, the density test, the rules and the byline/date test fold the same lines).
norm_line = fold_line


def _exact_key(text: str) -> str:
    s = _strip_edges(norm_line(text))
    return s or norm_line(text)


class LineRule(RuleModel):
    """One row of ``lines.tsv``.

    ``exact`` compares the folded line without surrounding punctuation;
    ``prefix`` / ``contains`` look for the folded pattern at the start / anywhere
    on word boundaries; ``regex`` is searched (case-insensitive) in the folded
    line.  ``max_len`` limits the rule to lines of at most that many characters.
    """

    id: str = Field(pattern=r"^boilerplate(?:\.[a-z0-9_]+){2,}$")
    kind: Literal["exact", "prefix", "contains", "regex"]
    pattern: Regex = Field(min_length=1)
    lang: str = Field(default="*", pattern=r"^(?:\*|[a-z]{2}(?:,[a-z]{2})*)$")
    max_len: int | None = Field(default=None, gt=0)
    example: str = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _pattern_style(cls, v: str) -> str:
        if "(?P" in v or "(?i" in v or "(?x" in v:
            raise ValueError("named groups and inline flags are not allowed (rules are combined)")
        if any(c.isupper() for c in re.sub(r"\\.", "", v)):
            raise ValueError("write patterns in lower case without accents "
                             "(lines are folded before matching)")
        # the fold's compatibility decomposition, so a pattern matches the folded line as written
        # (full-width "！" is "!", a kana's voicing mark a separate character: "ログイン")
        return _COMBINING.sub("", unicodedata.normalize("NFKD", v))

    def compiled(self) -> re.Pattern[str] | None:
        if self.kind == "exact":
            return None
        if self.kind == "regex":
            return re.compile(self.pattern)
        lit = re.escape(norm_line(self.pattern))
        if self.kind == "prefix":
            return re.compile(r"^" + lit + r"(?!\w)")
        return re.compile(r"(?<!\w)" + lit + r"(?!\w)")

    def matches(self, line: str) -> bool:
        text = line.strip()
        if self.max_len is not None and len(text) > self.max_len:
            return False
        if self.kind == "exact":
            return _exact_key(text) == _exact_key(self.pattern)
        return self.compiled().search(norm_line(text)) is not None

    @model_validator(mode="after")
    def _example_matches(self) -> LineRule:
        if not self.matches(self.example):
            raise ValueError(f"example {self.example!r} does not match the rule")
        return self


class StopwordRow(RuleModel):
    """One row of ``stopwords_extra.tsv``: a word added to a language's stoplist."""

    lang: str = Field(pattern=r"^[a-z]{2}$")
    word: str = Field(min_length=1)
    example: str

    @model_validator(mode="after")
    def _example_has_word(self) -> StopwordRow:
        if self.word.casefold() not in TOKEN.findall(self.example.casefold()):
            raise ValueError(f"example {self.example!r} does not contain the word {self.word!r}")
        return self


class FoldedWordsRow(RuleModel):
    """A row of words in one language, written folded (lower case, no accents), one token each;
    the kinds a file allows are its subclass's ``kind``."""

    lang: str = Field(pattern=r"^[a-z]{2}$")
    words: str = Field(min_length=1)

    @field_validator("words")
    @classmethod
    def _folded(cls, v: str) -> str:
        bad = [w for w in v.split() if fold_words(w) != w or not TOKEN.fullmatch(w)]
        if bad:
            raise ValueError(f"write words folded (lower case, no accents), one token each: {bad}")
        return v


class ChromeWordsRow(FoldedWordsRow):
    """One row of ``chrome_words.tsv``: words of one kind of site chrome in one language (folded)."""

    kind: Literal["share", "comment", "account", "subscribe", "cookie", "legal", "related", "ad", "nav", "media"]


@lru_cache(maxsize=1)
def load_chrome_words(path: Path = BOILERPLATE_DIR / "chrome_words.tsv") -> dict[str, str]:
    """``chrome_words.tsv``: folded word -> kind of chrome (the line model's vocabulary features)."""
    out: dict[str, str] = {}
    for _, row in load_tsv(path, ChromeWordsRow):
        for w in row.words.split():
            out.setdefault(w, row.kind)
    return out


@dataclass(frozen=True)
class BoilerplateRules:
    """Compiled line rules plus extra stop words, ready for :func:`clean`."""

    rules: tuple[LineRule, ...]
    exact: dict[str, str]  # exact key -> rule id
    #: Rules anchored at the line start, in file order: (id, regex, max_len, literal starts or None).
    #: A rule with literal starts only matches a line opening with one of them (each alternative of
    #: its pattern opens with a literal), so a line is tried only against the rules its first two
    #: characters can open: ``by_start`` maps two characters (or one, for a one-character start) to
    #: those rules' positions, with and without the rules that have no literal start (``no_start``
    #: when neither is known); these are tried only when ``any_start_rx``, their patterns combined,
    #: matches the line.
    anchored: tuple[tuple[str, re.Pattern[str], int | None, tuple[str, ...] | None], ...]
    by_start: dict[str, tuple[tuple[int, ...], tuple[int, ...]]]
    no_start: tuple[tuple[int, ...], tuple[int, ...]]
    any_start_rx: re.Pattern[str] | None
    #: Other rules, searched in file order: (id, regex, max_len, trigger words or None, literal starts or
    #: None).  A rule with trigger words is only tried on a line containing one of them (the
    #: first word of each alternative of its pattern; ``by_trigger``: word -> positions), one without on
    #: a line containing one of its literal starts (``unprompted``: their positions; ``unprompted_rx``:
    #: all their literal starts, or None when some rule has none), which keeps long body paragraphs cheap.
    floating: tuple[tuple[str, re.Pattern[str], int | None, frozenset[str] | None,
                          tuple[str, ...] | None], ...]
    by_trigger: dict[str, tuple[int, ...]]
    trigger_words: frozenset[str]
    unprompted: tuple[int, ...]
    unprompted_rx: re.Pattern[str] | None
    extra_stopwords: dict[str, frozenset[str]]
    #: the metadata stage's calendar and date cues (byline/date lines are recognised with them)
    dates: DateRules

    def match(self, line: str, *, folded: str | None = None,
              tokens: Iterable[str] | None = None) -> str | None:
        """The id of the rule matching ``line``, or ``None``.

        Order: exact rules, then anchored rules (earliest alternative in file order),
        then the other rules in file order.  ``folded`` / ``tokens`` may be passed
        when the caller already has them (``norm_line(line)`` and its word tokens).
        """
        text = line.strip()
        n = folded if folded is not None else norm_line(text)
        size = len(text)
        if size <= EXACT_MAX_CHARS:
            rid = self.exact.get(_strip_edges(n) or n)
            if rid is not None:
                return rid
        with_any, without_any = self.by_start.get(n[:2]) or self.by_start.get(n[:1]) or self.no_start
        rx_any = self.any_start_rx
        for i in with_any if rx_any is not None and rx_any.match(n) else without_any:
            rid, rx, max_len, starts = self.anchored[i]
            if max_len is not None and size > max_len:
                continue
            if starts is not None and not n.startswith(starts):
                continue
            if rx.match(n):
                return rid
        words = set(tokens) if tokens is not None else set(TOKEN.findall(n))
        todo = [i for w in self.trigger_words.intersection(words) for i in self.by_trigger[w]]
        if self.unprompted and (self.unprompted_rx is None or self.unprompted_rx.search(n)):
            todo += self.unprompted
        if len(todo) > 1:
            todo = sorted(set(todo))
        for i in todo:
            rid, rx, max_len, triggers, starts = self.floating[i]
            if max_len is not None and size > max_len:
                continue
            if triggers is None and starts is not None and not any(s in n for s in starts):
                continue
            if rx.search(n):
                return rid
        return None


def load_rules(rules_dir: Path | Layers = BOILERPLATE_DIR) -> BoilerplateRules:
    """Load and validate ``lines.tsv`` (+ ``stopwords_extra.tsv``); cached for the packaged folder.

    ``rules_dir`` is a folder or the stage's :class:`~pipeline.rulebook.Layers` (packaged +
    ``--rules DIR`` overlay).  The calendar and date cues come from the packaged
    ``metadata`` folder, or with layers from the ``metadata`` folder beside each layer.
    """
    if isinstance(rules_dir, Layers):
        if rules_dir.dirs == (BOILERPLATE_DIR,):
            return _default_rules()
        return _build_rules(rules_dir)
    if Path(rules_dir) == BOILERPLATE_DIR:
        return _default_rules()
    return _build_rules(Path(rules_dir))


@lru_cache(maxsize=1)
def _default_rules() -> BoilerplateRules:
    return _build_rules(BOILERPLATE_DIR)


def _date_rules(rules_dir: Path | Layers) -> DateRules:
    if isinstance(rules_dir, Layers):
        return datelines.load_date_rules(Layers(*(d.parent / "metadata" for d in rules_dir.dirs)))
    return datelines.load_date_rules()


def _build_rules(rules_dir: Path | Layers) -> BoilerplateRules:
    path = rules_dir / "lines.tsv"
    rows = load_tsv(path, LineRule)
    check_unique(path, rows)
    rules = tuple(r for _, r in rows)
    exact = {}
    searched = []
    for r in rules:
        if r.kind == "exact" and r.max_len is None:
            exact.setdefault(_exact_key(r.pattern), r.id)
        elif r.kind == "exact":
            searched.append((r.id, r"^[\W_]*" + re.escape(_exact_key(r.pattern)) + r"[\W_]*$", r.max_len))
        else:
            searched.append((r.id, r.compiled().pattern, r.max_len))
    anchored = tuple((rid, re.compile(pat), m, literal_starts(pat))
                     for rid, pat, m in searched if _is_anchored(pat))
    kinds = {r.id: r for r in rules}
    floating = tuple((rid, re.compile(pat), m, _contains_trigger(kinds[rid]) or _trigger_words(pat),
                      literal_starts(pat))
                     for rid, pat, m in searched if not _is_anchored(pat))
    index = _anchored_index(anchored) | _floating_index(floating)
    extra: dict[str, set[str]] = {}
    sw_path = rules_dir / "stopwords_extra.tsv"
    if sw_path.exists():
        for _, row in load_tsv(sw_path, StopwordRow):
            extra.setdefault(row.lang, set()).add(fold_words(row.word))
    return BoilerplateRules(rules=rules, exact=exact, anchored=anchored, floating=floating, **index,
                            extra_stopwords={k: frozenset(v) for k, v in extra.items()},
                            dates=_date_rules(rules_dir))


def _is_anchored(pattern: str) -> bool:
    """Whether every alternative of a regex starts with ``^`` (so ``match`` can be used)."""
    tree = _parser.parse(pattern)
    if not len(tree):
        return False
    op, av = tree[0]
    if op == _parser.AT and av == _parser.AT_BEGINNING:
        return True
    if op == _parser.BRANCH and len(tree) == 1:
        return all(len(alt) and alt[0] == (_parser.AT, _parser.AT_BEGINNING) for alt in av[1])
    return False


def _literal_heads(items, depth: int = 0) -> list[tuple[str, bool]]:
    """Literal prefixes of a parsed regex: (prefix, still_open) per alternative."""
    heads = [("", True)]
    for op, av in items:
        if not any(o for _, o in heads):
            break
        new: list[tuple[str, bool]] = []
        for pre, open_ in heads:
            if not open_:
                new.append((pre, False))
            elif op is _parser.LITERAL:
                new.append((pre + chr(av), True))
            elif op is _parser.AT and av is _parser.AT_BOUNDARY:
                new.append((pre + " ", False))
            elif op is _parser.SUBPATTERN and depth < 4:
                new.extend((pre + p, o) for p, o in _literal_heads(av[3], depth + 1))
            elif op is _parser.BRANCH and depth < 4:
                for alt in av[1]:
                    new.extend((pre + p, o) for p, o in _literal_heads(alt, depth + 1))
            else:
                new.append((pre, False))
        heads = new
        if len(heads) > 256:
            return [(p, False) for p, _ in heads]
    return heads if depth else [(p + " " if o else p, False) for p, o in heads]


def _contains_trigger(rule: LineRule) -> frozenset[str] | None:
    """The longest word of a ``contains`` pattern (the line must hold it to match)."""
    if rule.kind != "contains":
        return None
    words = TOKEN.findall(norm_line(rule.pattern))
    return frozenset({max(words, key=len)}) if words else None


def _trigger_words(pattern: str) -> frozenset[str] | None:
    """One required word per alternative of a regex (its longest whole literal word).

    ``None`` when some alternative does not start with a whole literal word: such a
    rule is tried on every line short enough for it.
    """
    words = set()
    for prefix, _ in _literal_heads(list(_parser.parse(pattern))):
        whole = [m.group() for m in re.finditer(r"[^\W_]+", prefix) if m.end() < len(prefix)]
        if not whole or not re.match(r"[^\W_]", prefix):
            return None
        words.add(max(whole, key=len))
    return frozenset(words) or None


_REPEATS = tuple(getattr(_parser, k) for k in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(_parser, k))


def literal_starts(pattern: str, limit: int = 64) -> tuple[str, ...] | None:
    """The literal text each alternative of a regex opens with: a match holds one of them at its
    start.  Zero-width items (``^``, ``\\b``, lookarounds) are skipped; ``None`` when some alternative
    opens with no literal (a class, a wildcard...); past ``limit`` alternatives, the starts read so far."""
    def walk(items, depth):
        heads = [("", True)]
        for op, av in items:
            if not any(o for _, o in heads):
                break
            # what the item itself may open with: (text, still open), None for zero width
            if op is _parser.LITERAL:
                item = [(chr(av), True)]
            elif op in (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT):
                item = None  # zero width: the text after it opens the match
            elif op is _parser.SUBPATTERN and not av[1] and not av[2] and depth < 8:
                item = walk(av[3], depth + 1)
            elif op is _parser.BRANCH and depth < 8:
                item = [h for alt in av[1] for h in walk(alt, depth + 1)]
            elif op in _REPEATS and depth < 8:
                lo, hi, sub = av
                # the item once (a second one may follow), or left out
                item = [(p, o and hi == 1) for p, o in walk(sub, depth + 1)] + ([("", True)] if lo == 0 else [])
            else:
                item = [("", False)]
            new = []
            for pre, open_ in heads:
                if not open_:
                    new.append((pre, False))
                elif item is None:
                    new.append((pre, True))
                else:
                    new.extend((pre + p, o) for p, o in item)
            new = list(dict.fromkeys(new))
            if len(new) > limit:  # too many: the starts read so far (shorter, still required)
                return [(p, False) for p in dict.fromkeys(p for p, _ in heads)]
            heads = new
        return heads

    tree = _parser.parse(pattern)
    if tree.state.flags & re.IGNORECASE:
        return None  # a literal would stand for its other cases too
    starts = sorted({p for p, _ in walk(list(tree), 0)})
    if not starts or starts[0] == "":
        return None
    # a start that opens with a shorter one says no more than it
    return tuple(p for p in starts if not any(p != q and p.startswith(q) for q in starts))


def _anchored_index(anchored) -> dict:
    """``by_start``, ``no_start`` and ``any_start_rx`` of :class:`BoilerplateRules` (see there)."""
    anywhere = tuple(i for i, row in enumerate(anchored) if row[3] is None)
    keys = {p[:2] for row in anchored if row[3] is not None for p in row[3]}

    def opens(starts, key: str) -> bool:  # a line opening with ``key`` may open with one of ``starts``
        return any(p.startswith(key) if len(p) >= len(key) else key.startswith(p) for p in starts)

    by_start = {}
    for key in keys:
        found = [i for i, row in enumerate(anchored)
                 if row[3] is not None and opens(row[3] if len(key) == 2 else [p for p in row[3] if len(p) == 1], key)]
        by_start[key] = (tuple(sorted({*found, *anywhere})), tuple(found))
    rx = re.compile("|".join(f"(?:{anchored[i][1].pattern})" for i in anywhere)) if anywhere else None
    return {"by_start": by_start, "no_start": (anywhere, ()), "any_start_rx": rx}


def _floating_index(floating) -> dict:
    """``by_trigger``, ``trigger_words``, ``unprompted`` and ``unprompted_rx`` of :class:`BoilerplateRules`."""
    by_trigger: dict[str, list[int]] = {}
    for i, row in enumerate(floating):
        for w in row[3] or ():
            by_trigger.setdefault(w, []).append(i)
    unprompted = tuple(i for i, row in enumerate(floating) if row[3] is None)
    starts = [s for i in unprompted for s in floating[i][4] or ()]
    rx = None
    if unprompted and all(floating[i][4] is not None for i in unprompted):
        rx = re.compile("|".join(map(re.escape, sorted(set(starts), key=lambda s: (-len(s), s)))))
    return {"by_trigger": {w: tuple(v) for w, v in by_trigger.items()}, "trigger_words": frozenset(by_trigger),
            "unprompted": unprompted, "unprompted_rx": rx}
