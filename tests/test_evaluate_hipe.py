"""HIPE PER/ORG scorer: the fuzzy rule, partial labels, both systems (examples written here)."""

from __future__ import annotations

import json

from pipeline.evaluate_hipe import fold, format_scores, fuzzy_match, score_hipe


def test_fold_drops_case_accents_and_punctuation():
    assert fold("l'Assemblée  Nationale.") == "l assemblee nationale"
    assert fold("M. Émile-Zola") == "m emile zola"


def test_fuzzy_match_is_containment_one_to_one():
    gold = [(0, 14, "Émile Zola"), (40, 47, "Zola")]
    # "Zola" is inside "Émile Zola"; the second prediction takes the second gold mention
    assert fuzzy_match([(6, 10, "Zola"), (40, 47, "ZOLA")], gold) == 2
    # a third prediction has no unused gold mention left
    assert fuzzy_match([(6, 10, "Zola"), (40, 47, "Zola"), (60, 64, "Zola")], gold) == 2
    assert fuzzy_match([(0, 5, "Dreyfus")], gold) == 0


def test_fuzzy_match_prefers_the_overlapping_gold_mention():
    gold = [(0, 10, "Jean Jaurès"), (50, 60, "Jaurès")]
    pred = [(50, 60, "Jaurès"), (0, 4, "Jean Jaurès")]
    assert fuzzy_match(pred, gold) == 2


def test_score_hipe_on_a_small_file(tmp_path, nlp):
    text = ("M. Georges Clemenceau a reçu hier les délégués de la Compagnie des chemins de fer du Nord. "
            "Le ministère de la Guerre n'a rien dit.")
    ents = [{"start": text.index("Georges"), "end": text.index(" a reçu"), "text": "Georges Clemenceau",
             "label": "PER"},
            {"start": text.index("Compagnie"), "end": text.index(" du Nord") + 8,
             "text": "Compagnie des chemins de fer du Nord", "label": "ORG"}]
    rows = [{"id": "a", "text": text, "entities": ents, "partial_labels": []},
            {"id": "b", "text": text, "entities": ents[:1], "partial_labels": ["ORG"]}]
    path = tmp_path / "ner.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    res = score_hipe(path, nlp=nlp)
    assert res["documents"] == 2
    for system in ("pipeline", "spacy"):
        assert res[system]["PER"]["gold"] == 2
        assert res[system]["ORG"]["gold"] == 1  # document b does not score ORG
        assert res[system]["PER"]["tp"] == 2  # the model finds the full name in both
    # the pipeline also finds the ministry, which the gold of this example does not list
    assert res["pipeline"]["ORG"]["pred"] >= 1
    out = format_scores(res)
    assert "pipeline   PER" in out and "spacy      ORG" in out
