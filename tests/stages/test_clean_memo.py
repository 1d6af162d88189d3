"""The memo of line verdicts (:func:`pipeline.stages.clean.density.verdict_memo`) gives the same
lines as judging each line afresh, whatever the dump's recurring lines and the article's language."""

from __future__ import annotations

from pageparts import NAV, P1, P2, P3, TITLE

from pipeline.settings import defaults
from pipeline.stages.clean import clean, density, load_rules
from pipeline.stages.clean.density import classify, stoplist, verdict_memo
from pipeline.text.lines import line_key

LINES = [*NAV, TITLE, "Par Jeanne Martin, le 3 mars 2024 à 14h32", P1, P2, "88'", "Partager sur Facebook",
         P3, "Lire aussi : la piscine rouvre ses portes", "© Le Petit Quotidien 2024",
         "Tags : budget, médiathèque, conseil municipal, culture, travaux"]


def test_memoised_verdicts_are_the_fresh_ones():
    rules, s = load_rules(), defaults()["clean"]
    stops = (stoplist("fr", rules),)
    memo = verdict_memo(rules, stops, s)
    chrome = frozenset({line_key("Culture"), line_key("88'"), line_key(P2)})
    for chrome_set in (frozenset(), chrome, frozenset()):
        for rounds in range(2):  # the second round reads every verdict from the memo
            for i, text in enumerate(LINES):
                fresh = classify(i, text, rules, chrome_set, stops, s)
                assert classify(i, text, rules, chrome_set, stops, s, memo) == fresh, text
    # the dump's verdict stays out of the memo: the same line in another dump is judged on its own
    assert classify(0, "Culture", rules, chrome, stops, s, memo).reason == "dump.repeated"
    assert classify(0, "Culture", rules, frozenset(), stops, s, memo).reason != "dump.repeated"


def test_one_memo_per_rules_settings_and_stoplists():
    rules, s = load_rules(), defaults()["clean"]
    fr, en = (stoplist("fr", rules),), (stoplist("en", rules),)
    assert verdict_memo(rules, fr, s) is verdict_memo(rules, fr, s)
    assert verdict_memo(rules, fr, s) is not verdict_memo(rules, en, s)
    other = s.model_copy(update={"stop_low": s.stop_low + 0.1})
    assert verdict_memo(rules, fr, s) is not verdict_memo(rules, fr, other)
    # a line's verdict differs with the stoplist; each memo holds its own
    line = "Le maire et la ville de la région."  # short: judged by the article's stoplist alone
    a = classify(0, line, rules, frozenset(), fr, s, verdict_memo(rules, fr, s))
    b = classify(0, line, rules, frozenset(), en, s, verdict_memo(rules, en, s))
    assert a == classify(0, line, rules, frozenset(), fr, s) and b == classify(0, line, rules, frozenset(), en, s)
    assert a.stop != b.stop


def test_a_full_memo_starts_again(monkeypatch):
    monkeypatch.setattr(density, "MEMO_LINES", 4)
    rules, s = load_rules(), defaults()["clean"]
    stops = (stoplist("fr", rules),)
    memo = verdict_memo(rules, stops, s)
    memo.clear()
    for i, text in enumerate(LINES):
        assert classify(i, text, rules, frozenset(), stops, s, memo) == classify(i, text, rules, frozenset(), stops, s)
        assert len(memo) <= 4


def test_pages_cleaned_one_after_another_as_each_alone():
    page = "\n".join(LINES)
    other = "\n".join(["Accueil", "Sport", TITLE, P3, P1, "Partager sur Facebook", "Mon compte"])
    first = [clean(t) for t in (page, other, page)]
    density._MEMOS.clear()
    alone = [clean(page), None, None]
    density._MEMOS.clear()
    alone[1] = clean(other)
    density._MEMOS.clear()
    alone[2] = clean(page)
    assert first == alone


def test_line_model_features_from_the_cache_are_the_fresh_ones():
    from pipeline.stages.clean import judge
    from pipeline.stages.clean.model import features, text_features

    j = judge("\n".join(LINES), load_rules(), frozenset(), defaults()["clean"])
    text_features.cache_clear()
    cold = features(j.lines, j.pre, j.block, j.head, j.has_stoplist)
    warm = features(j.lines, j.pre, j.block, j.head, j.has_stoplist)
    assert cold == warm and len(cold) == len(LINES)
    for text in LINES:
        assert text_features(text) == text_features.__wrapped__(text)


def test_reason_marks_are_stripped_as_one_by_one():
    from pipeline.stages.clean.model import REASON_MARKS, _strip_reason

    def one_by_one(reason: str) -> str:
        while True:
            for p in REASON_MARKS:
                if reason.startswith(p):
                    reason = reason[len(p):]
                    break
            else:
                return reason

    firsts = ["density:stop=0.12,len=40", "stamp:len=3", "boilerplate.cta.partager", "heading", "head", "", "live"]
    for first in firsts:
        for a in ("", *REASON_MARKS):
            for b in ("", *REASON_MARKS):
                reason = a + b + first
                assert _strip_reason(reason) == one_by_one(reason), reason


def test_line_keys_from_the_cache_are_the_fresh_ones():
    for text in (*LINES, "  Accueil  ", "ACCUEIL", "Accueil 2024", ""):
        assert line_key(text) == line_key.__wrapped__(text)
    assert line_key("Accueil 12") == line_key("accueil 7") != line_key("Accueil")


def test_folded_lines_from_the_cache_are_the_fresh_ones():
    from pipeline.stages.clean import norm_line
    from pipeline.text.fold import fold_line, fold_words

    assert norm_line is fold_line
    for text in (*LINES, "Ｌｉｒｅ　ａｕｓｓｉ", "L’été à Évian", "  deux   espaces  "):
        assert fold_line(text) == fold_words(text)
