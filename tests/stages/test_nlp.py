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


# -- the model over the sentences that can hold a name -------------------------------

STOPS = frozenset({"il", "elle", "mais", "les", "la", "le", "selon", "l'", "l’"})


def test_nameless_sentences():
    from pipeline.stages.nlp import nameless

    assert nameless("Il a précisé que la hausse continuera.", STOPS)
    assert nameless("mais les prix montent encore", STOPS)
    assert nameless("« Elle reviendra », dit-on.", STOPS)  # a quotation mark before the first word
    assert nameless("L'entreprise a cédé ses parts.", STOPS)  # an elided article
    assert nameless("L’usine ferme.", STOPS)
    assert not nameless("L'Oréal a cédé ses parts.", STOPS)
    assert not nameless("La hausse touche l'Europe.", STOPS)
    assert not nameless("Il a précisé que Paris suivra.", STOPS)  # a capital after the first word
    assert not nameless("Dupont a précisé que la hausse continuera.", STOPS)  # a name first
    assert not nameless("LE gouvernement a tranché.", STOPS)  # a word in capitals
    assert not nameless("Selon l'ONU, tout va bien.", STOPS)
    assert not nameless("Il cite Дмитрий sans plus.", STOPS)  # a capital of another script counts


def test_named_spans_join_neighbours_and_skip_nameless():
    from pipeline.stages.nlp import named_spans

    text = ("Le maire de Lyon a parlé. La Ville suivra. Il a dit que la hausse continuera. "
            "Mais les prix montent.\nSelon l'ONU, tout va bien.")
    spans = named_spans(text, STOPS)
    assert [text[s:e] for s, e in spans] == ["Le maire de Lyon a parlé. La Ville suivra.",
                                            "Selon l'ONU, tout va bien."]


def test_pipe_ner_keeps_the_whole_doc_and_finds_names_where_they_can_be(nlp):
    from pipeline.stages.nlp import named_spans, pipe_ner

    text = ("Il a précisé que la hausse des prix continuera jusqu'à la fin de l'année. "
            "Emmanuel Macron a reçu Olaf Scholz à l'Élysée mardi. "
            "Mais les syndicats ne se disent pas convaincus par ces annonces.")
    full = nlp("Emmanuel Macron a reçu Olaf Scholz à l'Élysée mardi.")
    (doc,) = pipe_ner(nlp, [text])
    assert [t.text for t in doc] == [t.text for t in nlp.make_doc(text)]  # every token, as tokenized
    spans = named_spans(text, nlp.Defaults.stop_words)
    assert len(spans) == 1
    offset = spans[0][0]
    assert {(e.start_char - offset, e.end_char - offset, e.label_) for e in doc.ents} == \
        {(e.start_char, e.end_char, e.label_) for e in full.ents}
    assert all(t.ent_iob_ == "O" for t in doc if not spans[0][0] <= t.idx < spans[0][1])
    (plain,) = pipe_ner(nlp, [text], skip_nameless=False)  # off: the model over every sentence
    assert [(e.text, e.label_) for e in plain.ents] == [(e.text, e.label_) for e in nlp(text).ents]


def test_pipe_ner_with_nothing_to_read(nlp):
    from pipeline.stages.nlp import pipe_ner

    docs = list(pipe_ner(nlp, ["il pleut. mais les prix montent.", "", "Paris."]))
    assert [len(d.ents) for d in docs[:2]] == [0, 0]
    assert all(t.ent_iob_ == "O" for t in docs[0])
    assert [d.text for d in docs] == ["il pleut. mais les prix montent.", "", "Paris."]
