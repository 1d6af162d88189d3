"""The sectors and events rule files: schema, examples and malformed-file errors."""

from __future__ import annotations

import json
import re

import pytest

from pipeline.records import Mention
from pipeline.rulebook import RuleFileError
from pipeline.stages import events, sectors
from pipeline.stages.sectors import SLUGS
from pipeline.text.phrases import rule_words
from pipeline.text.tokens import lemma_of

SECTOR_RULES = sectors.load_rules()
EVENT_RULES = events.load_rules()


def test_lexicon_covers_every_slug_in_both_languages():
    by_slug = {(r.slug, r.lang) for r in SECTOR_RULES.rows}
    for slug in SLUGS:
        assert (slug, "fr") in by_slug, slug
        assert (slug, "en") in by_slug, slug


def test_triggers_cover_every_plover_root_in_both_languages():
    have = {(c.row.plover, c.row.lang) for c in EVENT_RULES.triggers}
    for root in events.PLOVER:
        assert (root, "fr") in have, root
        assert (root, "en") in have, root


@pytest.mark.slow
def test_every_lexicon_example_yields_its_slug(nlp):
    bad = []
    for row in SECTOR_RULES.rows:
        assert row.example, row.id
        for doc in (nlp(row.example), None):
            slugs = {m.value for m in sectors.find_sectors(row.example, doc)}
            if row.slug not in slugs:
                bad.append((row.id, "doc" if doc is not None else "regex", row.example, slugs))
    assert not bad


_NOT_NAMES = {"L", "Le", "La", "Les", "Un", "Une", "Des", "Du", "D", "Ce", "Cet", "Cette", "Ces", "Il", "Elle", "Ils",
              "The", "A", "An", "This", "Deux", "Trois", "Dix", "Thousands", "Gunmen", "Police"}


def test_exclusion_examples_yield_no_sector():
    assert SECTOR_RULES.excludes
    for row in SECTOR_RULES.excludes:
        assert sectors.find_sectors(row.example) == [], row.id


def test_exclusion_bad_id_is_reported(tmp_path):
    d = _write_sector_dir(tmp_path, ["sectors.health.sante\thealth\tsanté\tfr\tLa santé."])
    (d / "exclude.tsv").write_text("id\tphrase\tlang\texample\nexclude.x\tbanque mondiale\tfr\tLa Banque mondiale.\n",
                                   encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"exclude.tsv:2: \[id\]"):
        sectors.load_rules(d)


def _stand_in_mentions(text: str) -> list[Mention]:
    """Capitalised words (not articles) are actors, numbers are money."""
    out = []
    for m in re.finditer(r"\w[\w-]*", text):
        w = m.group()
        if w[0].isdigit():
            out.append(Mention("money", w, m.start(), m.end(), w + " XXX", "test"))
        elif w[0].isupper() and w not in _NOT_NAMES:
            out.append(Mention("actor", w, m.start(), m.end(), w, "test"))
    return out


@pytest.mark.slow
def test_every_trigger_example_is_won_by_its_row(nlp):
    bad = []
    for c in EVENT_RULES.triggers:
        row = c.row
        evs = events.find_events("t", row.example, nlp(row.example), _stand_in_mentions(row.example))
        got = [(e.rule, e.event_type) for e in evs]
        if not evs or evs[0].rule != row.id or evs[0].event_type not in (row.plover, "AGREE"):
            bad.append((row.id, row.example, got))
    assert not bad, "\n".join(map(str, bad))


def test_guard_examples_contain_their_word():
    from pipeline.text.phrases import PhraseIndex, compile_phrase
    from pipeline.text.tokens import text_tokens

    for g in EVENT_RULES.guard_rows:
        idx = PhraseIndex([(compile_phrase(g.word), g)])
        assert idx.find(text_tokens(g.example)), (g.id, g.example)


def test_noun_triggers_do_not_catch_their_verb_homograph():
    """A plain noun word whose lookup lemma is another verb must be written with ``=``."""
    allowed = {"pourparlers"}  # lemma "pourparler" is no verb in use
    for c in EVENT_RULES.triggers:
        r = c.row
        if r.kind != "noun" or not r.lemmas or r.lemmas[0][0] in "=!":
            continue
        for part in r.lemmas[0].split("|"):
            lem = lemma_of(part.lower())
            if part not in allowed and lem != part.lower() and lem.endswith(("er", "ir")):
                pytest.fail(f"{r.id}: {part!r} has the verb lemma {lem!r}")


def test_rule_words_never_leave_a_bare_apostrophe():
    for row in SECTOR_RULES.rows:
        assert "'" not in rule_words(row.phrase), row.id
    for c in EVENT_RULES.triggers:
        for w in c.row.lemmas or []:
            assert "'" not in rule_words(w), c.row.id


# -- malformed files ---------------------------------------------------------------------------


def _write_sector_dir(tmp_path, rows: list[str]):
    d = tmp_path / "sectors"
    d.mkdir()
    (d / "lexicon.tsv").write_text("id\tslug\tphrase\tlang\texample\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return d


def test_lexicon_errors_name_path_line_and_field(tmp_path):
    d = _write_sector_dir(tmp_path, [
        "sectors.health.sante\thealth\tsanté\tfr\tLa santé.",
        "sectors.health.x\thealthcare\tsoins\tfr\tDes soins.",       # unknown slug
        "sectors.energy.gaz\thealth\tgaz\tfr\tLe gaz.",               # id names another slug
        "sectors.health.y\thealth\tsoins\tde\tDes soins.",           # bad lang
        "bad id\thealth\tsoins\tfr\tDes soins.",                     # bad id
    ])
    with pytest.raises(RuleFileError) as err:
        sectors.load_rules(d)
    msg = str(err.value)
    assert "lexicon.tsv:3: [slug]" in msg
    assert "lexicon.tsv:4:" in msg and "does not name slug" in msg
    assert "lexicon.tsv:5: [lang]" in msg
    assert "lexicon.tsv:6: [id]" in msg


def test_lexicon_duplicate_ids_are_rejected(tmp_path):
    d = _write_sector_dir(tmp_path, ["sectors.health.sante\thealth\tsanté\tfr\tLa santé."] * 2)
    with pytest.raises(RuleFileError, match="duplicate id"):
        sectors.load_rules(d)


def test_lexicon_unknown_column_is_rejected(tmp_path):
    d = tmp_path / "sectors"
    d.mkdir()
    (d / "lexicon.tsv").write_text("id\tslug\tphrase\tweight\nsectors.health.a\thealth\tsanté\t2\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"unknown column\(s\) \['weight'\]"):
        sectors.load_rules(d)


def _write_event_dir(tmp_path, triggers: list[dict | str]):
    d = tmp_path / "events"
    d.mkdir()
    lines = [t if isinstance(t, str) else json.dumps(t, ensure_ascii=False) for t in triggers]
    (d / "triggers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "guards.tsv").write_text("id\tkind\tword\tlang\texample\n"
                                  "events.guard.hedge.pourrait\thedge\tpourrait\tfr\tIl pourrait signer.\n",
                                  encoding="utf-8")
    return d


def test_trigger_errors_name_path_line_and_field(tmp_path):
    ok = {"id": "events.agree.signer", "plover": "AGREE", "lemmas": ["signer"], "example": "Il a signé."}
    d = _write_event_dir(tmp_path, [
        ok,
        {**ok, "id": "events.agree.x", "plover": "AGREED"},                      # 2: bad root
        {**ok, "id": "events.cooperate.y"},                                       # 3: id/root mismatch
        {**ok, "id": "events.agree.z", "pattern": "sign"},                        # 4: lemmas and pattern
        {"id": "events.agree.w", "plover": "AGREE", "pattern": "(sign", "example": "x"},  # 5: bad regex
        "{not json",                                                               # 6
        {**ok, "id": "events.agree.v", "weight": 12},                             # 7: weight range
        {**ok, "id": "events.agree.u", "colour": "red"},                          # 8: unknown field
    ])
    with pytest.raises(RuleFileError) as err:
        events.load_rules(d)
    msg = str(err.value)
    assert "triggers.jsonl:2: [plover]" in msg
    assert "triggers.jsonl:3:" in msg and "does not name root" in msg
    assert "triggers.jsonl:4:" in msg and "exactly one of lemmas / pattern" in msg
    assert "triggers.jsonl:5: [pattern]" in msg and "invalid regex" in msg
    assert "triggers.jsonl:6:" in msg and "invalid JSON" in msg
    assert "triggers.jsonl:7: [weight]" in msg
    assert "triggers.jsonl:8: [colour]" in msg


def test_trigger_hint_must_occur_in_example(tmp_path):
    d = _write_event_dir(tmp_path, [{"id": "events.agree.s", "plover": "AGREE", "pattern": r"\bs'engage",
                                     "hint": ["xyz"], "example": "Il s'engage à payer."}])
    with pytest.raises(RuleFileError, match="none of the hints"):
        events.load_rules(d)


def test_missing_files_are_reported(tmp_path):
    with pytest.raises(RuleFileError, match="missing lexicon.tsv"):
        sectors.load_rules(tmp_path)
    with pytest.raises(RuleFileError, match="missing triggers.jsonl"):
        events.load_rules(tmp_path)


def test_every_topic_cue_example_names_its_sector_as_a_topic():
    """Each ``topic_cues.tsv`` example has a keyword right after its cue; in an article about
    something else that keyword is a passing mention without the cue and the article's with it."""
    assert SECTOR_RULES.cue_rows
    main = ("Les hôpitaux débordés\n" + "Une phrase de remplissage assez longue pour la suite. " * 8 +
            "\nLes urgences et les services de santé manquent de médecins. La santé publique inquiète.\n")
    for row in SECTOR_RULES.cue_rows:
        hits = [h for h in sectors.keyword_hits(row.example) if h.value != "health"
                and sectors.cued(row.example, [h], SECTOR_RULES.cues)]
        assert len(hits) == 1, row.id
        slug = hits[0].value
        kinds = {m.value: m.kind for m in sectors.find_sectors(main + row.example + "\n")}
        assert kinds[slug] == "sector", row.id
        bare = "On en parle aussi : " + row.example[hits[0].start:]
        kinds = {m.value: m.kind for m in sectors.find_sectors(main + bare + "\n")}
        assert kinds[slug] == "sector_hit", row.id


def test_topic_cue_malformed_row_is_reported(tmp_path):
    d = _write_sector_dir(tmp_path, ["sectors.health.sante\thealth\tsanté\tfr\tLa santé."])
    (d / "topic_cues.tsv").write_text("id\tcue\tlang\texample\nsectors.cue.x\tréforme (de)\tfr\tLa réforme de la santé.\n",
                                      encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"topic_cues.tsv:2: \[cue\]"):
        sectors.load_rules(d)
