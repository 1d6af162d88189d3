"""pipeline.text.labels: label lines and the mentions named only there (countries, actors)."""

from __future__ import annotations

from pipeline.records import Mention
from pipeline.stages.countries import find_countries
from pipeline.text.labels import drop_label_only, is_label_line, label_spans

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


def test_asides_are_teasers_next_to_a_call_to_read_and_comments_before_a_signature():
    from pipeline.stages.actors import default_rules

    cues = default_rules().asides
    body = ("Un plan pour les écoles\n" + PARA + "\nLe maire répond aux parents Abonnés\nVoir\n"
            "Les parents d'élèves réclament des moyens, dit la présidente de l'association.\n"
            "Bravo pour cet article, enfin quelqu'un qui parle des écoles.\n— Le 3 mars, par Lecteur75.\n"
            "Une dernière phrase de l'article, écrite par la rédaction.")
    spans = [body[a:b] for a, b in label_spans(body, 10, 30, cues)]
    assert "Le maire répond aux parents Abonnés" in spans           # a paywall tag, and before "Voir"
    assert "Les parents d'élèves réclament des moyens, dit la présidente de l'association." in spans
    assert "Bravo pour cet article, enfin quelqu'un qui parle des écoles." in spans  # a comment
    assert PARA not in spans and "Une dernière phrase de l'article, écrite par la rédaction." not in spans
    assert label_spans(body, 10, 30) == [s for s in label_spans(body, 10, 30, cues)
                                         if is_label_line(body[s[0]:s[1]].strip(), 10)]


def test_a_link_glued_to_a_paragraph_is_no_aside():
    from pipeline.stages.actors import default_rules

    glued = ("À LIRE AUSSI Les écoles ferment leurs portesLa présidente de la fédération des parents, "
             "interrogée mardi, a dit que les familles attendaient depuis des mois une réponse claire "
             "de la mairie sur les moyens donnés aux écoles du quartier et à leurs enseignants")
    body = "Un plan pour les écoles\n" + PARA + "\n" + glued
    assert label_spans(body, 10, 30, default_rules().asides) == []


def test_an_actor_named_only_in_teasers_and_comments_is_no_actor():
    from pipeline.stages.actors import default_rules
    from pipeline.text.labels import drop_label_only as drop

    body = ("Un plan pour les écoles\n" + PARA + " L'Unesco salue le plan.\n"
            "L'histoire de la vente d'une usine, racontée par l'Unicef et la Banque mondiale.\nLe 5 juillet\n"
            "Merci à la Banque mondiale pour ce texte.\n— Le 3 mars, par Lecteur75.")
    a, b = body.index("Unesco"), body.index("Banque mondiale")
    ms = [Mention(kind="actor", text="Unesco", start=a, end=a + 6, value="UNESCO", rule="t"),
          Mention(kind="actor", text="Banque mondiale", start=b, end=b + 15, value="Banque mondiale", rule="t")]
    assert drop(body, ms, 10, 30, asides=default_rules().asides) == ms[:1]
    assert drop(body, ms, 10, 30) == ms  # without the asides: both are named in prose


def test_an_aside_row_whose_example_lacks_its_text_names_the_file_and_line(tmp_path):
    import shutil

    import pytest

    from pipeline.rulebook import RuleFileError
    from pipeline.stages.actors import ACTORS_DIR, load_rules

    d = tmp_path / "actors"
    shutil.copytree(ACTORS_DIR, d)
    with (d / "asides.tsv").open("a", encoding="utf-8") as f:
        f.write("link\técouter\tRegarder la vidéo\n")
    n = len((d / "asides.tsv").read_text(encoding="utf-8").splitlines())
    with pytest.raises(RuleFileError, match=rf"asides.tsv:{n}"):
        load_rules(d)


def test_a_long_line_without_punctuation_is_a_list_of_keywords_in_any_layout():
    from pipeline.stages.actors import default_rules

    tags = ("Retraites grève Paris éducation Jean Dupont réforme budget santé hôpital Lyon football "
            "Ligue 1 municipales Marseille climat Banque mondiale transports logement météo")
    body = "Un plan pour les écoles\nLe maire a présenté son plan.\n" + tags + "\nMots-clés > Écoles, Mairie"
    spans = [body[a:b] for a, b in label_spans(body, 10, 30, default_rules().asides)]
    assert spans == [tags, "Mots-clés > Écoles, Mairie"]  # short lines: no label lines, but asides
    assert label_spans(body, 10, 30) == []


def test_a_byline_with_a_clock_time_is_an_aside():
    from pipeline.stages.actors import default_rules

    byline = "Le Journal | 12.03.2024 à 09h41 • Mis à jour le 13.03.2024 à 17h05 | Par Jeanne Martin"
    prose = "Le rapport, mis à jour le 5 mai, a été présenté par la ministre devant les députés."
    body = "Un plan pour les écoles\n" + byline + "\n" + PARA + "\n" + prose
    spans = [body[a:b] for a, b in label_spans(body, 10, 30, default_rules().asides)]
    assert byline in spans and prose not in spans  # no clock time in the sentence
