"""``frnews eval``: the set registry, the scorers' counting rules, and no perfect score over nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluate import SETS, EvalError, Options, _module_scorer, evaluate, run_set
from pipeline.evaluate.common import Accuracy, Tally, title_norm
from pipeline.evaluate.guide import line_classes
from pipeline.evaluate.pagesweb import evaluate_pagesweb

P1 = ("Le conseil municipal a voté mardi soir le budget de la nouvelle médiathèque, dont les travaux "
      "doivent commencer au printemps après deux années de débats entre la majorité et l'opposition.")
P2 = ("Selon l'adjoint chargé de la culture, le bâtiment accueillera aussi une salle de spectacle et "
      "un espace numérique ouvert aux associations du quartier, pour un coût total de douze millions.")
PAGE = "\n".join(["Accueil", "Culture", "Sport", "Se connecter", "La ville vote le budget de sa médiathèque",
                  "Publié le 4 novembre 2021", P1, P2, "Mentions légales"])


def _guide_set(tmp_path: Path, gold: dict, text: str = PAGE) -> Path:
    (tmp_path / "raw").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "raw" / "p1.txt").write_text(text, encoding="utf-8")
    base = {"article": "p1", "countries": [], "actors": [], "dates": [], "money": [], "sectors": [], "events": []}
    (tmp_path / "gold" / "p1.json").write_text(json.dumps({**base, **gold}), encoding="utf-8")
    return tmp_path


def test_every_development_set_is_registered():
    assert set(SETS) == {"seeds", "pages", "pages-web", "ftib", "hipe"}


def test_empty_gold_folder_is_a_user_mistake(tmp_path, capsys):
    (tmp_path / "gold").mkdir()
    assert main(["eval", "--gold", str(tmp_path / "gold")]) == 2
    assert "no gold file" in capsys.readouterr().err
    with pytest.raises(EvalError):
        evaluate(tmp_path / "gold", [tmp_path])


def test_gold_matching_no_input_says_what_it_found(tmp_path, capsys):
    root = _guide_set(tmp_path, {"title": "x", "published": None,
                                 "lines": {"body_first_line": 5, "body_last_line": 8}})
    other = tmp_path / "other"
    other.mkdir()
    (other / "q9.txt").write_text(P1, encoding="utf-8")
    rc = main(["eval", "--gold", str(root / "gold"), "--input", str(other)])
    err = capsys.readouterr().err
    assert rc == 2 and "none of the 1 input record(s)" in err and "1 gold file(s)" in err


def test_unknown_set_and_missing_folder_exit_2(tmp_path, capsys):
    assert main(["eval", "--set", "nope"]) == 2
    assert main(["eval", "--set", "pages-web", "--path", str(tmp_path / "absent")]) == 2
    assert "not found" in capsys.readouterr().err


def test_a_scorer_not_yet_installed_is_reported_not_crashed(tmp_path):
    with pytest.raises(EvalError, match="not available"):
        _module_scorer("pipeline.no_such_scorer", "score", "x")(tmp_path, Options())


def test_line_numbers_gold_format():
    raw = ["Menu", "Titre", "", "Paragraphe un", "Partager", "Paragraphe deux", "Pied de page"]
    gold = {"lines": {"body_first_line": 2, "body_last_line": 6, "inner_boilerplate_lines": [5],
                      "optional_lines": [4]}}
    body, boiler, optional = line_classes(gold, raw)
    assert body == ["Titre", "Paragraphe deux"]
    assert boiler == ["Menu", "Partager", "Pied de page"]
    assert optional == ["Paragraphe un"]


def test_guide_set_title_date_and_lines_without_the_model(tmp_path):
    root = _guide_set(tmp_path, {"title": "La ville vote le budget de sa médiathèque", "published": "2021-11-04",
                                 "lines": {"body_first_line": 5, "body_last_line": 8, "optional_lines": [6]}})
    r = evaluate(root / "gold", [root / "raw"], fields=False, name="pages")
    assert (r.gold_files, r.predicted, r.matched) == (1, 1, 1)
    assert (r.title.ok, r.title.n, r.published.ok, r.published.n) == (1, 1, 1, 1)
    assert (r.body_lines.tp, r.body_lines.gold) == (3, 3)  # title + two paragraphs
    assert (r.boilerplate_lines.tp, r.boilerplate_lines.gold) == (5, 5)


def test_pages_web_counting(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "fr-1.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "pages" / "en-2.txt").write_text("Home\nNews\n" + P1, encoding="utf-8")
    golds = [
        {"id": "fr-1", "language": "fr", "title": "La ville vote le budget de sa médiathèque",
         "published": "2021-11-04", "with": [P2[:40]], "without": ["Mentions légales"]},
        {"id": "en-2", "language": "en", "title": "A title the page does not print", "published": "2020-01-01",
         "with": [], "without": ["Home"]},
    ]
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(g) for g in golds), encoding="utf-8")
    r = evaluate_pagesweb(tmp_path)
    g = r.groups
    assert (g["all"].title.ok, g["all"].title.n) == (1, 2)
    assert (g["all"].published.ok, g["all"].published.wrong, g["all"].published.n) == (1, 0, 2)
    assert (g["fr"].with_ok, g["fr"].with_n, g["fr"].without_ok, g["fr"].without_n) == (1, 1, 1, 1)
    assert (g["other"].without_ok, g["other"].without_n) == (1, 1)
    assert "lang:en" in g and r.as_dict()["fr"]["kept"] == 1.0


def test_pages_web_set_without_gold_is_an_error(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "gold.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(EvalError, match="no gold record"):
        run_set("pages-web", tmp_path)


def test_tallies_say_zero_not_one_when_nothing_matches():
    t = Tally()
    t.add(0, 0, 5)
    assert (t.precision, t.recall, t.f1) == (0.0, 0.0, 0.0)
    a = Accuracy()
    a.add("", "2021-11-04")
    a.add("2021-11-05", "2021-11-04")
    assert (a.ok, a.wrong, a.missing) == (0, 1, 1)
    assert title_norm("« L’été », enfin !") == title_norm("l'ete enfin")


def test_gold_published_gives_the_relative_dates_their_anchor(tmp_path):
    # the page prints no date: "mardi soir" and "au printemps" (the next one) have no value,
    # unless the gold publication date is given
    text = "\n".join(l for l in PAGE.split("\n") if not l.startswith("Publié"))
    root = _guide_set(tmp_path, {"title": "La ville vote le budget de sa médiathèque", "published": "2021-11-04",
                                 "dates": [{"text": "mardi soir", "value": "2021-11-02"},
                                           {"text": "au printemps", "value": "2022-21"}],
                                 "lines": {"body_first_line": 5, "body_last_line": 7}}, text)
    plain = evaluate(root / "gold", [root / "raw"], name="pages")
    given = evaluate(root / "gold", [root / "raw"], name="pages", gold_published=True)
    assert (plain.fields["dates"].tp, plain.fields["dates"].pred) == (0, 0)
    assert (given.fields["dates"].tp, given.fields["dates"].pred, given.fields["dates"].gold) == (2, 2, 2)
    assert given.as_dict()["gold_published"] and "gold publication date given" in given.format()


def test_actor_types_are_scored_on_the_matched_actors_only():
    from types import SimpleNamespace

    from pipeline.evaluate.guide import FIELDS, _score_fields

    def actor(name, typ):
        return SimpleNamespace(kind="actor", value=name, actor_type=typ, text=name)

    art = SimpleNamespace(events=[], mentions=[
        actor("Préfecture du Rhône", "GOV"),          # matched, same type
        actor("Conseil d'État", "ORG"),               # matched by alias, another type
        actor("Jeanne Martin", "PER"),                # not in the gold: no type scored
    ])
    gold = {"actors": [{"name": "préfecture du Rhône", "type": "GOV"},
                       {"name": "Conseil d'Etat", "aliases": ["Conseil d'État"], "type": "GOV"},
                       {"name": "Syndicat des eaux", "type": "ORG"}]}
    tallies, types = {k: Tally() for k in FIELDS}, Accuracy()
    _score_fields(art, gold, ["body"], [], tallies, types)
    assert (tallies["actors"].tp, tallies["actors"].pred, tallies["actors"].gold) == (2, 3, 3)
    assert (types.ok, types.wrong, types.n) == (1, 1, 2)
