"""Clean stage: decide, line by line, what is article body and what is site chrome.

Every non-empty raw line gets a :class:`~pipeline.records.LineDecision` (keep or drop, a
reason and a body-likeness score).  Three sources of evidence are combined, in the
manner of jusText:

1. **Rules** (:mod:`.rules`, ``pipeline/rules/boilerplate/lines.tsv``): patterns of
   news-site chrome in several languages.  A rule hit is final; the reason is the rule
   id (``boilerplate.cta.partager``).
2. **Text density** (:mod:`.density`): stop-word density, length, sentence
   punctuation, link-like tokens, SEO keyword lists, all-caps labels and glued
   navigation labels give each line a class: ``good``, ``near``, ``short`` or ``bad``.
3. **Context** (:mod:`.context`): the article's main run of paragraphs (the first block
   nearly as heavy as the heaviest; a comment thread, dated post by post, weighs less);
   the headline, the best headline-like line just above it (several words, a byline or
   date below it, printed twice on the page, over its standfirst); short lines above the
   headline go; ``short`` and ``near`` lines take the class of their neighbours; past the
   block, a comment thread or a list of other stories goes whole.

On top of that, the lines the dump-level pre-pass (:mod:`pipeline.passes.chrome`) found
recurring across many articles of the dump (footers, sidebars) are dropped with reason
``dump.repeated``.  HTML pages are turned into text before this stage, by the decode
stage (:mod:`pipeline.read.html`).  Thresholds: the ``[clean]`` table of
``pipeline/defaults.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.records import Cleaned, LineDecision
from pipeline.settings import StageSettings, or_defaults
from pipeline.stages.clean.context import apply_context
from pipeline.stages.clean.density import (
    JUSTEXT_LANGS,
    Line,
    article_stoplists,
    classify,
    mark_author_boxes,
    stoplist,
    verdict_memo,
)
from pipeline.stages.clean.model import apply_model, load_model
from pipeline.stages.clean.rules import (
    BOILERPLATE_DIR,
    BoilerplateRules,
    LineRule,
    StopwordRow,
    load_rules,
    norm_line,
)

__all__ = ["BOILERPLATE_DIR", "BoilerplateRules", "JUSTEXT_LANGS", "LineRule", "Settings", "StopwordRow",
           "Judged", "clean", "judge", "load_rules", "norm_line", "plain_lines", "run", "stoplist"]


class Settings(StageSettings):
    """``[clean]``: the jusText-style thresholds, the headline search, the dump-chrome pre-pass."""

    #: a line shorter than this (characters) is "short" unless it is a sentence of stop words
    length_low: int
    #: a line longer than this with enough stop words is a paragraph ("good")
    length_high: int
    #: a sentence at least this long with enough stop words is a paragraph ("good")
    length_sentence_good: int
    #: stop-word density below which a line is not body-like
    stop_low: float
    #: stop-word density from which a line is body-like
    stop_high: float
    #: link-like tokens per word above which a line is link chrome
    max_link_density: float
    #: ... when the line has at most this many words (a long paragraph may cite a few links)
    links_max_words: int
    #: ... or whatever its length, above this density
    links_hard_density: float
    #: a tag line ("A, B, C, D, E") has at least this many comma-separated parts...
    keywords_min_parts: int
    #: ... this share of them of at most ``keywords_part_words`` words...
    keywords_short_share: float
    keywords_part_words: int
    #: ... and a stop-word density below this
    keywords_max_stop: float
    #: navigation labels: lines of at most this many words are tested
    nav_max_words: int
    #: glued labels ("DiplomatiquePolitique") in a line of at most this many words
    nav_glued_max_words: int
    #: separated labels ("A | B | C"): at least this many parts of at most ``nav_part_words`` words
    nav_min_parts: int
    nav_part_words: int
    #: a line in capitals of at most this many words is a label ("short")
    caps_max_words: int
    #: a short line ending like a sentence with at least this many words may be body ("near")
    near_min_words: int
    #: a long sentence below ``stop_low`` but at least this dense is left to the context (names, figures)
    stop_sentence: float
    #: a subheading (kept when a paragraph follows) has 3 to this many words
    subheading_max_words: int
    #: a line at most this long (raw characters) with no final punctuation may be a byline/date line
    meta_max_chars: int
    #: byline/date and headline tests: a line longer than this (folded) is a paragraph
    meta_short_line: int
    #: a page whose first paragraph comes first: only this many first lines are searched for the headline
    headline_window: int
    #: lines above the article's first paragraph searched for its headline
    headline_above: int
    #: a headline candidate right above a longer one (its standfirst) gains this much
    standfirst_bonus: float
    #: ... when the longer one has at least this many words (and half as many again as the upper one)
    standfirst_min_words: int
    #: paragraphs separated by at most this many other lines are one block (the longest block is the body)
    body_gap: int
    #: the body is the first block of paragraphs with at least this share of the heaviest block's characters
    block_share: float
    #: a paragraph at most this many lines above the body's block (a standfirst set apart) starts it
    lead_gap: int
    #: a live feed: a run of at least this many bare minute/clock stamps touching the main block...
    live_min_stamps: int
    #: ... each opening an entry of at most this many lines (the entries are body)
    live_entry_lines: int
    #: a headline candidate with at least this many words wins over a shorter label above it
    headline_min_words: int
    #: a headline over its standfirst has its byline or date line within this many lines under the standfirst
    standfirst_date_lines: int
    #: stoplists tried (maximum density) when the article language is unknown or has no stoplist
    fallback_langs: tuple[str, ...]
    #: the detected language's stoplist is used when its probability is at least this
    stoplist_min_prob: float
    #: a language without a stoplist detected this surely is judged by length alone
    no_stoplist_min_prob: float
    #: characters sampled to detect the article's language (from its longest lines)
    lang_sample_chars: int
    #: ... and sampled again when most of the longest lines read as another language (a long notice in English)
    lang_sample_wide_chars: int
    #: lines shorter than this are left out of the language sample (unless all are)
    lang_min_line: int
    #: fewer letters than this: the language is unknown (fallback stoplists)
    lang_min_letters: int
    #: dump chrome: only lines up to this many characters are counted and dropped
    max_chrome_chars: int
    #: dump chrome: a line is chrome when found in at least this many articles...
    chrome_min_articles: int
    #: ... and in at least this share of the dump's articles
    chrome_min_share: float
    #: dump chrome: past this many distinct lines, those seen in one article only are pruned
    chrome_max_keys: int
    #: the learned line classifier (pipeline/models/lines.json) decides the lines no rule decided
    line_model: bool


@dataclass
class Judged:
    """The lines of one article after the rules, density and context (the line model's input)."""

    lines: list[Line]
    pre: list[str]  # each line's class before the context revision
    block: tuple[int, int] | None  # the main run of paragraphs
    head: int | None  # the headline's position in ``lines``
    has_stoplist: bool


def judge(text: str, rules: BoilerplateRules, chrome: frozenset[str], s: Settings) -> Judged:
    """The rule, density and context verdicts on every non-empty line, before the line model."""
    raw = text.splitlines() if text else []
    entries = [(i, ln.strip()) for i, ln in enumerate(raw) if ln.strip()]
    if not entries:
        return Judged([], [], None, None, False)
    _, stoplists = article_stoplists(text, rules, s)
    memo = verdict_memo(rules, stoplists, s)
    lines = [classify(i, t, rules, chrome, stoplists, s, memo) for i, t in entries]
    if chrome and not any(ln.cls == "good" for ln in lines):
        # the dump's recurring lines would leave no paragraph: the article itself recurs
        # (a duplicate or a reprint), so only its non-paragraph recurring lines go
        for ln in lines:
            if ln.fallback and ln.fallback[0] in ("good", "near"):
                ln.cls, ln.reason = ln.fallback
                ln.hard, ln.reason = False, "dump.article-repeated:" + ln.reason
    mark_author_boxes(lines)
    pre = [ln.cls for ln in lines]
    block, head = apply_context(lines, rules.dates, s)
    return Judged(lines, pre, block, head, bool(stoplists))


def clean(text: str, *, rules: BoilerplateRules | None = None, chrome: frozenset[str] = frozenset(),
          settings: Settings | None = None) -> Cleaned:
    """Split a raw article into lines, keep the body and drop the chrome."""
    rules = rules or load_rules()
    s = or_defaults("clean", settings)
    j = judge(text, rules, chrome, s)
    lines = j.lines
    if not lines:
        return Cleaned(body="", lines=(), offsets=())
    if s.line_model:
        apply_model(lines, j.pre, j.block, j.head, j.has_stoplist, load_model())

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


def plain_lines(text: str) -> Cleaned:
    """The ``--no-clean`` path: every non-empty line is body."""
    lines, offsets, parts, pos = [], [], [], 0
    for i, line in enumerate(text.splitlines()):
        s = line.strip()
        if not s:
            continue
        if parts:
            pos += 2
        lines.append(LineDecision(index=i, text=s, keep=True, reason="no-clean", score=1.0))
        offsets.append((i, pos))
        parts.append(s)
        pos += len(s)
    return Cleaned(body="\n\n".join(parts), lines=tuple(lines), offsets=tuple(offsets))


def run(ctx, rules: BoilerplateRules, settings: Settings) -> dict:
    """Registry stage ``clean``: the line decisions and the body (``--no-clean``: every line)."""
    if ctx.clean_text:
        cleaned = clean(ctx.text, rules=rules, chrome=ctx.chrome, settings=settings)
    else:
        cleaned = plain_lines(ctx.text)
    return {"cleaned": cleaned, "body": cleaned.body}
