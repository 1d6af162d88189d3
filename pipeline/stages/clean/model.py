"""The learned line classifier of the clean stage: a logistic regression over cheap layout features.

The rules (:mod:`.rules`, dump-recurring lines) stay final and the headline stays; for every
other line the model weighs the density and context verdicts (:mod:`.density`,
:mod:`.context`) together with layout features every site shares: the line's length, words,
stop-word density, digit, capital and punctuation shares, its place in the page and against
the article's main run of paragraphs, its neighbours' verdicts and lengths, whether it is
printed twice on the page, whether it holds site-chrome words
(``pipeline/rules/boilerplate/chrome_words.tsv``: share, comment, login, subscription, consent,
legal, related, ad, navigation and media words in several languages), a web address, a
question mark, dates printed in figures around it.  No language model.

The weights are data: ``pipeline/models/lines.json`` (feature names, the standardisation
means and scales, coefficients, intercept, thresholds, version), rebuilt bit for bit by
``scripts/train_lines.py`` from the development pages (cross-validated figures in its
``cv`` entry).  Loading checks the file's schema version and that its feature names are
exactly :data:`FEATURES`, so a model built for other features is an error, never a silent
misreading.
"""

from __future__ import annotations

import json
import math
import operator
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.stages.clean.context import FOOTNOTE
from pipeline.stages.clean.density import Line, sentence_end
from pipeline.stages.clean.rules import TOKEN, load_chrome_words, norm_line
from pipeline.text.lines import word_count

MODEL_FILE = Path(__file__).resolve().parents[2] / "models" / "lines.json"
#: the schema version of the model file this code reads
MODEL_FORMAT = 1

#: Feature names, in the order :func:`features` returns them.
FEATURES: tuple[str, ...] = (
    "ctx_good", "pre_good", "pre_near", "pre_short", "pre_bad", "pre_meta",
    "r_comments", "r_head", "r_heading", "r_label", "r_short_article", "r_stamp", "r_noletters",
    "log_chars", "log_words", "stop", "no_stoplist", "sentence", "ends_colon", "digits", "upper",
    "punct", "seps", "starts_bullet", "dup",
    "in_block", "before_block", "after_block", "dist_block", "rel_pos", "after_head",
    "prev_good", "next_good", "win_good", "prev_hard", "next_hard", "prev_log_chars", "next_log_chars",
    "block_share", "title_shape", "title_after", "title_before", "win_title", "short_after", "good_after",
    "sentence_in_block", "label_colon", "credit", "rel_len", "title_in_block", "next_good_title",
    "voc_share", "voc_short", "voc_kinds", "web_ref", "question", "win_dated",
)

#: digit, capital, punctuation and separator shares are counted on a line's first characters only
SHARE_CHARS = 200
_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[^\W\d_a-zß-ÿ]")  # capital letters (a letter that is not lower case)
_LETTER = re.compile(r"[^\W\d_]")
_PUNCT = re.compile(r"[^\w\s]")
_SEPS = re.compile(r"[|•·▪►»/›>]|\s[-–—]\s")
_BULLET = re.compile(r"^\s*(?:[-–—•·▪►*+]|\d{1,2}[.)])\s")
_LABELS = ("links", "nav", "keywords", "caps")
_LABEL_COLON = re.compile(r"^[^\W\d_]+(?:[ '’][^\W\d_]+){0,2} ?:\s*\S")
_CREDIT = re.compile(r"©|\(c\)|\bfoto\b|\bphoto\b|\bcredit", re.I)
#: a web address, an e-mail address, a handle or a hashtag
_WEB_REF = re.compile(r"https?://|www\.|\w@\w|(?:^|\s)[@#]\w|\.(?:com|org|net|de|fr|es|pl|it)\b")
#: a date printed in figures ("24/09/2019", "2019-09-24", "24.09.19")
_NUM_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b")
#: the vocabulary features look at a line's first words only (a paragraph's are typical)
VOCAB_WORDS = 40


def _title_shape(t: str, words: int) -> bool:
    """A headline's shape: a few words, no final punctuation, a capital or a digit first."""
    return 3 <= words <= 25 and not sentence_end(t) and t[-1:] not in ":;," and (t[:1].isupper() or t[:1].isdigit())


class ModelError(ValueError):
    """The line model file is missing, malformed or built for other features."""


@dataclass(frozen=True)
class LineModel:
    version: str
    means: tuple[float, ...]
    scales: tuple[float, ...]
    coefs: tuple[float, ...]
    intercept: float
    #: a line the rules and context kept goes when the model's probability is below this...
    drop_below: float
    #: ... and a line they dropped stays when it is above this
    keep_above: float

    def keep(self, p: float, kept: bool) -> bool:
        """The verdict on a line the context ``kept`` (or not) given the model's probability ``p``."""
        return p >= self.drop_below if kept else p > self.keep_above

    def __post_init__(self):
        # the standardisation folded into the weights: z = bias + sum(w * x)
        w = tuple(c / s for c, s in zip(self.coefs, self.scales))
        object.__setattr__(self, "_w", w)
        object.__setattr__(self, "_bias", self.intercept - sum(wi * m for wi, m in zip(w, self.means)))

    def proba(self, x: list[float]) -> float:
        z = self._bias + sum(map(operator.mul, self._w, x))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


def parse_model(data: dict, source: str = "<model>") -> LineModel:
    """A :class:`LineModel` from the JSON object of a model file (checked)."""
    try:
        if data.get("format") != MODEL_FORMAT:
            raise ModelError(f"{source}: format {data.get('format')!r}, this code reads {MODEL_FORMAT}")
        names = tuple(data["features"])
        if names != FEATURES:
            missing = sorted(set(FEATURES) - set(names))
            extra = sorted(set(names) - set(FEATURES))
            raise ModelError(f"{source}: features differ from the code's (missing {missing}, extra {extra}, "
                             "or another order): rebuild it with scripts/train_lines.py")
        vecs = [tuple(float(v) for v in data[k]) for k in ("means", "scales", "coefs")]
        if any(len(v) != len(FEATURES) for v in vecs):
            raise ModelError(f"{source}: means, scales and coefs need {len(FEATURES)} values each")
        if any(s <= 0 for s in vecs[1]):
            raise ModelError(f"{source}: scales must be positive")
        drop, keep = float(data["drop_below"]), float(data["keep_above"])
        if not 0.0 <= drop <= keep <= 1.0:
            raise ModelError(f"{source}: need 0 <= drop_below <= keep_above <= 1")
        return LineModel(version=str(data["version"]), means=vecs[0], scales=vecs[1], coefs=vecs[2],
                         intercept=float(data["intercept"]), drop_below=drop, keep_above=keep)
    except (KeyError, TypeError, AttributeError) as e:
        raise ModelError(f"{source}: malformed line model ({type(e).__name__}: {e})") from None


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> LineModel:
    """The line model shipped with the package (cached)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ModelError(f"{path}: cannot read the line model ({e})") from None
    return parse_model(data, str(path))


#: the context's and the line model's marks before a line's first verdict in its reason
REASON_MARKS = ("context:", "head:", "comments:", "thread:", "heading:", "short-article:", "live:",
                "dump.article-repeated:")
_MARKS = re.compile("(?:" + "|".join(map(re.escape, REASON_MARKS)) + ")*")


def _strip_reason(reason: str) -> str:
    """A reason without its leading marks (:data:`REASON_MARKS`, any number, any order)."""
    return reason[_MARKS.match(reason).end():]


@lru_cache(maxsize=8192)
def text_features(t: str) -> tuple:
    """The features of a line read on its text alone (cached, bounded: a dump repeats its chrome):
    sentence end (bool), then colon end, digit, capital, punctuation and separator shares, bullet, label's
    colon, credit, chrome-vocabulary share, few words with chrome vocabulary, chrome kinds, web reference,
    question mark (floats, as :data:`FEATURES` takes them)."""
    head_t = t[:SHARE_CHARS]  # character shares are read on the line's start (a paragraph's is typical)
    sc = len(head_t) or 1
    letters = len(_LETTER.findall(head_t)) or 1
    vocab = load_chrome_words()
    toks = TOKEN.findall(norm_line(head_t))[:VOCAB_WORDS]
    kinds = [vocab[w] for w in toks if w in vocab]
    return (sentence_end(t), float(t.endswith(":")), len(_DIGIT.findall(head_t)) / sc,
            len(_UPPER.findall(head_t)) / letters, len(_PUNCT.findall(head_t)) / sc,
            min(len(_SEPS.findall(head_t)), 10) / 10.0, float(bool(_BULLET.match(t))),
            float(bool(_LABEL_COLON.match(t))), float(bool(_CREDIT.search(head_t))),
            len(kinds) / max(len(toks), 1), float(bool(kinds) and len(toks) <= 8), min(len(set(kinds)), 3) / 3.0,
            float(bool(_WEB_REF.search(head_t))), float(t.rstrip().endswith("?")))


def features(lines: list[Line], pre: list[str], block: tuple[int, int] | None, head: int | None,
             has_stoplist: bool, only: list[int] | None = None) -> list[list[float]]:
    """One feature vector per line (in :data:`FEATURES` order), after the context revision.

    ``pre``: each line's class before the context revision; ``block``: the main run of
    paragraphs (first, last line) or ``None``; ``head``: the headline's position or ``None``;
    ``only``: the positions of the lines wanted (default: every line), in that order.
    """
    n = len(lines)
    good = [ln.cls == "good" for ln in lines]
    logc = [math.log1p(ln.chars or len(ln.text)) for ln in lines]
    counts: dict[str, int] = {}
    keys = [ln.text.casefold() for ln in lines]
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    total_good = sum(ln.chars for ln, g in zip(lines, good) if g) or 1
    b0, b1 = block if block else (n, n)
    block_chars = sum(lines[j].chars for j in range(b0, min(b1 + 1, n)) if good[j]) if block else 0
    tshape = [_title_shape(ln.text, len(ln.text.split())) for ln in lines]
    cum_good, cum_title = [0] * (n + 1), [0] * (n + 1)
    for k in range(n):
        cum_good[k + 1] = cum_good[k] + good[k]
        cum_title[k + 1] = cum_title[k] + tshape[k]
    dated = [(ln.cls == "meta" and not ln.reason.startswith("stamp"))
             or (ln.chars <= 40 and bool(_NUM_DATE.search(ln.text))) for ln in lines]
    cum_dated = [0] * (n + 1)
    for k in range(n):
        cum_dated[k + 1] = cum_dated[k] + dated[k]
    good_lens = sorted(ln.chars for ln, g in zip(lines, good) if g)
    median = good_lens[len(good_lens) // 2] if good_lens else 100
    out = []
    for i in (range(n) if only is None else only):
        ln = lines[i]
        t = ln.text
        chars = len(t)
        reason = ln.reason
        base = _strip_reason(reason)
        (sent, colon, digits, upper, punct, seps, bullet, label_colon, credit, voc_share, voc_short, voc_kinds,
         web_ref, question) = text_features(t)
        p = pre[i]
        lo, hi = max(0, i - 3), min(n, i + 4)
        win_n = hi - lo - 1  # the window's other lines
        if block is None:
            inb = bef = aft = 0.0
            dist = math.log1p(n)
        else:
            inb = float(b0 <= i <= b1)
            bef = float(i < b0)
            aft = float(i > b1)
            dist = math.log1p(b0 - i if i < b0 else i - b1 if i > b1 else 0)
        out.append([
            float(good[i]), float(p == "good"), float(p == "near"), float(p == "short"), float(p == "bad"),
            float(p == "meta"),
            float(reason.startswith("comments:")), float(reason.startswith("head:")),
            float(reason.startswith("heading:")), float(base.startswith(_LABELS)),
            float(reason.startswith("short-article:")), float(base.startswith("stamp")),
            float(base.startswith("density:noletters")),
            logc[i], math.log1p(ln.words), ln.stop, float(not has_stoplist), float(sent),
            colon, digits, upper, punct, seps, bullet, float(counts[keys[i]] > 1),
            inb, bef, aft, dist, i / max(n - 1, 1), float(head is not None and i > head),
            float(i > 0 and good[i - 1]), float(i + 1 < n and good[i + 1]),
            (cum_good[hi] - cum_good[lo] - good[i]) / win_n if win_n else 0.0,
            float(i > 0 and lines[i - 1].hard), float(i + 1 < n and lines[i + 1].hard),
            logc[i - 1] if i > 0 else 0.0, logc[i + 1] if i + 1 < n else 0.0,
            block_chars / total_good,
            float(tshape[i]), float(tshape[i] and aft), float(tshape[i] and bef),
            (cum_title[hi] - cum_title[lo]) / (hi - lo), float(chars < 70 and aft), float(good[i] and aft),
            float(inb and sent), label_colon, credit,
            min(chars / max(median, 1), 5.0), float(tshape[i] and inb),
            float(tshape[i] and i + 1 < n and good[i + 1] and lines[i + 1].chars > chars),
            voc_share, voc_short, voc_kinds, web_ref, question,
            (cum_dated[hi] - cum_dated[lo] - dated[i]) / win_n if win_n else 0.0,
        ])
    return out


#: density cues precise enough to stay final: a tag line, link or navigation chrome, no letters, a clock stamp
_FINAL_DROP = ("keywords", "links", "nav", "density:noletters", "stamp")
#: a section label over the headline ("World", "Économie", "Faits divers") has at most this many words
LABEL_WORDS = 2
#: a menu or tag run written out as one line: at least this many characters, stop-word density below
#: MENU_MAX_STOP, no sentence end (no body line of the development pages is so long and so bare)
MENU_MIN_CHARS = 100
MENU_MAX_STOP = 0.15
#: the standfirst right under the headline has at least this many words (as ``standfirst_min_words`` of
#: the ``[clean]`` settings, the headline search's standfirst)
STANDFIRST_WORDS = 12
#: a list announced by a sentence ending in a colon (:func:`_announced`): the sentence has at least this
#: many words (no "Lire aussi :" label), each item is shorter than LIST_ITEM_CHARS characters, and the
#: run of items is searched at most LIST_MAX_ITEMS lines up
LIST_INTRO_WORDS = 6
LIST_ITEM_CHARS = 100
LIST_MAX_ITEMS = 60


def _menu_run(ln: Line) -> bool:
    """A long line the density test dropped for its lack of stop words, with no sentence end: a menu,
    a row of tags or of site names run together ("Rezepte Training Ernährungsplan Fitness ..."), which
    the model's length features would otherwise revive.  Only lines judged with a stoplist (reason
    ``density:``; a language without one is judged by length alone)."""
    return (_strip_reason(ln.reason).startswith("density:stop") and ln.chars >= MENU_MIN_CHARS
            and ln.stop < MENU_MAX_STOP and not sentence_end(ln.text))


def _section_label(lines: list[Line], i: int, head: int | None, block: tuple[int, int] | None = None) -> bool:
    """A short label (no sentence) the context dropped right above the headline, only rule-dropped
    or byline/date lines between them: the page's section label (boilerplate, GUIDE), not the article.
    On a page without a headline, the same right above the article's first paragraph."""
    ln = lines[i]
    anchor = head if head is not None else (block[0] if block else None)
    if anchor is None or i >= anchor or ln.cls == "good":
        return False
    if head is not None and not ln.reason.startswith("head:"):
        return False
    if word_count(ln.text) > LABEL_WORDS or sentence_end(ln.text):
        return False
    return all(x.hard or x.cls == "meta" for x in lines[i + 1:anchor])


def _standfirst(lines: list[Line], i: int, head: int | None) -> bool:
    """The line right under the headline, kept by the context, of at least :data:`STANDFIRST_WORDS` words
    and no label's colon: the article's standfirst ("chapô"; GUIDE: body), which the model would read as
    a teaser for its place past the headline and its length, short of a paragraph's."""
    ln = lines[i]
    return (head is not None and i == head + 1 and ln.cls == "good" and not ln.text.rstrip().endswith(":")
            and word_count(ln.text) >= STANDFIRST_WORDS)


def _list_item(ln: Line) -> bool:
    """A kept line that may be a list's item: short, no sentence end, no colon closing it."""
    return (ln.cls == "good" and ln.chars < LIST_ITEM_CHARS and not sentence_end(ln.text)
            and not ln.text.rstrip().endswith(":"))


def _announced(lines: list[Line], i: int) -> bool:
    """A short line with no sentence end in a run of at least two such lines the context kept, right under a
    kept sentence of at least :data:`LIST_INTRO_WORDS` words ending in a colon: the list, table or code the
    sentence announces ("Some of the candidates are:", "Il vous faut :", "Folgendes gilt:"), body
    although no item reads like a paragraph."""
    if not _list_item(lines[i]):
        return False
    k = i
    while k > 0 and i - k < LIST_MAX_ITEMS and _list_item(lines[k - 1]):
        k -= 1
    intro = lines[k - 1] if k > 0 else None
    if intro is None or intro.cls != "good" or not intro.text.rstrip().endswith(":"):
        return False
    if word_count(intro.text) < LIST_INTRO_WORDS:
        return False
    return (i > k) or (i + 1 < len(lines) and _list_item(lines[i + 1]))


def decided(lines: list[Line], i: int, head: int | None, block: tuple[int, int] | None) -> bool:
    """Whether a line's verdict is final before the model: a rule, the dump pre-pass, the headline,
    a byline/date line, a precise density cue (:data:`_FINAL_DROP`), the standfirst kept right under the
    headline (:func:`_standfirst`), the items of a list a kept sentence announces with a colon
    (:func:`_announced`), a readers' post or a teaser under a
    comment or "related stories" header, the section label right above the headline (:func:`_section_label`), a menu
    run written out as one long line (:func:`_menu_run`), the sentences of a short
    article (a page without a paragraph), a subheading kept over its paragraph inside the main
    block, a kept sentence right after the block's last paragraph (the article's closing line) or
    a kept numbered note ("[1] ...") below the block."""
    ln = lines[i]
    if ln.hard or i == head or ln.cls == "meta":
        return True
    if ln.cls != "good":
        if ln.reason.startswith("comments:thread:") or _section_label(lines, i, head, block) or _menu_run(ln):
            return True  # a post or teaser of a thread under its header, the section label over the headline, a menu run
        return _strip_reason(ln.reason).startswith(_FINAL_DROP)
    if ln.reason.startswith(("short-article:", "live:")):
        return True  # a page without a paragraph, a live feed's entries: all the article there is
    if _standfirst(lines, i, head):
        return True  # the standfirst right under the headline
    if _announced(lines, i):
        return True  # the items of a list a kept sentence announces with a colon
    if ln.reason.startswith(("heading:", "context:heading:")) or block is None:
        return ln.reason.startswith(("heading:", "context:heading:"))
    if i == block[1] + 1 and sentence_end(ln.text):
        return True
    if i > block[1] and FOOTNOTE.match(ln.text):
        return True  # the article's numbered notes, kept past its comments and teasers (drop_comments)
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    return (block[0] <= i < block[1] and _title_shape(ln.text, len(ln.text.split())) and nxt is not None
            and nxt.cls == "good" and nxt.chars > ln.chars)


def apply_model(lines: list[Line], pre: list[str], block: tuple[int, int] | None, head: int | None,
                has_stoplist: bool, model: LineModel) -> None:
    """The model's verdict on every line neither a rule, the dump pre-pass nor the headline decided (in place).

    The model revises the context's verdict only when it is confident: a kept line goes below
    ``drop_below``, a dropped one stays above ``keep_above`` (the grey zone is the context's).

    A line whose verdict changes keeps its previous reason after ``model:`` (``model:context:density:...``);
    its score becomes the model's probability.  Then a line kept outside the main block and dropped
    at another print on the page goes (:func:`drop_reprints`, reason ``reprint:``).
    """
    todo = [i for i in range(len(lines)) if not decided(lines, i, head, block)]
    before = [(ln.cls, ln.reason, ln.score) for ln in lines]
    for i, x in zip(todo, features(lines, pre, block, head, has_stoplist, todo)):
        ln = lines[i]
        p = model.proba(x)
        kept = ln.cls == "good"
        keep = model.keep(p, kept)
        if keep != kept:
            ln.cls = "good" if keep else "bad"
            ln.reason = "model:" + ln.reason
        ln.score = round(p, 3)
    final = set(range(len(lines))) - set(todo)
    for i in drop_reprints(lines, [ln.cls == "good" for ln in lines], block, final):
        lines[i].cls, lines[i].reason = "bad", "reprint:" + lines[i].reason
    if any(c == "good" for c, _, _ in before) and not any(ln.cls == "good" for ln in lines):
        # the model never empties an article the rules gave a body
        for ln, (c, r, sc) in zip(lines, before):
            ln.cls, ln.reason, ln.score = c, r, sc



def drop_reprints(lines: list[Line], keep: list[bool], block: tuple[int, int] | None,
                  final: set[int]) -> list[int]:
    """Outside the article's main block, a kept line printed again on the page where it is dropped is
    that chrome printed twice (a teaser, a promo box, a menu label repeated in a sidebar): the
    positions to drop.  ``final``: the lines decided before the model (:func:`decided`: the headline,
    a live feed's entries...), which stay.  A print dropped only for standing above the headline
    (``head:``) is no evidence: a recipe or a page printed twice drops its upper copy so."""
    if block is None:
        return []
    dropped = {ln.text.casefold() for ln, k in zip(lines, keep) if not k and not ln.reason.startswith("head:")}
    return [i for i, (ln, k) in enumerate(zip(lines, keep))
            if k and i not in final and not block[0] <= i <= block[1] and ln.text.casefold() in dropped]
