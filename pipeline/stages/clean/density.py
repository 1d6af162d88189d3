"""Text-density classification of one line, in the manner of jusText.

Stop-word density (the justext stoplist of the article's language, detected with
py3langid), length, sentence punctuation, link-like tokens, SEO keyword lists, all-caps
labels and glued navigation labels give each line a class: ``good``, ``near`` (near-good),
``short``, ``bad`` or ``meta`` (a byline/date line).  A line rule hit
(:mod:`pipeline.stages.clean.rules`) or a dump-recurring line (``dump.repeated``) is
``bad`` and final.  The thresholds are the ``[clean]`` settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.stages.clean.rules import TOKEN, BoilerplateRules, load_rules, norm_line
from pipeline.text.fold import fold_words
from pipeline.text.language import detect_language, language_sample
from pipeline.text.lines import is_meta_line, line_key

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


# -- stoplists --------------------------------------------------------------------

@lru_cache(maxsize=32)
def _justext_stoplist(lang: str) -> frozenset[str]:
    name = JUSTEXT_LANGS.get(lang)
    if name is None:
        return frozenset()
    try:
        import justext

        return frozenset(fold_words(w) for w in justext.get_stoplist(name))
    except (ValueError, OSError, ImportError):  # pragma: no cover - justext always ships these
        return frozenset()


def stoplist(lang: str, rules: BoilerplateRules | None = None) -> frozenset[str]:
    """The justext stoplist of ``lang`` (ISO 639-1) plus the extra words of the rules, folded."""
    extra = (rules or load_rules()).extra_stopwords.get(lang)
    return _with_extra(lang, extra) if extra else _justext_stoplist(lang)


@lru_cache(maxsize=64)
def _with_extra(lang: str, extra: frozenset[str]) -> frozenset[str]:
    return _justext_stoplist(lang) | extra


# -- line features ----------------------------------------------------------------

_LINK = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.\w[\w.]*|\[email[\s\xa0]protected\]"
                   r"|(?<![\w@])@\w{2,}|(?<![\w&])#\w{2,}")
_LINK_HINT = re.compile(r"[@#]|://|www\.|\[email")
_TERMINALS = frozenset(".!?…。！？؟।")
_CLOSERS = "」』\"'»”’)] \u00a0"


#: emoji and pictographs, their modifiers and joiners, and U+FFFD (a broken character) after a sentence's end
_TRAILING_SYMBOLS = re.compile(r"[\s\u00a0\u200d\ufe0f\ufffd\u2600-\u27bf\U0001f000-\U0001faff]+$")


def sentence_end(text: str) -> bool:
    """Whether a line ends like a sentence (final . ! ? … before closing quotes/brackets, emoji
    or a broken character)."""
    end = text.rstrip(_CLOSERS)[-1:]
    if end in _TERMINALS:
        return True
    if end and (end >= "\u2600" or end == "\ufffd"):
        return _TRAILING_SYMBOLS.sub("", text).rstrip(_CLOSERS)[-1:] in _TERMINALS
    return False


_CAMEL = re.compile(r"[A-ZÀ-Þ][a-zß-ÿ]{3,}[A-ZÀ-Þ][a-zß-ÿ]{3,}")
_NAV_SEP = re.compile(r"\s[|•·›»>/]\s|\s*\|\s*")
_LETTER = re.compile(r"[^\W\d_]")
#: a live feed's stamp alone on its line: a match minute ("88'", "90'+3") or a clock time ("14h32", "14:32")
_STAMP = re.compile(r"^\s*(?:\d{1,3}\s?['’′](?:\s?\+\s?\d{1,2})?|\d{1,2}\s?[h:]\s?\d{2})\s*$")
_KW_SPLIT = re.compile(r"\s*[,;|]\s*")


@dataclass(slots=True)
class Line:
    """One non-empty raw line while it is being judged."""

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


def _keyword_list(text: str, stop: float, s) -> bool:
    """An SEO tag line: many short comma-separated noun phrases, no sentence."""
    if sentence_end(text) or stop >= s.keywords_max_stop:
        return False
    segs = [x for x in _KW_SPLIT.split(text) if x]
    if len(segs) < s.keywords_min_parts:
        return False
    short = sum(1 for x in segs if len(x.split()) <= s.keywords_part_words)
    return short / len(segs) >= s.keywords_short_share


def _nav_label(text: str, words: int, s) -> bool:
    """Glued or separated navigation labels ("Maroc DiplomatiquePolitique", "A | B | C")."""
    if sentence_end(text):
        return False
    if words <= s.nav_glued_max_words and _CAMEL.search(text):
        return True
    parts = [p for p in _NAV_SEP.split(text) if p.strip()]
    return len(parts) >= s.nav_min_parts and all(len(p.split()) <= s.nav_part_words for p in parts)


#: the language is detected again on a wider sample when at least this share of the longest lines'
#: characters reads as another language (it only decides to look wider: the wider sample decides)
FOREIGN_SAMPLE_SHARE = 0.25


def _foreign_sample(text: str, stops: frozenset[str], settings) -> bool:
    """Part of the page's longest lines reads as another language than ``stops``'.

    The lines of a wide sample (``lang_sample_wide_chars``) whose stop-word density is under
    ``stop_low`` hold at least :data:`FOREIGN_SAMPLE_SHARE` of its characters: an article in
    Greek under long English cookie notices reads so with the English stoplist.
    """
    sample = language_sample(text, settings.lang_sample_wide_chars, settings.lang_min_line).splitlines()
    foreign = sum(len(x) for x in sample if _density(TOKEN.findall(norm_line(x)), stops) < settings.stop_low)
    return foreign >= FOREIGN_SAMPLE_SHARE * sum(map(len, sample))


def article_stoplists(text: str, rules: BoilerplateRules, settings) -> tuple[str, tuple[frozenset[str], ...]]:
    """Language of the article (py3langid on its longest lines) and the stoplists to score it with."""
    lang, prob = detect_language(text, sample_chars=settings.lang_sample_chars,
                                 min_line=settings.lang_min_line, min_letters=settings.lang_min_letters)
    primary = stoplist(lang, rules) if prob >= settings.stoplist_min_prob else frozenset()
    if primary and _foreign_sample(text, primary, settings):
        # the longest line (a cookie or consent notice in English) is not in the article's language:
        # a wider sample of the longest lines decides
        lang, prob = detect_language(text, sample_chars=settings.lang_sample_wide_chars,
                                     min_line=settings.lang_min_line, min_letters=settings.lang_min_letters)
        primary = stoplist(lang, rules) if prob >= settings.stoplist_min_prob else frozenset()
    if primary:
        return lang, (primary,)
    if (prob >= settings.no_stoplist_min_prob and lang not in JUSTEXT_LANGS
            and lang not in settings.fallback_langs):
        return lang, ()  # a language without a stoplist (Chinese, Japanese, Thai...): length only
    return "und", tuple(stoplist(code, rules) for code in settings.fallback_langs)


#: distinct lines whose first verdict is remembered per rules, settings and stoplists (a dump repeats
#: its chrome from page to page); past this many the memo starts again
MEMO_LINES = 8192
#: memos kept at once (one per article language's stoplists in practice)
MEMO_TABLES = 16
_MEMOS: dict[tuple, tuple[BoilerplateRules, object, dict[str, tuple]]] = {}


def verdict_memo(rules: BoilerplateRules, stoplists: tuple[frozenset[str], ...], settings) -> dict[str, tuple]:
    """The memo of :func:`classify`'s verdicts for these rules, stoplists and settings (the verdict of a
    line depends on nothing else).  The rules and settings objects are held, so their ids stay theirs."""
    key = (id(rules), id(settings), stoplists)
    entry = _MEMOS.get(key)
    if entry is None or entry[0] is not rules or entry[1] is not settings:
        if len(_MEMOS) >= MEMO_TABLES:
            _MEMOS.clear()
        entry = _MEMOS[key] = (rules, settings, {})
    return entry[2]


def _verdict(text: str, rules: BoilerplateRules, stoplists: tuple[frozenset[str], ...], settings) -> tuple:
    """A line's first verdict as (cls, reason, score, hard, chars, words, stop): a rule, else its density class."""
    chars = len(text)
    folded = norm_line(text)
    tokens = TOKEN.findall(folded)
    rid = rules.match(text, folded=folded, tokens=tokens)
    if rid is not None:
        return "bad", rid, 0.0, True, chars, 0, 0.0
    ln = _classify_density(0, text, chars, tokens, stoplists, rules, settings)
    return ln.cls, ln.reason, ln.score, ln.hard, ln.chars, ln.words, ln.stop


def classify(idx: int, text: str, rules: BoilerplateRules, chrome: frozenset[str],
             stoplists: tuple[frozenset[str], ...], settings, memo: dict[str, tuple] | None = None) -> Line:
    """The first verdict on one line: a rule, a dump-recurring line, else its density class.

    ``memo``: :func:`verdict_memo` of the same rules, stoplists and settings (optional)."""
    v = memo.get(text) if memo is not None else None
    if v is None:
        v = _verdict(text, rules, stoplists, settings)
        if memo is not None:
            if len(memo) >= MEMO_LINES:
                memo.clear()
            memo[text] = v
    cls, reason, score, hard, chars, words, stop = v
    ln = Line(idx, text, cls, reason, score, hard=hard, chars=chars, words=words, stop=stop)
    if hard:
        return ln
    if chrome and chars <= settings.max_chrome_chars and not ln.reason.startswith("stamp") and line_key(text) in chrome:
        # recurring in the dump: dropped, but the density verdict is kept in case the
        # whole article recurs (a wire story reprinted by several sites of a small dump);
        # a live feed's stamp is dropped anyway and stays one (its digits are folded
        # away by the key, so "88'" recurs wherever a page prints a bare number)
        ln.fallback = (ln.cls, ln.reason)
        ln.cls, ln.reason, ln.hard = "bad", "dump.repeated", True
    return ln


#: an HTML or XML tag printed as text ("<div class=...>", "</p>")
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]{0,400})?/?>")
#: a line with at least this many tags making at least this share of its characters is markup, no paragraph
MARKUP_MIN_TAGS = 2
MARKUP_SHARE = 0.3


def markup(text: str) -> bool:
    """HTML or XML code printed as text (a page's script fallback, an ad's or a counter's tags)."""
    if "<" not in text:
        return False
    tags = _TAG.findall(text)
    return len(tags) >= MARKUP_MIN_TAGS and sum(map(len, tags)) >= MARKUP_SHARE * len(text)


def _classify_density(idx: int, text: str, chars: int, tokens: list[str],
                      stoplists: tuple[frozenset[str], ...], rules: BoilerplateRules, s) -> Line:
    words = len(tokens)
    if markup(text):
        return Line(idx, text, "bad", f"markup:len={chars}", 0.0, chars=chars, words=words, stop=0.0)
    if not stoplists:
        # no stoplist for this language (Chinese, Japanese, Thai...): length and punctuation alone
        sentence = sentence_end(text)
        if (chars <= s.meta_max_chars and not sentence
                and is_meta_line(text, rules.dates, short_line=s.meta_short_line)):
            return Line(idx, text, "meta", f"meta:len={chars}", 0.0, chars=chars, words=words, stop=0.0)
        good = chars >= s.length_low // 2 and (sentence or chars >= s.length_high)
        score = 1.0 if good else round(min(1.0, chars / s.length_high) / 2, 3)
        cls = "good" if good else "short" if chars < s.length_high else "bad"
        return Line(idx, text, cls, f"length:len={chars}", score, chars=chars, words=words, stop=0.0)
    stop = _density(tokens, stoplists[0])
    if len(stoplists) > 1 or (stoplists and stop < s.stop_low and chars >= s.length_low):
        # unknown language, or a line in another language than the article's
        others = stoplists[1:] if len(stoplists) > 1 else tuple(
            _justext_stoplist(c) for c in s.fallback_langs)
        stop = max([stop] + [_density(tokens, st) for st in others])
    links = len(_LINK.findall(text)) if _LINK_HINT.search(text) else 0
    link_density = links / max(words, 1)
    sentence = sentence_end(text)
    score = round(min(1.0, stop / s.stop_high) * min(1.0, chars / s.length_high), 3)
    feat = f"stop={stop:.2f},len={chars}"

    def line(cls: str, reason: str) -> Line:
        return Line(idx, text, cls, reason, score, chars=chars, words=words, stop=stop)

    if _STAMP.match(text):
        # a live feed's minute or time stamp ("88'", "14h32"): dropped, transparent to context like a date line
        return line("meta", f"stamp:len={chars}")
    if _LETTER.search(text) is None:
        return line("bad", f"density:noletters,len={chars}")
    if link_density > s.max_link_density and (words <= s.links_max_words or link_density > s.links_hard_density):
        return line("bad", f"links:{link_density:.2f},len={chars}")
    if _keyword_list(text, stop, s):
        return line("bad", f"keywords:{feat}")
    if words <= s.nav_max_words and _nav_label(text, words, s):
        return line("bad", f"nav:{feat}")
    if (chars <= s.meta_max_chars and not sentence_end(text)
            and is_meta_line(text, rules.dates, short_line=s.meta_short_line)):
        return line("meta", f"meta:{feat}")
    if words <= s.caps_max_words and text.isupper() and len(_LETTER.findall(text)) >= 3:
        return line("short", f"caps:{feat}")
    if chars < s.length_low:
        if sentence and words >= s.near_min_words and stop >= s.stop_low:
            return line("near", f"density:{feat}")
        return line("short", f"density:{feat}")
    if stop >= s.stop_high:
        if chars > s.length_high or (sentence and chars >= s.length_sentence_good):
            return line("good", f"density:{feat}")
        return line("near", f"density:{feat}")
    if stop >= s.stop_low:
        return line("near", f"density:{feat}")
    if stop >= s.stop_sentence and sentence:  # a sentence with many names/figures: let the context decide
        return line("short", f"density:{feat}")
    return line("bad", f"density:{feat}")


#: an author box's name line: two to four words (no digits, no sentence end)...
AUTHOR_NAME_WORDS = (2, 4)
#: ... over a paragraph (at least this many characters) that opens with that name
AUTHOR_BIO_MIN_CHARS = 80
#: ... the name on at least this many lines of the page (the box's two and a byline or a second box)
AUTHOR_PRINTS = 3


def _name_line(text: str) -> bool:
    words = text.split()
    lo, hi = AUTHOR_NAME_WORDS
    return (lo <= len(words) <= hi and words[0][:1].isupper() and words[-1][:1].isupper()
            and not any(c.isdigit() for c in text) and not sentence_end(text))


def mark_author_boxes(lines: list[Line]) -> None:
    """An author box: a name alone on its line over a paragraph that opens with that same name
    ("Claire Dubois" / "Claire Dubois est journaliste ...") and printed elsewhere on the page too
    (its byline, another print of the box) is the author's bio, chrome whatever its density (GUIDE:
    author bios), before or after the article: both lines are dropped for good (reason
    ``author-box:``, final for the context and the line model) (in place).  A heading over a
    paragraph that repeats it ("Winterreifen" / "Winterreifen sind ab Oktober ...") is
    not printed a third time."""
    for i in range(1, len(lines)):
        name, bio = lines[i - 1], lines[i]
        if bio.hard or name.hard or bio.chars < AUTHOR_BIO_MIN_CHARS:
            continue
        head = name.text.rstrip(" :,")
        if not (bio.text.startswith(head + " ") and _name_line(head)):
            continue
        if sum(head in ln.text for ln in lines) < AUTHOR_PRINTS:
            continue
        for ln in (name, bio):
            ln.cls, ln.reason, ln.hard = "bad", "author-box:" + ln.reason, True
