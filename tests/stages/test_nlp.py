"""The spaCy stage: the tokenizer cache is filled outside memory zones, and only up to its limit."""

from __future__ import annotations

import spacy

from pipeline import process
from pipeline.records import RawRecord
from pipeline.stages.nlp import TokenizerWarmth, split_for_model

TEXTS = [
    "Aujourd'hui, M. Dupont a signé l'accord à Paris (AFP).",
    "Le 1er mars 2024, la Banque mondiale a prêté 20 millions d'euros au Sénégal, etc.",
    "Voir https://example.org/article?id=3 ou écrire à presse@example.org : « c'est-à-dire » !",
    "Les États-Unis et l'Union européenne ont-ils répondu ? Peut-être... 3,5 % de hausse.",
    "Sud-Soudan : l’ONU s’inquiète ; les pourparlers reprendront jusqu’au 15/04.",
]


def _tokens(doc):
    return [(t.text, t.whitespace_) for t in doc]


def test_warm_and_cold_tokenization_agree():
    cold = spacy.blank("fr")
    with cold.memory_zone():
        expected = [_tokens(cold.make_doc(t)) for t in TEXTS]
    warm = spacy.blank("fr")
    docs = TokenizerWarmth().prepare(warm, TEXTS)  # made outside a zone: they fill the cache
    assert [_tokens(d) for d in docs] == expected
    with warm.memory_zone():  # inside a zone: answered from the cache where it can
        assert [_tokens(warm.make_doc(t)) for t in TEXTS] == expected


def test_warmth_stops_at_the_cache_limit():
    nlp = spacy.blank("fr")
    nlp.tokenizer.max_cache_size = 12
    w = TokenizerWarmth()
    texts = [f"mot{i}a mot{i}b mot{i}c mot{i}d mot{i}e" for i in range(6)]  # 5 new chunks each
    out = w.prepare(nlp, texts)
    kinds = [type(x).__name__ for x in out]
    assert kinds == ["Doc", "Doc", "Doc", "str", "str", "str"]  # 15 chunks >= 12 after the third
    assert w.full
    assert all(isinstance(x, str) for x in w.prepare(nlp, ["encore d'autres mots"]))


def test_warmth_does_nothing_inside_a_zone():
    nlp = spacy.blank("fr")
    w = TokenizerWarmth()
    with nlp.memory_zone():
        assert w.prepare(nlp, ["un texte"]) == ["un texte"]
    assert not w.full


def test_vocabulary_stops_growing_once_the_cache_is_warm():
    nlp = spacy.blank("fr")
    nlp.tokenizer.max_cache_size = 40
    before = len(nlp.vocab.strings)
    sizes = []
    for b in range(6):
        raws = [RawRecord(article_id=f"b{b}-{i}", source="t",
                          text=f"Le projet zorglub{b}x{i} avance à Dakar, selon le ministre {b}{i}qwz.")
                for i in range(4)]
        arts = process.process_batch(raws, nlp=nlp)
        assert all(a.status == "ok" for a in arts)
        sizes.append(len(nlp.vocab.strings))
    # every batch brings new words: the first batch, tokenized outside the zone, keeps
    # its words; once the cache is warm, batches live in memory zones and leave nothing
    assert sizes[0] > before
    assert sizes[-1] == sizes[-2] == sizes[-3]


def test_split_for_model_cuts_on_paragraphs():
    body = "\n\n".join(["a" * 40] * 5)
    parts = split_for_model(body, 100)
    assert "".join(p for _, p in parts) == body
    assert all(len(p) <= 100 for _, p in parts)
    assert all(p.endswith("\n\n") for _, p in parts[:-1])


# -- the model over the text near a capitalised word ----------------------------------


def _runs_text(doc, runs):
    return [doc[a:b].text for a, b in runs]


def test_name_runs_around_capitalised_words(nlp):
    from pipeline.stages.nlp import name_runs

    doc = nlp.make_doc("Il a précisé que la hausse des prix continuera encore longtemps dans "
                       "toutes les régions du pays selon Marie Curie et ses collègues du laboratoire.")
    # "Il" opens the sentence (a function word); "Marie" and "Curie" are the only names
    assert _runs_text(doc, name_runs(doc, 2, 3)) == ["pays selon Marie Curie et ses collègues"]
    assert name_runs(doc, 100, 100) == [(0, len(doc))]
    lower = nlp.make_doc("L'usine ferme. Les salariés sont inquiets, 3,5 % de baisse en 2024 ; € ?")
    assert name_runs(lower, 1, 1) == []  # function words, numbers, a currency sign: no name
    assert name_runs(nlp.make_doc("LE PRIX DU PAIN"), 0, 0) == [(1, 2), (3, 4)]  # PRIX, PAIN (not LE, DU)
    assert name_runs(nlp.make_doc(""), 4, 4) == []


def test_name_runs_join_overlapping_windows(nlp):
    from pipeline.stages.nlp import name_runs

    doc = nlp.make_doc("selon Paris et Berlin puis un long silence de plusieurs mots avant Rome")
    assert _runs_text(doc, name_runs(doc, 1, 2)) == ["selon Paris et Berlin puis un", "avant Rome"]


def test_pipe_ner_keeps_the_whole_doc_and_the_model_s_names(nlp):
    from pipeline.stages.nlp import name_runs, pipe_ner

    text = ("Il a précisé que la hausse des prix continuera jusqu'à la fin de l'année prochaine, "
            "sans doute au-delà, et que les ménages les plus modestes seront les premiers touchés "
            "par cette évolution que personne ne semble en mesure de freiner aujourd'hui. "
            "Emmanuel Macron a reçu Olaf Scholz à l'Élysée mardi. "
            "Mais les syndicats ne se disent pas convaincus par ces annonces faites à la hâte "
            "et réclament une nouvelle réunion avant la fin du mois prochain au plus tard.")
    (doc,) = pipe_ner(nlp, [text])
    assert [t.text for t in doc] == [t.text for t in nlp.make_doc(text)]  # every token, as tokenized
    whole = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in whole.ents]
    runs = name_runs(doc, 6, 12)
    assert sum(b - a for a, b in runs) < len(doc) / 2  # the model read less than half of it
    inside = {i for a, b in runs for i in range(a, b)}
    assert all(t.ent_iob_ == "O" for t in doc if t.i not in inside)
    (plain,) = pipe_ner(nlp, [text], context=None)  # off: the model over every token
    assert [(e.text, e.label_) for e in plain.ents] == [(e.text, e.label_) for e in whole.ents]


def test_pipe_ner_reads_long_lower_case_tails_of_names(nlp):
    from pipeline.stages.nlp import pipe_ner

    text = ("Dans un avis rendu public cette semaine après de longs mois de travail, "
            "l'Agence nationale de sécurité du médicament et des produits de santé recommande "
            "de retirer le produit des rayons des pharmacies sans attendre la fin des analyses.")
    (doc,) = pipe_ner(nlp, [text])
    assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in nlp(text).ents]


def test_pipe_ner_with_nothing_to_read(nlp):
    from pipeline.stages.nlp import pipe_ner

    docs = list(pipe_ner(nlp, ["il pleut. mais les prix montent.", "", "Paris."]))
    assert [len(d.ents) for d in docs[:2]] == [0, 0]
    assert all(t.ent_iob_ == "O" for t in docs[0])
    assert [d.text for d in docs] == ["il pleut. mais les prix montent.", "", "Paris."]
