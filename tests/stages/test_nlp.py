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
