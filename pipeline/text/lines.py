"""What a single line of an article looks like: a byline/date line, a headline, its chrome key.

Shared by the clean stage, the metadata stage and the dump-level chrome pre-pass
(:mod:`pipeline.passes.chrome`).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from pipeline.text.datelines import DateRules, date_in_line
from pipeline.text.fold import fold_line, fold_words

_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
_NONWORD = re.compile(r"[\W_]+")
_BYLINE_START = re.compile(
    r"^(?:par|by|von|por|di|redige par|ecrit par|written by|posted by|publie par)\s?:?\s", re.I)
_LINKISH = re.compile(r"https?://|www\.|@\w|\[email")
#: a byline whose mark a dump glued to the name ("PorJuan Pérez", "VonAnna Schmidt"; not "By": "ByteDance")
_GLUED_BYLINE = re.compile(r"^(?:Par|Por|Von|Door|Per)(?=[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ])")
#: a Japanese or Chinese stamp without a year: month/day, the weekday in brackets, a clock time
#: ("5/14(火) 7:30配信", "11/2（水）9:05")
_CJK_STAMP = re.compile(r"(?<!\d)\d{1,2}/\d{1,2}\s*[(（][月火水木金土日][)）]\s*\d{1,2}:\d{2}(?!\d)")
#: a sentence ending inside a line: "word. Next", "word? «Next" (not after an initial or "Dr.")
_INNER_END = re.compile(r"(?<=[a-zß-öø-ÿ]{2})[.!?…]['\"”»’)]?\s+[\"“«'‘(¿¡]?[^\W\d_a-z]")
#: a photo credit closing a caption: "..., Jean Exemple / AFP" (a phrase with a comma or a period), "(Jane Roe/Agence/X)",
#: an agency in capitals after the caption's sentence ("... samedi. AFP", "... en mars. ARCHIVES AFP")
_CREDIT_TAIL = re.compile(r"[,.].*\s/\s?[^\W\d_][\w.-]*(?:\s[^\W\d_][\w.-]*)?\)?$"
                          r"|\([^()]*[^\W\d_]/[^\W\d_][^()]*\)$"
                          r"|(?<=[a-zß-öø-ÿ]{2})\.\s+[A-ZÀ-ÖØ-Þ]{2,}(?:\s[A-ZÀ-ÖØ-Þ]{2,})?$")
#: an abbreviation closing a line ("... in N.Y.C.", "... the U.S."): no sentence end
_ABBREV_END = re.compile(r"(?:^|[\s(])(?:[^\W\d_a-z]\.){2,}$")
#: a lower-case letter glued to a capital: one per brand name ("iPhone", "DevSecOps"), many in a glued menu
_GLUED = re.compile(r"[a-zß-öø-ÿ][A-ZÀ-ÖØ-Þ]")
#: Han, kana and hangul: scripts written without spaces between words
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def glued_pairs(line: str) -> int:
    """Lower-case letters glued to a capital: one per brand name ("JavaScript"), many in a glued menu."""
    return len(_GLUED.findall(line))


def word_count(line: str) -> int:
    """Words of a line; in scripts written without spaces, one per two characters."""
    return max(len(line.split()), len(_CJK.findall(line)) // 2)


@lru_cache(maxsize=8192)
def line_key(line: str) -> str:
    """A short hash of a line's normalised form (case, accents, digits, punctuation ignored).

    Cached (bounded): the dump's chrome pre-pass and the clean stage key the same lines, and a
    dump repeats its chrome from page to page."""
    n = _NONWORD.sub(" ", _DIGITS.sub("0", fold_words(line))).strip()
    if not n:
        return ""
    return hashlib.blake2b(n.encode("utf-8"), digest_size=8).hexdigest()


def is_meta_line(line: str, rules: DateRules, *, short_line: int) -> bool:
    """A short byline or date line ("Par X", "Publié le 3 mars 2024", "2026-01-28 par X").

    ``short_line``: a line longer than this (folded) is a paragraph, never a meta line.
    """
    n = fold_line(line)
    if len(n) > short_line:
        return False
    if _BYLINE_START.match(n):
        words = len(n.split())
        if words <= 10 and (words <= 5 or n.rstrip(" »\"')")[-1:] not in ".!?"):
            return True
    if rules.upd_any.search(n) and _DIGIT.search(n):
        return True
    if _GLUED_BYLINE.match(line) and len(n.split()) <= 5 and n.rstrip(" »\"')")[-1:] not in ".!?":
        return True
    if _CJK_STAMP.search(line):
        return True
    return date_in_line(line, rules, short_line=short_line, long_ok=False) is not None


#: a word of four letters or more
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _title_case(t: str) -> bool:
    """A line in title case ("So Are Our Readers.", "Looking for Better Libraries?"): every word of four
    letters or more capitalised, at least four such words; an English headline however it ends."""
    words = _LONG_WORD.findall(t)
    return len(words) >= 4 and all(w[0].isupper() for w in words) and not t.isupper()


def headline_like(line: str, rules: DateRules, *, short_line: int) -> bool:
    """Whether a line could be a headline: a few words, no final period, no byline/date."""
    t = line.strip()
    words = word_count(t)
    if not ((12 <= len(t) or (words >= 4 and _CJK.search(t))) and len(t) <= 250 and 3 <= words <= 40):
        return False
    if t[-1] in ".:;,|。：；，" and not t.endswith("...") and not _ABBREV_END.search(t) \
            and not (t[-1] == "." and _title_case(t)):
        return False
    if len(_INNER_END.findall(t)) >= 2:
        return False  # three sentences or more: a caption or a standfirst, not a headline
    if not (t[0].isalnum() or t[0] in "«\"“'‘¿¡["):
        return False
    first = t.split()[0]
    if first[0].isalpha() and first.islower():
        return False  # a wrapped fragment or a sentence tail, not a headline ("iPhone", "15-year-old" are fine)
    if t.isupper() and words < 5:
        return False
    if glued_pairs(t) >= 3:
        return False  # menu labels glued together ("AccueilPolitiqueÉconomieSport")
    if _LINKISH.search(t) or _CREDIT_TAIL.search(t):
        return False
    return not is_meta_line(t, rules, short_line=short_line)
