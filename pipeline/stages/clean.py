"""Clean stage: decide, line by line, what is article body and what is site chrome.

Every non-empty raw line gets a :class:`LineDecision` (keep or drop, a reason and
a body-likeness score).  Three sources of evidence are combined, in the manner
of jusText:

1. **Rules** (``pipeline/rules/boilerplate/lines.tsv``): patterns of news-site
   chrome in several languages - calls to action, share/subscribe buttons,
   comment forms, cookie banners, "related articles" headers, copyright and
   contact lines, image placeholders...  A rule hit is final; the reason is the
   rule id (``boilerplate.cta.partager``).
2. **Text density**: stop-word density (justext stoplist of the article's
   language, detected with py3langid), length, sentence punctuation, link-like
   tokens, SEO keyword lists, all-caps labels and glued navigation labels give
   each line a class: ``good``, ``near`` (near-good), ``short`` or ``bad``.
3. **Context**: ``short`` and ``near`` lines take the class of their neighbours
   (a subheading between two paragraphs stays, a short line amid chrome goes);
   the first headline-like line at the top is the headline and stays; short
   lines above it go.

On top of that a dump-level :class:`ChromeCounter` finds the short and medium
lines that recur across many articles of one dump (footers, sidebars); those are
dropped with reason ``dump.repeated``.

:func:`html_to_text` turns an HTML page into text with trafilatura (and a date
with htmldate) before the same line cleaning runs.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.records import Cleaned, LineDecision
from pipeline.rulebook import RULES_DIR, RuleModel, check_unique, load_tsv
from pipeline.stages.metadata import detect_language, fold, headline_like, is_meta_line

log = logging.getLogger(__name__)

BOILERPLATE_DIR = RULES_DIR / "boilerplate"

# jusText-style thresholds (characters and stop-word densities).
LENGTH_LOW = 70
LENGTH_HIGH = 200
LENGTH_SENTENCE_GOOD = 100
STOP_LOW = 0.30
STOP_HIGH = 0.32
MAX_LINK_DENSITY = 0.2
#: Lines longer than this are never counted as dump chrome (they are paragraphs).
MAX_CHROME_CHARS = 300
#: Only this many first non-empty lines are searched for the headline.
HEADLINE_WINDOW = 15
#: A headline candidate with at least this many words wins over a shorter label above it.
HEADLINE_MIN_WORDS = 5

#: ISO 639-1 -> justext stoplist name (only languages justext ships).
JUSTEXT_LANGS = {
    "af": "Afrikaans", "sq": "Albanian", "ar": "Arabic", "hy": "Armenian", "az": "Azerbaijani",
    "eu": "Basque", "be": "Belarusian", "bn": "Bengali", "bs": "Bosnian", "br": "Breton",
    "bg": "Bulgarian", "ca": "Catalan", "hr": "Croatian", "cs": "Czech", "da": "Danish", "nl": "Dutch",
    "en": "English", "eo": "Esperanto", "et": "Estonian", "fi": "Finnish", "fr": "French",
    "gl": "Galician", "ka": "Georgian", "de": "German", "el": "Greek", "he": "Hebrew", "hi": "Hindi",
    "hu": "Hungarian", "is": "Icelandic", "id": "Indonesian", "ga": "Irish", "it": "Italian",
    "kk": "Kazakh", "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lv": "Latvian",
    "lt": "Lithuanian", "lb": "Luxembourgish", "mk": "Macedonian", "ms": "Malay", "ml": "Malayalam",
    "mt": "Maltese", "mr": "Marathi", "ne": "Nepali", "nb": "Norwegian_Bokmal", "no": "Norwegian_Bokmal",
    "nn": "Norwegian_Nynorsk", "oc": "Occitan", "fa": "Persian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sr": "Serbian", "sk": "Slovak", "sl": "Slovenian",
    "es": "Spanish", "sw": "Swahili", "sv": "Swedish", "tl": "Tagalog", "ta": "Tamil", "te": "Telugu",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "cy": "Welsh",
    "yo": "Yoruba",
}
#: Stoplists tried (maximum density) when the article language is unknown or has no stoplist.
FALLBACK_LANGS = ("fr", "en", "de", "es", "it", "pt", "nl")


# -- rule files -------------------------------------------------------------------

_EDGE_CHARS = "".join(chr(c) for c in range(0x2100) if not chr(c).isalnum() or chr(c) == "_")


def _strip_edges(s: str) -> str:
    return s.strip(_EDGE_CHARS)


def norm_line(text: str) -> str:
    """The form every rule is matched against: folded (lower case, no accents)."""
    return fold(text)


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
    pattern: str = Field(min_length=1)
    lang: str = Field(default="*", pattern=r"^(?:\*|[a-z]{2}(?:,[a-z]{2})*)$")
    max_len: int | None = Field(default=None, gt=0)
    example: str = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, v: str) -> str:
        if "(?P" in v or "(?i" in v or "(?x" in v:
            raise ValueError("named groups and inline flags are not allowed (rules are combined)")
        if any(c.isupper() for c in re.sub(r"\\.", "", v)):
            raise ValueError("write patterns in lower case without accents "
                             "(lines are folded before matching)")
        try:
            re.compile(v)
        except re.error as err:
            raise ValueError(f"invalid regex: {err}") from None
        return v

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
        if self.word.casefold() not in _TOKEN.findall(self.example.casefold()):
            raise ValueError(f"example {self.example!r} does not contain the word {self.word!r}")
        return self


@dataclass(frozen=True)
class BoilerplateRules:
    """Compiled line rules plus extra stop words, ready for :func:`clean`."""

    rules: tuple[LineRule, ...]
    exact: dict[str, str]  # exact key -> rule id
    #: Rules anchored at the line start: (max line length, one combined regex of every rule
    #: allowed at that length, group -> rule id), by increasing length; the last level
    #: (length ``None``) holds the rules without ``max_len``.
    anchored: tuple[tuple[int | None, re.Pattern[str] | None, dict[str, str]], ...]
    #: Other rules, searched one by one: (id, regex, max_len, trigger words or None).  A rule
    #: with trigger words is only tried on a line containing one of them (the first word of
    #: each alternative of its pattern), which keeps long body paragraphs cheap.
    floating: tuple[tuple[str, re.Pattern[str], int | None, frozenset[str] | None], ...]
    extra_stopwords: dict[str, frozenset[str]]

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
        if size <= 120:
            rid = self.exact.get(_strip_edges(n) or n)
            if rid is not None:
                return rid
        for limit, rx, names in self.anchored:
            if limit is None or size <= limit:
                if rx is not None:
                    m = rx.match(n)
                    if m:
                        return names[m.lastgroup]
                break
        words = None
        for rid, rx, max_len, triggers in self.floating:
            if max_len is not None and size > max_len:
                continue
            if triggers is not None:
                if words is None:
                    words = set(tokens) if tokens is not None else set(_TOKEN.findall(n))
                if triggers.isdisjoint(words):
                    continue
            if rx.search(n):
                return rid
        return None


def load_rules(rules_dir: Path = BOILERPLATE_DIR) -> BoilerplateRules:
    """Load and validate ``lines.tsv`` (+ ``stopwords_extra.tsv``); cached for the default folder."""
    if Path(rules_dir) == BOILERPLATE_DIR:
        return _default_rules()
    return _build_rules(Path(rules_dir))


@lru_cache(maxsize=1)
def _default_rules() -> BoilerplateRules:
    return _build_rules(BOILERPLATE_DIR)


def _build_rules(rules_dir: Path) -> BoilerplateRules:
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
    anchored = [row for row in searched if _is_anchored(row[1])]
    kinds = {r.id: r for r in rules}
    floating = tuple((rid, re.compile(pat), m, _contains_trigger(kinds[rid]) or _trigger_words(pat))
                     for rid, pat, m in searched if not _is_anchored(pat))
    extra: dict[str, set[str]] = {}
    sw_path = rules_dir / "stopwords_extra.tsv"
    if sw_path.exists():
        for _, row in load_tsv(sw_path, StopwordRow):
            extra.setdefault(row.lang, set()).add(fold(row.word))
    return BoilerplateRules(rules=rules, exact=exact, anchored=_levels(anchored), floating=floating,
                            extra_stopwords={k: frozenset(v) for k, v in extra.items()})


def _is_anchored(pattern: str) -> bool:
    """Whether every alternative of a regex starts with ``^`` (so ``match`` can be used)."""
    from re import _parser  # noqa: PLC0415 - stdlib regex parser

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
    from re import _parser  # noqa: PLC0415

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
    words = _TOKEN.findall(norm_line(rule.pattern))
    return frozenset({max(words, key=len)}) if words else None


def _trigger_words(pattern: str) -> frozenset[str] | None:
    """One required word per alternative of a regex (its longest whole literal word).

    ``None`` when some alternative does not start with a whole literal word: such a
    rule is tried on every line short enough for it.
    """
    from re import _parser  # noqa: PLC0415

    words = set()
    for prefix, _ in _literal_heads(list(_parser.parse(pattern))):
        whole = [m.group() for m in re.finditer(r"[^\W_]+", prefix) if m.end() < len(prefix)]
        if not whole or not re.match(r"[^\W_]", prefix):
            return None
        words.add(max(whole, key=len))
    return frozenset(words) or None


def _levels(rows: list[tuple[str, str, int | None]]):
    """Combine rules into one regex per line-length level (see :class:`BoilerplateRules`)."""
    limits = sorted({m for _, _, m in rows if m is not None})
    levels = []
    for limit in [*limits, None]:
        chosen = [(rid, pat) for rid, pat, m in rows if m is None or (limit is not None and m >= limit)]
        names = {f"r{i}": rid for i, (rid, _) in enumerate(chosen)}
        rx = re.compile("|".join(f"(?P<r{i}>{pat})" for i, (_, pat) in enumerate(chosen))) \
            if chosen else None
        levels.append((limit, rx, names))
    return tuple(levels)


# -- stoplists --------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=32)
def _justext_stoplist(lang: str) -> frozenset[str]:
    name = JUSTEXT_LANGS.get(lang)
    if name is None:
        return frozenset()
    try:
        import justext

        return frozenset(fold(w) for w in justext.get_stoplist(name))
    except (ValueError, OSError, ImportError):  # pragma: no cover - justext always ships these
        return frozenset()


def stoplist(lang: str, rules: BoilerplateRules | None = None) -> frozenset[str]:
    """The justext stoplist of ``lang`` (ISO 639-1) plus the extra words of the rules, folded."""
    extra = (rules or load_rules()).extra_stopwords.get(lang)
    return _with_extra(lang, extra) if extra else _justext_stoplist(lang)


@lru_cache(maxsize=64)
def _with_extra(lang: str, extra: frozenset[str]) -> frozenset[str]:
    return _justext_stoplist(lang) | extra


# -- dump repetition ------------------------------------------------------------

_DIGITS = re.compile(r"\d+")
_NONWORD = re.compile(r"[\W_]+")


def line_key(line: str) -> str:
    """A short hash of a line's normalised form (case, accents, digits, punctuation ignored)."""
    n = _NONWORD.sub(" ", _DIGITS.sub("0", fold(line))).strip()
    if not n:
        return ""
    return hashlib.blake2b(n.encode("utf-8"), digest_size=8).hexdigest()


class ChromeCounter:
    """Counts, over a dump, in how many articles each short/medium line occurs.

    Only hashes of lines up to :data:`MAX_CHROME_CHARS` characters are kept,
    once per article; when the table grows past ``max_keys`` the keys seen in a
    single article are pruned, so memory stays bounded on huge dumps.
    """

    def __init__(self, *, max_keys: int = 500_000, max_chars: int = MAX_CHROME_CHARS):
        self.counts: Counter[str] = Counter()
        self.articles = 0
        self.max_keys = max_keys
        self.max_chars = max_chars

    def add(self, text: str | None) -> None:
        self.articles += 1
        if not text:
            return
        keys = {line_key(ln) for ln in text.splitlines() if 0 < len(ln.strip()) <= self.max_chars}
        keys.discard("")
        self.counts.update(keys)
        if len(self.counts) > self.max_keys:
            self.counts = Counter({k: c for k, c in self.counts.items() if c > 1})

    def chrome(self, min_articles: int = 3, min_share: float = 0.3) -> frozenset[str]:
        """Keys of lines found in at least ``min_articles`` and ``min_share`` of the articles."""
        need = max(min_articles, math.ceil(min_share * self.articles))
        return frozenset(k for k, c in self.counts.items() if c >= need)


# -- line features ----------------------------------------------------------------

_LINK = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.\w[\w.]*|\[email[\s\xa0]protected\]"
                   r"|(?<![\w@])@\w{2,}|(?<![\w&])#\w{2,}")
_LINK_HINT = re.compile(r"[@#]|://|www\.|\[email")
_TERMINALS = frozenset(".!?…。！？؟।")
_CLOSERS = "」』\"'»”’)] \u00a0"


def _sentence_end(text: str) -> bool:
    """Whether a line ends like a sentence (final . ! ? … before closing quotes/brackets)."""
    return text.rstrip(_CLOSERS)[-1:] in _TERMINALS
_CAMEL = re.compile(r"[A-ZÀ-Þ][a-zß-ÿ]{3,}[A-ZÀ-Þ][a-zß-ÿ]{3,}")
_NAV_SEP = re.compile(r"\s[|•·›»>/]\s|\s*\|\s*")
_LETTER = re.compile(r"[^\W\d_]")
_LETTERS = re.compile(r"[^\W\d_]")
_KW_SPLIT = re.compile(r"\s*[,;|]\s*")


@dataclass(slots=True)
class _Line:
    index: int
    text: str
    cls: str  # good | near | short | bad | meta (a byline/date line: dropped, transparent to context)
    reason: str
    score: float
    hard: bool = False  # rule / dump decisions are never revised
    heading: bool = False
    chars: int = 0
    words: int = 0
    stop: float = 0.0
    fallback: tuple[str, str] | None = None  # density verdict of a dump.repeated line


def _density(tokens: list[str], stops: frozenset[str]) -> float:
    if not tokens:
        return 0.0
    return sum(map(stops.__contains__, tokens)) / len(tokens)


def _keyword_list(text: str, stop: float) -> bool:
    """An SEO tag line: many short comma-separated noun phrases, no sentence."""
    if _sentence_end(text) or stop >= 0.2:
        return False
    segs = [s for s in _KW_SPLIT.split(text) if s]
    if len(segs) < 5:
        return False
    short = sum(1 for s in segs if len(s.split()) <= 5)
    return short / len(segs) >= 0.8


def _nav_label(text: str, words: int) -> bool:
    """Glued or separated navigation labels ("Maroc DiplomatiquePolitique", "A | B | C")."""
    if _sentence_end(text):
        return False
    if words <= 6 and _CAMEL.search(text):
        return True
    parts = [p for p in _NAV_SEP.split(text) if p.strip()]
    return len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts)


def _article_stoplists(text: str, rules: BoilerplateRules) -> tuple[str, tuple[frozenset[str], ...]]:
    """Language of the article (py3langid on its longest lines) and the stoplists to score it with."""
    lang, prob = detect_language(text)
    primary = stoplist(lang, rules) if prob >= 0.5 else frozenset()
    if primary:
        return lang, (primary,)
    if prob >= 0.7 and lang not in JUSTEXT_LANGS and lang not in FALLBACK_LANGS:
        return lang, ()  # a language without a stoplist (Chinese, Japanese, Thai...): length only
    return "und", tuple(stoplist(code, rules) for code in FALLBACK_LANGS)


def _classify(idx: int, text: str, rules: BoilerplateRules, chrome: frozenset[str],
              stoplists: tuple[frozenset[str], ...]) -> _Line:
    chars = len(text)
    folded = norm_line(text)
    tokens = _TOKEN.findall(folded)
    rid = rules.match(text, folded=folded, tokens=tokens)
    if rid is not None:
        return _Line(idx, text, "bad", rid, 0.0, hard=True, chars=chars)
    ln = _classify_density(idx, text, chars, tokens, stoplists)
    if chrome and chars <= MAX_CHROME_CHARS and line_key(text) in chrome:
        # recurring in the dump: dropped, but the density verdict is kept in case the
        # whole article recurs (a wire story reprinted by several sites of a small dump)
        ln.fallback = (ln.cls, ln.reason)
        ln.cls, ln.reason, ln.hard = "bad", "dump.repeated", True
    return ln


def _classify_density(idx: int, text: str, chars: int, tokens: list[str],
                      stoplists: tuple[frozenset[str], ...]) -> _Line:

    words = len(tokens)
    if not stoplists:
        # no stoplist for this language (Chinese, Japanese, Thai...): length and punctuation alone
        sentence = _sentence_end(text)
        good = chars >= LENGTH_LOW // 2 and (sentence or chars >= LENGTH_HIGH)
        score = 1.0 if good else round(min(1.0, chars / LENGTH_HIGH) / 2, 3)
        cls = "good" if good else "short" if chars < LENGTH_HIGH else "bad"
        return _Line(idx, text, cls, f"length:len={chars}", score, chars=chars, words=words, stop=0.0)
    stop = _density(tokens, stoplists[0])
    if len(stoplists) > 1 or (stoplists and stop < STOP_LOW and chars >= LENGTH_LOW):
        # unknown language, or a line in another language than the article's
        others = stoplists[1:] if len(stoplists) > 1 else tuple(
            _justext_stoplist(c) for c in FALLBACK_LANGS)
        stop = max([stop] + [_density(tokens, s) for s in others])
    links = len(_LINK.findall(text)) if _LINK_HINT.search(text) else 0
    link_density = links / max(words, 1)
    sentence = _sentence_end(text)
    score = round(min(1.0, stop / STOP_HIGH) * min(1.0, chars / LENGTH_HIGH), 3)
    feat = f"stop={stop:.2f},len={chars}"

    def line(cls: str, reason: str) -> _Line:
        return _Line(idx, text, cls, reason, score, chars=chars, words=words, stop=stop)

    if _LETTER.search(text) is None:
        return line("bad", f"density:noletters,len={chars}")
    if link_density > MAX_LINK_DENSITY and (words <= 40 or link_density > 0.5):
        return line("bad", f"links:{link_density:.2f},len={chars}")
    if _keyword_list(text, stop):
        return line("bad", f"keywords:{feat}")
    if words <= 12 and _nav_label(text, words):
        return line("bad", f"nav:{feat}")
    if chars <= 120 and not _sentence_end(text) and is_meta_line(text):
        return line("meta", f"meta:{feat}")
    if words <= 8 and text.isupper() and len(_LETTERS.findall(text)) >= 3:
        return line("short", f"caps:{feat}")
    if chars < LENGTH_LOW:
        if sentence and words >= 6 and stop >= STOP_LOW:
            return line("near", f"density:{feat}")
        return line("short", f"density:{feat}")
    if stop >= STOP_HIGH:
        if chars > LENGTH_HIGH or (sentence and chars >= LENGTH_SENTENCE_GOOD):
            return line("good", f"density:{feat}")
        return line("near", f"density:{feat}")
    if stop >= STOP_LOW:
        return line("near", f"density:{feat}")
    if stop >= 0.2 and sentence:  # a sentence with many names/figures: let the context decide
        return line("short", f"density:{feat}")
    return line("bad", f"density:{feat}")


# -- context ----------------------------------------------------------------------

def _neighbour(lines: list[_Line], i: int, step: int, ignore_near: bool) -> str:
    j = i + step
    while 0 <= j < len(lines):
        c = lines[j].cls
        if c == "short" or c == "meta" or (ignore_near and c == "near"):
            j += step
            continue
        return c
    return "bad"


def _revise(lines: list[_Line]) -> None:
    """jusText context revision of ``short`` then ``near`` lines."""
    new = [ln.cls for ln in lines]
    for i, ln in enumerate(lines):
        if ln.cls != "short":
            continue
        prev = _neighbour(lines, i, -1, True)
        nxt = _neighbour(lines, i, 1, True)
        if prev == nxt == "good":
            new[i] = "good"
        elif prev == nxt == "bad":
            new[i] = "bad"
        elif (prev == "bad" and _neighbour(lines, i, -1, False) == "near") or \
             (nxt == "bad" and _neighbour(lines, i, 1, False) == "near"):
            new[i] = "good"
        else:
            new[i] = "bad"
    for i, ln in enumerate(lines):
        if ln.cls == "short":
            ln.cls = new[i]
            ln.reason = "context:" + ln.reason
    for i, ln in enumerate(lines):
        if ln.cls != "near":
            continue
        prev = _neighbour(lines, i, -1, True)
        nxt = _neighbour(lines, i, 1, True)
        new[i] = "bad" if prev == nxt == "bad" else "good"
    for i, ln in enumerate(lines):
        if ln.cls == "near":
            ln.cls = new[i]
            ln.reason = "context:" + ln.reason


def _is_heading(ln: _Line) -> bool:
    t = ln.text
    return (ln.cls == "short" and 3 <= ln.words <= 15 and not _sentence_end(t)
            and not t.endswith(":") and (t[0].isupper() or t[0].isdigit() or t[0] in "«\"“")
            and not ln.reason.startswith("caps") and not is_meta_line(t))


def _apply_context(lines: list[_Line]) -> None:
    if not lines:
        return
    if not any(ln.cls == "good" for ln in lines):
        # a short article: its sentence-like lines are the body
        for ln in lines:
            if ln.cls == "near":
                ln.cls = "good"
                ln.reason = "short-article:" + ln.reason
    first_good = next((i for i, ln in enumerate(lines) if ln.cls == "good"), len(lines))
    # the headline: the first headline-like line above the first paragraph, preferring
    # one of several words over a short label such as the site's name
    candidates = [i for i, ln in enumerate(lines[:min(first_good, HEADLINE_WINDOW)])
                  if (ln.cls in ("short", "near") or (ln.cls == "bad" and ln.reason.startswith("density:")))
                  and not ln.reason.startswith("caps") and headline_like(ln.text)]
    # ... and when three or more such lines stack up above the body they are a list of
    # other stories (a "trending" bar): the headline is the last one, just above the body
    strong = [i for i in candidates if lines[i].words >= HEADLINE_MIN_WORDS] or candidates
    head = None if not strong else strong[-1] if len(strong) >= 3 else strong[0]
    if head is not None:
        for ln in lines[:head]:
            if ln.cls in ("short", "near"):
                ln.cls, ln.reason = "bad", "head:" + ln.reason
        hl = lines[head]
        hl.cls, hl.reason, hl.score = "good", "headline", max(hl.score, 0.5)
    start = head + 1 if head is not None else first_good
    # a subheading directly followed by a paragraph is a near-good line
    for i in range(start, len(lines) - 1):
        ln = lines[i]
        if _is_heading(ln) and lines[i + 1].cls == "good":
            ln.cls, ln.heading = "near", True
            ln.reason = "heading:" + ln.reason
    _revise(lines)


# -- stage --------------------------------------------------------------------------

def clean(text: str, *, rules: BoilerplateRules | None = None,
          chrome: frozenset[str] = frozenset()) -> Cleaned:
    """Split a raw article into lines, keep the body and drop the chrome."""
    rules = rules or load_rules()
    raw = text.splitlines() if text else []
    entries = [(i, ln.strip()) for i, ln in enumerate(raw) if ln.strip()]
    if not entries:
        return Cleaned(body="", lines=(), offsets=())
    _, stoplists = _article_stoplists(text, rules)
    lines = [_classify(i, t, rules, chrome, stoplists) for i, t in entries]
    if chrome and not any(ln.cls == "good" for ln in lines):
        # the dump's recurring lines would leave no paragraph: the article itself recurs
        # (a duplicate or a reprint), so only its non-paragraph recurring lines go
        for ln in lines:
            if ln.fallback and ln.fallback[0] in ("good", "near"):
                ln.cls, ln.reason = ln.fallback
                ln.hard, ln.reason = False, "dump.article-repeated:" + ln.reason
    _apply_context(lines)

    decisions = []
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for ln in lines:
        keep = ln.cls == "good"
        decisions.append(LineDecision(index=ln.index, text=ln.text, keep=keep, reason=ln.reason,
                                      score=ln.score))
        if keep:
            if parts:
                pos += 2
            offsets.append((ln.index, pos))
            parts.append(ln.text)
            pos += len(ln.text)
    return Cleaned(body="\n\n".join(parts), lines=tuple(decisions), offsets=tuple(offsets))


def chrome_of(texts: Iterable[str], min_articles: int = 3, min_share: float = 0.3) -> frozenset[str]:
    """Convenience: the recurring line keys of a collection of raw texts."""
    counter = ChromeCounter()
    for t in texts:
        counter.add(t)
    return counter.chrome(min_articles, min_share)


# -- HTML -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HtmlDoc:
    """Text extracted from an HTML page: main text (one paragraph a line) and metadata."""

    text: str
    title: str | None = None
    published: str | None = None
    language: str | None = None


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([a-zA-Z]{2,3})\b", re.IGNORECASE)


def html_to_text(html: str, *, url: str | None = None) -> HtmlDoc:
    """Main text, title, date and language of an HTML page; never raises (empty text on junk)."""
    if not html or not isinstance(html, str) or "<" not in html:
        return HtmlDoc(text=(html or "").strip() if isinstance(html, str) else "")
    text, title, published, language = "", None, None, None
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=True, include_formatting=False)
        if doc is not None:
            data = doc if isinstance(doc, dict) else doc.as_dict()
            text = data.get("text") or ""
            title = data.get("title") or None
            date_value = data.get("date") or None
            if date_value and _ISO_DAY.match(str(date_value)):
                published = str(date_value)[:10]
            language = data.get("language") or None
    except Exception as err:  # noqa: BLE001 - junk HTML must not stop a run
        log.debug("trafilatura failed on %s: %s", url, err)
    if published is None:
        try:
            import htmldate

            found = htmldate.find_date(html, original_date=True, outputformat="%Y-%m-%d",
                                       extensive_search=True)
            if found and _ISO_DAY.match(found):
                published = found[:10]
        except Exception as err:  # noqa: BLE001
            log.debug("htmldate failed on %s: %s", url, err)
    if language is None:
        m = _HTML_LANG.search(html[:5000])
        language = m.group(1).lower() if m else None
    lines = [ln.strip() for ln in text.splitlines()]
    text = "\n".join(ln for ln in lines if ln)
    title = " ".join(title.split()) if title else None
    return HtmlDoc(text=text, title=title or None, published=published, language=language)
