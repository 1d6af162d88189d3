"""pipeline.text.labels: label lines and the mentions named only there (countries, actors)."""

from __future__ import annotations

from pipeline.records import Mention
from pipeline.stages.countries import find_countries
from pipeline.text.labels import drop_label_only, label_spans

PARA = ("Le conseil municipal de Villeurbanne a voté mardi soir un plan de rénovation des écoles du "
        "quartier, financé en partie par la région, après trois heures de débat et deux suspensions.")


def test_label_lines_are_short_lines_that_do_not_end_like_a_sentence():
    body = "Un plan pour les écoles\n" + PARA + "\nÀ lire aussi\nLe Portugal gagne encore\nFin du texte."
    spans = [body[a:b] for a, b in label_spans(body, 10, 30)]
    assert spans == ["À lire aussi", "Le Portugal gagne encore"]  # not the headline, not a sentence


def test_no_label_lines_in_a_hard_wrapped_text():
    body = "Un plan pour les écoles\nLe conseil a voté un plan\npour les écoles du Portugal"
    assert label_spans(body, 10, 30) == []


def test_a_value_named_once_in_prose_keeps_all_its_mentions():
    body = "Titre\n" + PARA + " Le Portugal aussi.\nLe Portugal gagne"
    a, b = body.index("Portugal"), body.rindex("Portugal")
    ms = [Mention(kind="country", text="Portugal", start=a, end=a + 8, value="PT", rule="countries.name"),
          Mention(kind="country", text="Portugal", start=b, end=b + 8, value="PT", rule="countries.name")]
    assert drop_label_only(body, ms, 10, 30) == ms
    assert drop_label_only(body, ms[1:], 10, 30) == []


def test_a_country_named_only_in_links_to_other_articles_is_dropped():
    body = "Un plan pour les écoles\n" + PARA + "\n16:05 Incertitude pour l'Open d'Australie\n" \
           "Le Maroc et la France signent un accord culturel, a indiqué le ministère."
    assert {m.value for m in find_countries(body) if m.kind == "country"} == {"MA", "FR"}


def test_one_label_line_predicate_for_every_stage():
    from pipeline.text.labels import is_label_line

    assert is_label_line("Santé publique", 10)
    assert is_label_line("Voir aussi : nos dossiers", 10)
    assert not is_label_line("Les médecins réclament des renforts.", 10)   # a sentence
    assert not is_label_line("Lire la suite :", 10)                          # ends like a sentence
    assert not is_label_line("un deux trois quatre cinq six sept huit neuf dix onze", 10)
