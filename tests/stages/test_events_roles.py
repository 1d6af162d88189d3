"""Events: who acts on whom (source / target from the parse) and whether the event is asserted."""

from __future__ import annotations

import pytest

from pipeline.records import Mention
from pipeline.stages import events
from pipeline.stages.events import find_events


def _actors(body: str, *names: str) -> list[Mention]:
    out = []
    for n in names:
        s = body.index(n)
        out.append(Mention(kind="actor", text=n, start=s, end=s + len(n), value=n, rule="test"))
    return out


def _one(nlp, body: str, *names: str):
    (ev,) = find_events("a", body, nlp(body), _actors(body, *names))
    x = dict(ev.extra)
    return ev, tuple(filter(None, x["source_actors"].split("; "))), tuple(filter(None, x["target_actors"].split("; ")))


ROLES = [
    # active: subject acts, object / "avec" complement is acted on
    ("active", "La police a arrêté trois militants de Greenpeace à Lyon.", ("police", "Greenpeace"),
     ("police",), ("Greenpeace",)),
    ("active_avec", "Le ministère marocain a signé un accord de pêche avec la Commission européenne.",
     ("ministère marocain", "Commission européenne"), ("ministère marocain",), ("Commission européenne",)),
    # passive: the "par" agent acts, the subject is acted on
    ("passive", "Trois militants de Greenpeace ont été arrêtés par la police mardi.", ("Greenpeace", "police"),
     ("police",), ("Greenpeace",)),
    ("passive_participle", "Le camp de Jabalia, bombardé par l'armée israélienne, compte 116 000 habitants.",
     ("camp de Jabalia", "armée israélienne"), ("armée israélienne",), ("camp de Jabalia",)),
    # pronoun-dropped: the infinitive or the second conjunct borrows the subject
    ("control", "L'Anses a décidé de suspendre la licence de Bayer.", ("Anses", "Bayer"), ("Anses",), ("Bayer",)),
    ("conjunct", "Le Qatar a convoqué l'ambassadeur et a accusé Israël de crimes de guerre.", ("Qatar", "Israël"),
     ("Qatar",), ("Israël",)),
    ("relative", "Le Hamas, qui a attaqué Israël le 7 octobre, détient des otages.", ("Hamas", "Israël"),
     ("Hamas",), ("Israël",)),
    # coordination: every conjunct takes the role
    ("coordinated", "Bruxelles a sanctionné la Russie et la Biélorussie lundi.", ("Bruxelles", "Russie", "Biélorussie"),
     ("Bruxelles",), ("Russie", "Biélorussie")),
    ("coordinated_subjects", "Emmanuel Macron et Olaf Scholz ont rencontré Joe Biden à Washington.",
     ("Emmanuel Macron", "Olaf Scholz", "Joe Biden"), ("Emmanuel Macron", "Olaf Scholz"), ("Joe Biden",)),
    ("indirect_object", "Le FMI a exhorté le gouvernement tunisien à réduire les subventions.",
     ("FMI", "gouvernement tunisien"), ("FMI",), ("gouvernement tunisien",)),
]


@pytest.mark.slow
@pytest.mark.parametrize(("body", "names", "src", "tgt"), [pytest.param(*r[1:], id=r[0]) for r in ROLES])
def test_source_and_target(nlp, body, names, src, tgt):
    ev, s, t = _one(nlp, body, *names)
    assert (s, t) == (src, tgt), ev.trigger
    assert set(s) | set(t) <= set(ev.actors)


@pytest.mark.slow
def test_no_actor_no_parse(nlp, monkeypatch):
    from pipeline.stages.events import roles

    def boom(*a, **k):
        raise AssertionError("parsed a sentence without any actor")

    monkeypatch.setattr(roles, "source_target", boom)
    body = "Le Togo a signé un accord de pêche."
    (ev,) = find_events("a", body, nlp(body), [])
    assert dict(ev.extra)["source_actors"] == "" and dict(ev.extra)["target_actors"] == ""


def test_roles_off_and_no_doc_leave_them_empty():
    from pipeline.settings import defaults

    body = "La police a arrêté trois militants de Greenpeace."
    off = defaults()["events"].model_copy(update={"roles": False})
    for doc, settings in ((None, None), (None, off)):
        (ev,) = find_events("a", body, doc, _actors(body, "police", "Greenpeace"), settings=settings)
        assert ev.actors == ("police", "Greenpeace") and dict(ev.extra)["source_actors"] == ""


def _mark(nlp, body: str) -> tuple[str, str, str]:
    (ev,) = find_events("a", body, nlp(body), _actors(body, "Togo"))
    x = dict(ev.extra)
    return ev.event_type, x["polarity"], x["modality"]


ASSERTION = [
    ("asserted", "Le Togo a signé un accord de pêche avec le Japon.", ("AGREE", "affirmed", "asserted")),
    ("negated", "Le Togo n'a pas signé l'accord de pêche.", ("AGREE", "negated", "asserted")),
    ("never", "Le Togo n'a jamais ratifié la convention.", ("AGREE", "negated", "asserted")),
    ("possible_hedge", "Le Togo pourrait signer un accord de pêche.", ("AGREE", "affirmed", "possible")),
    ("possible_conditional", "Le Togo signerait un accord de pêche avec le Japon.", ("AGREE", "affirmed", "possible")),
    ("possible_envisage", "Le Togo envisage de signer un accord de pêche.", ("AGREE", "affirmed", "possible")),
    ("planned_cue", "Le Togo prévoit de signer un accord de pêche en mars.", ("AGREE", "affirmed", "planned")),
    ("planned_aller", "Le Togo va signer un accord de pêche avec le Japon.", ("AGREE", "affirmed", "planned")),
    ("planned_future", "Le Togo signera un accord de pêche avec le Japon.", ("AGREE", "affirmed", "planned")),
    ("requested", "L'ONU invite le Togo à ratifier la convention.", ("AGREE", "affirmed", "requested")),
    # the call itself is the act when the verb names who is called on ("appelle X à …": REQUEST)
    ("call_on", "L'ONU appelle le Togo à ratifier la convention.", ("REQUEST", "affirmed", "asserted")),
    # refusing is an act: a negated "accepter" rejects
    ("refusal", "Le Togo n'accepte pas les conditions du Japon.", ("REJECT", "affirmed", "asserted")),
    ("refusal_clitic", "Les pêcheurs du Togo ne l'acceptent pas.", ("REJECT", "affirmed", "asserted")),
    ("reported_selon", "Selon l'AFP, le Togo a signé un accord de pêche.", ("AGREE", "affirmed", "reported")),
    ("reported_conditional", "L'armée du Togo aurait bombardé le camp.", ("ASSAULT", "affirmed", "reported")),
    ("future_in_the_past", "Le ministre a annoncé que le Togo signerait l'accord.", ("AGREE", "affirmed", "reported")),
    ("negated_and_possible", "Le Togo ne pourrait pas signer l'accord.", ("AGREE", "negated", "possible")),
]


@pytest.mark.slow
@pytest.mark.parametrize(("body", "expected"), [pytest.param(*r[1:], id=r[0]) for r in ASSERTION])
def test_polarity_and_modality(nlp, body, expected):
    assert _mark(nlp, body) == expected


@pytest.mark.slow
def test_a_counted_trigger_outranks_a_marked_one(nlp):
    # "signer" (weight 6) is requested; the asserted "accuser" (weight 5) is the sentence's event
    body = "Le Togo a accusé le Bénin et appelle le Ghana à signer la convention."
    (ev,) = find_events("a", body, nlp(body), _actors(body, "Togo", "Bénin", "Ghana"))
    assert ev.event_type == "ACCUSE" and events.counted(ev)


ONE_ACTOR = [
    ("subject", "La police a arrêté trois militants à Lyon.", "police", (("police",), ())),
    ("passive_subject", "Le militant a été arrêté mardi à Lyon.", "militant", ((), ("militant",))),
    ("object", "Des jihadistes ont attaqué la Minusma près de Gao.", "Minusma", ((), ("Minusma",))),
    ("agent", "Trois militants ont été arrêtés par la police.", "police", (("police",), ())),
]
ONE_SIDE = [
    ("coordinated_subjects", "Le Maroc et la Tunisie ont signé mardi un accord.", ("Maroc", "Tunisie"),
     (("Maroc", "Tunisie"), ())),
    ("passive_subjects", "Le Maroc et la Tunisie ont été sanctionnés mardi.", ("Maroc", "Tunisie"),
     ((), ("Maroc", "Tunisie"))),
    ("object_and_agent", "Ont été arrêtés lundi des militants de Greenpeace par la police.",
     ("Greenpeace", "police"), (("police",), ("Greenpeace",))),
]


@pytest.mark.slow
@pytest.mark.parametrize(("body", "name", "roles"), [pytest.param(*r[1:], id=r[0]) for r in ONE_ACTOR])
def test_one_actor_takes_its_side_of_the_trigger_without_a_parse(nlp, monkeypatch, body, name, roles):
    from pipeline.stages.events import roles as roles_mod

    monkeypatch.setattr(roles_mod, "source_target", lambda *a: pytest.fail("parsed a one-actor sentence"))
    _, s, t = _one(nlp, body, name)
    assert (s, t) == roles


@pytest.mark.slow
@pytest.mark.parametrize(("body", "names", "roles"), [pytest.param(*r[1:], id=r[0]) for r in ONE_SIDE])
def test_actors_on_one_side_need_no_parse(nlp, monkeypatch, body, names, roles):
    from pipeline.stages.events import roles as roles_mod

    monkeypatch.setattr(roles_mod, "source_target", lambda *a: pytest.fail("parsed a one-sided sentence"))
    _, s, t = _one(nlp, body, *names)
    assert (s, t) == roles
