"""Events stage: triggers, guards, one event per sentence, fields from mentions."""

from __future__ import annotations

import csv
import datetime
import re
from pathlib import Path

import pytest

from pipeline.records import Mention
from pipeline.stages import events
from pipeline.stages.events import find_events
from pipeline.text.sentences import split_sentences

CASES = Path(__file__).resolve().parent.parent / "cases" / "events.tsv"


def mention(body: str, kind: str, text: str, value: str | None = None, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Mention(kind=kind, text=text, start=start, end=start + len(text), value=value or text, rule="test")


def parse_mentions(body: str, spec: str) -> list[Mention]:
    out = []
    for item in filter(None, (s.strip() for s in (spec or "").split(" ; "))):
        kind, rest = item.split(":", 1)
        text, _, value = rest.partition("=")
        out.append(mention(body, kind, text, value or None))
    return out


def _cases():
    lines = [ln for ln in CASES.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        marks = [pytest.mark.xfail(strict=True, reason=row["note"])] if row["status"] == "xfail" else []
        yield pytest.param(row["text"], row["mentions"], row["expected"], id=row["id"], marks=marks)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "spec", "expected"), list(_cases()))
def test_cases(nlp, text, spec, expected):
    evs = find_events("case", text, nlp(text), parse_mentions(text, spec))
    got = _label(evs[0]) if evs else "-"
    assert got == expected, [(e.event_type, e.trigger, e.rule, e.extra) for e in evs]


def _label(e) -> str:
    """The case file's label of an event: its type, then its polarity and modality unless it counts."""
    x = dict(e.extra)
    return e.event_type if events.counted(e) else f"{e.event_type} {x['polarity']} {x['modality']}"


@pytest.mark.slow
def test_event_fields_from_mentions(nlp):
    body = ("Accord historique\n\n"
            "Le Ghana et la société Huawei ont signé le 3 mars 2026 un contrat de 20 millions de dollars "
            "pour le réseau de santé. Le temps était beau.")
    ms = [mention(body, "country", "Ghana", "GH"), mention(body, "actor", "Huawei"),
          mention(body, "date", "3 mars 2026", "2026-03-03"),
          mention(body, "money", "20 millions de dollars", "20000000 USD"),
          mention(body, "sector", "santé", "health"), mention(body, "actor", "Huawei")]
    ms.append(Mention("actor", "Huawei", 999, 1005, "Huawei", "t"))  # outside every sentence: ignored
    (ev,) = find_events("art-1", body, nlp(body), ms)
    assert ev.event_type == "AGREE"
    assert ev.sentence.startswith("Le Ghana") and ev.sentence.endswith("santé.")
    assert body[ev.start:ev.end] == ev.sentence
    assert ev.trigger == "signé" and ev.rule == "events.agree.signer"
    assert ev.actors == ("Huawei",) and ev.countries == ("GH",) and ev.sectors == ("health",)
    assert ev.money == ("20000000 USD",)
    assert (ev.date, ev.date_source) == ("2026-03-03", "text")
    assert ev.article_id == "art-1"
    assert re.fullmatch(r"[0-9a-f]{16}", ev.event_id)


@pytest.mark.slow
def test_date_falls_back_to_published_then_none(nlp):
    body = "Le Ghana a signé un accord avec le Togo."
    ms = [mention(body, "country", "Ghana", "GH"), mention(body, "country", "Togo", "TG")]
    (ev,) = find_events("a", body, nlp(body), ms, published=datetime.date(2026, 1, 28))
    assert (ev.date, ev.date_source) == ("2026-01-28", "published")
    (ev,) = find_events("a", body, nlp(body), ms)
    assert (ev.date, ev.date_source) == (None, None)


@pytest.mark.slow
def test_event_id_is_stable_and_article_specific(nlp):
    body = "Le Ghana a signé un accord avec le Togo."
    doc = nlp(body)
    a = find_events("a", body, doc, [])[0].event_id
    assert a == find_events("a", body, nlp(body), [])[0].event_id
    assert a != find_events("b", body, doc, [])[0].event_id


@pytest.mark.slow
def test_one_event_per_sentence_strongest_trigger_wins(nlp):
    body = "Le Niger et le Bénin ont signé un protocole pour élargir leur coopération et leur partenariat."
    ms = [mention(body, "country", "Niger", "NE"), mention(body, "country", "Bénin", "BJ")]
    evs = find_events("a", body, nlp(body), ms)
    assert [(e.event_type, e.rule) for e in evs] == [("AGREE", "events.agree.signer")]


@pytest.mark.slow
def test_headline_is_its_own_sentence(nlp):
    body = "Le Rwanda signe avec Google\n\nLe texte porte sur la santé."
    evs = find_events("a", body, nlp(body), [mention(body, "country", "Rwanda", "RW")])
    assert [e.sentence for e in evs] == ["Le Rwanda signe avec Google"]


@pytest.mark.slow
def test_quotes_and_questions_are_not_events(nlp):
    for body in ["« Nous signerons l'accord avec le Ghana », a déclaré le ministre.",
                 "Le ministre a déclaré : « nous allons signer un accord avec le Ghana et coopérer ».",
                 "Le Ghana signera-t-il l'accord ?"]:
        ms = [mention(body, "country", "Ghana", "GH")]
        assert find_events("a", body, nlp(body), ms) == [], body


@pytest.mark.slow
def test_hedges_in_the_clause_cancel_only_that_clause(nlp):
    body = "Le Ghana a signé l'accord avec le Togo, qui pourrait créer 500 emplois."
    ms = [mention(body, "country", "Ghana", "GH"), mention(body, "country", "Togo", "TG")]
    assert [e.event_type for e in find_events("a", body, nlp(body), ms)] == ["AGREE"]
    body = "La coopération entre le Ghana et le Togo pourrait s'étendre à l'énergie."
    ms = [mention(body, "country", "Ghana", "GH"), mention(body, "country", "Togo", "TG")]
    (ev,) = find_events("a", body, nlp(body), ms)  # kept, marked: it does not count
    assert not events.counted(ev) and dict(ev.extra)["modality"] == "possible"


@pytest.mark.slow
def test_generic_nouns_need_a_mention(nlp):
    body = "Un partenariat public-privé permet de partager les risques."
    assert find_events("a", body, nlp(body), []) == []
    body = "Un partenariat entre Total et la Sonatrach a été annoncé."
    ms = [mention(body, "actor", "Total"), mention(body, "actor", "Sonatrach")]
    assert [e.event_type for e in find_events("a", body, nlp(body), ms)] == ["COOPERATE"]


@pytest.mark.slow
def test_plural_and_gerund_nouns_are_generic(nlp):
    body = "Les partenariats entre l'Europe et l'Afrique se multiplient selon la Commission."
    assert find_events("a", body, nlp(body), [mention(body, "actor", "Commission")]) == []
    body = "En posant les bases d'une coopération renforcée, le Maroc vise le leadership."
    assert find_events("a", body, nlp(body), [mention(body, "country", "Maroc", "MA")]) == []


@pytest.mark.slow
def test_future_cooperation_is_agree(nlp):
    body = "Les ingénieurs de Siemens travailleront aux côtés des techniciens de la Sénélec."
    (ev,) = find_events("a", body, nlp(body), [mention(body, "actor", "Siemens")])
    assert (ev.event_type, ev.rule) == ("AGREE", "events.cooperate.travailler_cotes")
    body = "Les ingénieurs de Siemens travaillent aux côtés des techniciens de la Sénélec."
    (ev,) = find_events("a", body, nlp(body), [mention(body, "actor", "Siemens")])
    assert ev.event_type == "COOPERATE"


@pytest.mark.slow
def test_noun_homograph_of_verb_trigger(nlp):
    body = "Un signe fort pour le Ghana. Les demandes d'assistance du Togo augmentent."
    ms = [mention(body, "country", "Ghana", "GH"), mention(body, "country", "Togo", "TG")]
    assert find_events("a", body, nlp(body), ms) == []


def test_without_doc_regex_sentences():
    body = ("Le Mali a signé un accord avec M. Traoré. Il faisait beau.\n\n"
            "Kenya signed a deal with Microsoft. The deal could be renewed.")
    ms = [mention(body, "country", "Mali", "ML"), mention(body, "actor", "Microsoft")]
    evs = find_events("a", body, None, ms)
    assert [(e.event_type, e.sentence) for e in evs] == [
        ("AGREE", "Le Mali a signé un accord avec M. Traoré."),
        ("AGREE", "Kenya signed a deal with Microsoft."),
    ]


def test_split_sentences_without_doc():
    body = "Titre sans point\n\nPremière phrase. « Deuxième ? » Troisième, avec M. Dupont.\n• puce"
    got = [body[s:e] for s, e in split_sentences(body)]
    assert got == ["Titre sans point", "Première phrase.", "« Deuxième ? »", "Troisième, avec M. Dupont.", "• puce"]


def test_split_sentences_keeps_abbreviations_initials_and_decimals():
    body = ("Selon le Dr. Martin et J.-C. Dupont, le PIB a crû de 3,5 % en 2024. "
            "Mme Diallo a signé l'accord… Le montant atteint 1.5 milliard. "
            "Il a dit : « c'est fait. » Puis il est parti ! 2025 sera décisive.")
    got = [body[s:e] for s, e in split_sentences(body)]
    assert got == [
        "Selon le Dr. Martin et J.-C. Dupont, le PIB a crû de 3,5 % en 2024.",
        "Mme Diallo a signé l'accord…",
        "Le montant atteint 1.5 milliard.",
        "Il a dit : « c'est fait. »",
        "Puis il est parti !",
        "2025 sera décisive.",
    ]


def test_empty_body():
    assert find_events("a", "", None, []) == []


def test_custom_rules(tmp_path):
    d = tmp_path / "events"
    d.mkdir()
    (d / "triggers.jsonl").write_text(
        '{"id": "events.protest.greve", "plover": "PROTEST", "lemmas": ["grève"], "kind": "noun", '
        '"context": "none", "plural": true, "example": "Les dockers sont en grève."}\n', encoding="utf-8")
    (d / "guards.tsv").write_text("id\tkind\tword\tlang\texample\n", encoding="utf-8")
    rules = events.load_rules(d)
    evs = find_events("a", "Les dockers sont en grève. Ils ont signé.", None, [], rules=rules)
    assert [(e.event_type, e.trigger) for e in evs] == [("PROTEST", "grève")]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.sampled_from(["Le", "Mali", "a", "signé", "un", "accord", "pourrait", "«", "»", ".", "?", ",", "\n\n",
                          "coopération", "s'est", "engagé", "à", "M.", "pas", "ce", "partenariat", "en", "posant", "x"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=40), st.text(max_size=20))
def test_events_are_well_formed_on_any_text(words, noise):
    body = " ".join(words) + noise
    ms = [mention(body, "country", "Mali", "ML")] if "Mali" in body else []
    evs = find_events("h", body, None, ms, published=datetime.date(2026, 1, 1))
    starts = [e.start for e in evs]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for e in evs:
        assert body[e.start:e.end] == e.sentence
        assert e.start <= body.index(e.trigger, e.start) < e.end
        assert e.event_type in events.PLOVER
        assert e.date_source == "published"


# -- the stage as the registry runs it -------------------------------------------------------

def test_run_gathers_every_mention_kind():
    from pipeline.context import Context, ReadGuard
    from pipeline.stages import BY_NAME
    from pipeline.text.tokens import tokens_for

    body = ("Le Mali et la Banque mondiale ont conclu le 3 mars un partenariat de 5 millions d'euros "
            "pour les écoles.")
    countries = (mention(body, "country", "Mali", "ML"),)
    actors = (mention(body, "actor", "Banque mondiale"),)
    dates = (mention(body, "date", "3 mars", "2025-03-03"),)
    money = (mention(body, "money", "5 millions d'euros", "5000000 EUR"),)
    sectors = (mention(body, "sector", "écoles", "education"),)
    ctx = Context(article_id="a", body=body, doc=None, tokens=tokens_for(body),
                  published=datetime.date(2025, 3, 4), countries=countries, actors=actors, dates=dates,
                  money=money, sectors=sectors, notes=[])
    out = events.run(ReadGuard(ctx, BY_NAME["events"].reads, "events"), events.load_rules(), None)
    ms = sorted([*countries, *actors, *dates, *money, *sectors], key=lambda m: (m.start, m.end, m.kind))
    assert set(out) == {"events"} and list(out["events"]) == find_events("a", body, None, ms,
                                                                          published=datetime.date(2025, 3, 4))
    (ev,) = out["events"]
    assert (ev.countries, ev.actors, ev.date, ev.money, ev.sectors) == (
        ("ML",), ("Banque mondiale",), "2025-03-03", ("5000000 EUR",), ("education",))


def test_an_event_takes_the_sectors_its_sentence_names_even_when_not_the_article_s():
    # a passing mention (kind sector_hit: evidence, not one of the article's topics) is still
    # the sector of the event whose sentence names it (GUIDE: the event's own, from its sentence)
    body = "Le Mali et la Banque mondiale ont signé un accord pour les écoles."
    ms = sorted([mention(body, "country", "Mali", "ML"), mention(body, "actor", "Banque mondiale"),
                 mention(body, "sector_hit", "écoles", "education")], key=lambda m: (m.start, m.end, m.kind))
    (ev,) = find_events("a", body, None, ms, published=datetime.date(2025, 3, 4))
    assert ev.sectors == ("education",)


def test_settings_are_threaded_down():
    from pipeline.settings import defaults

    s = defaults()["events"]
    body = "Le Mali n'a pas signé l'accord."
    assert [dict(e.extra)["polarity"] for e in find_events("a", body, None, [], settings=s)] == ["negated"]
    loose = s.model_copy(update={"negation_before": 0, "negation_after": 0})
    assert [dict(e.extra)["polarity"] for e in find_events("a", body, None, [], settings=loose)] == ["affirmed"]


@pytest.mark.slow
def test_a_definite_generic_noun_refers_back_to_an_event_already_reported(nlp):
    first = "Le Togo a signé un accord de pêche avec le Japon en mars. "
    again = first + "L'accord donne au Togo une place nouvelle en Afrique de l'Ouest."
    other = first + "Un accord avec le Ghana a été trouvé mardi au Togo."
    for body, n in ((again, 1), (other, 2)):
        ms = [mention(body, "country", "Togo", "TG"), mention(body, "country", "Togo", "TG", nth=1)]
        evs = find_events("a", body, nlp(body), ms)
        assert len(evs) == n, [(e.trigger, e.sentence) for e in evs]


@pytest.mark.slow
def test_english_rows_do_not_fire_on_a_french_article(nlp):
    body = "Le Sénégal publie ses résultats dans les mêmes supports que le Ghana."
    ms = [mention(body, "country", "Sénégal", "SN"), mention(body, "country", "Ghana", "GH")]
    assert [e.rule for e in find_events("a", body, nlp(body), ms)] == ["events.support.support_en"]
    assert find_events("a", body, nlp(body), ms, language="fr") == []
