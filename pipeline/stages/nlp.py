"""spaCy stage: the French model with only the components extraction needs.

``fr_core_news_md`` is loaded with its own-embedding ``ner`` only: exactly
what bare NER-only spaCy runs.  The shared ``tok2vec``, ``morphologizer``,
``parser``, ``senter`` and lemmatizers are excluded: the stages need the
model's entities and tokens only.  Sentences come from a rule splitter
(``pipeline.text.sentences``) and lemmas from the lookup table of
spacy-lookups-data (``pipeline.text.tokens.lemma_of``), both on demand and cached per
word, which measured cheaper than running ``senter`` (≈ 1.7 ms per article)
and spaCy's lookup lemmatizer over every token (≈ 1.3 ms).

The model reads only the text near a capitalised word (:func:`pipe_ner`): its entities
(PER, ORG, LOC, MISC) are capitalised in French, so the NER component gets the tokens from
``ner_context_before`` before to ``ner_context_after`` after each capitalised word that is
not a function word ("Le", "Il", "L'" open sentences; they are no names), joined into one
shorter doc; every other token is marked outside any entity, as the model would have marked
it.  The model's encoder sees 4 tokens on each side of a word; names run mostly after their
first capital ("Organisation mondiale de la santé", "Agence nationale de sécurité du
médicament et des produits de santé"), hence the longer context after.  On French news
this is about half of the text: the model's time falls by about as much.  The doc every
later stage reads is still the whole body, tokenized as before.

Nothing is downloaded at run time: the model is a pip package pinned in
``pyproject.toml``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:  # spaCy is imported when a model is loaded: a run with nothing to do never pays for it
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

DEFAULT_MODEL = "fr_core_news_md"
#: Components of the packaged pipeline that the extraction does not use.
EXCLUDED = ("tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer")
#: spaCy's tokenizer and NER are fast but not free on huge inputs: longer
#: bodies are cut into chunks at paragraph boundaries (see ``split_for_model``).
MAX_CHARS = 100_000


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline used by frnews (loaded once per process and model)."""
    return _load(model)


@lru_cache(maxsize=2)
def _load(model: str) -> Language:
    import spacy

    nlp = spacy.load(model, exclude=list(EXCLUDED))
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
    log.debug("loaded %s with components %s", model, nlp.pipe_names)
    return nlp


class TokenizerWarmth:
    """Fills spaCy's tokenizer cache outside memory zones, once per process.

    spaCy's tokenizer remembers how it split each whitespace-separated chunk
    (at most ``tokenizer.max_cache_size`` of them, 10,000 by default), but
    inside a memory zone it caches nothing: every chunk goes through the
    prefix, suffix and infix rules again, which measured ≈ 14 ms per article
    against ≈ 0.6 ms with a warm cache.  Bare ``nlp.pipe`` (no zone) fills
    the cache with the first chunks it meets.  This does the same: the first
    texts a process sees are made into docs *outside* the zone until they
    have brought as many distinct chunks as the cache holds; later texts are
    tokenized inside the zone.  What stays in memory is bounded: the cache's
    own limit plus the lexemes of those first chunks.  The tokens are the
    same either way (the cache only remembers the tokenizer's answer).
    """

    def __init__(self) -> None:
        #: distinct chunks tokenized outside a zone so far; None once the cache is full
        self.seen: set[str] | None = set()

    @property
    def full(self) -> bool:
        return self.seen is None

    def prepare(self, nlp: Language, texts: list[str]) -> list:
        """``texts`` with the leading ones made into docs now (call outside any memory zone)."""
        seen = self.seen
        if seen is None or nlp.vocab.in_memory_zone:
            return list(texts)
        limit = nlp.tokenizer.max_cache_size
        out: list = []
        for k, text in enumerate(texts):
            out.append(nlp.make_doc(text))
            seen.update(text.split())
            if len(seen) >= limit:
                self.seen = None  # full: the rest of the run tokenizes inside zones
                return out + list(texts[k + 1:])
        return out


#: One per pipeline object; weak, so that a pipeline dropped by its owner is freed.
_WARMTH: WeakKeyDictionary = WeakKeyDictionary()


def warmth(nlp: Language) -> TokenizerWarmth:
    """The :class:`TokenizerWarmth` of this process for ``nlp``."""
    w = _WARMTH.get(nlp)
    if w is None:
        w = _WARMTH[nlp] = TokenizerWarmth()
    return w


def split_for_model(body: str, max_chars: int = MAX_CHARS) -> list[tuple[int, str]]:
    """Cut ``body`` into ``(offset, chunk)`` pieces of at most ``max_chars``.

    Cuts fall on paragraph breaks where possible, then on line breaks, then on
    spaces, so entities are rarely split.
    """
    if len(body) <= max_chars:
        return [(0, body)]
    out: list[tuple[int, str]] = []
    pos = 0
    while pos < len(body):
        end = min(pos + max_chars, len(body))
        if end < len(body):
            for sep in ("\n\n", "\n", " "):
                cut = body.rfind(sep, pos + max_chars // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        out.append((pos, body[pos:end]))
        pos = end
    return out


# -- the model over the text near a capitalised word -------------------------------------

def _name_flags(doc: Doc):
    """1 for each token of ``doc`` that is a capitalised word and not a function word, else 0."""
    from spacy.attrs import IS_CURRENCY, IS_DIGIT, IS_LOWER, IS_PUNCT, IS_SPACE, IS_STOP, LIKE_NUM

    arr = doc.to_array([IS_LOWER, IS_STOP, IS_PUNCT, IS_SPACE, IS_DIGIT, LIKE_NUM, IS_CURRENCY])
    return (arr.sum(axis=1) == 0).astype("int32")


def name_runs(doc: Doc, before: int, after: int) -> list[tuple[int, int]]:
    """Token runs ``[start, end)`` of ``doc`` within ``before`` tokens before or ``after``
    tokens after a capitalised word that is not a function word (spaCy's ``is_stop`` of the
    model's language); overlapping and touching runs are one."""
    import numpy as np

    n = len(doc)
    if not n:
        return []
    seen = np.concatenate(([0], np.cumsum(_name_flags(doc))))  # seen[k]: flagged tokens before k
    i = np.arange(n)
    near = (seen[np.minimum(n, i + before + 1)] - seen[np.maximum(0, i - after)]) > 0
    edges = np.flatnonzero(np.diff(np.concatenate(([0], near.astype("int8"), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def _sub_doc(doc: Doc, runs: list[tuple[int, int]]) -> tuple[Doc, list[int]]:
    """The tokens of ``runs`` as one doc (a space after each run), and each token's index in ``doc``."""
    from spacy.attrs import ORTH, SPACY
    from spacy.tokens import Doc

    arr = doc.to_array([ORTH, SPACY])
    strings = doc.vocab.strings
    idx: list[int] = []
    words: list[str] = []
    spaces: list[bool] = []
    for a, b in runs:
        idx.extend(range(a, b))
        words.extend(strings[o] for o in arr[a:b, 0].tolist())
        spaces.extend(map(bool, arr[a:b, 1].tolist()))
        spaces[-1] = True
    return Doc(doc.vocab, words=words, spaces=spaces), idx


def pipe_ner(nlp: Language, inputs: Iterable[str | Doc], *, batch_size: int = 16,
             context: tuple[int, int] | None = (6, 12)) -> Iterator[Doc]:
    """Docs of ``inputs`` (texts, or docs already tokenized) with the model's entities.

    With ``context = (before, after)``, the NER component reads only the :func:`name_runs`
    of each doc (joined into one shorter doc), and its entities are put back on the whole
    doc; every other token is marked outside any entity.  With ``context=None``, or when
    the pipeline is not NER alone, this is ``nlp.pipe``.
    """
    if context is None or nlp.pipe_names != ["ner"]:
        yield from nlp.pipe(inputs, batch_size=batch_size)
        return
    from spacy.tokens import Doc, Span

    ner = nlp.get_pipe("ner")
    before, after = context
    it = iter(inputs)
    while batch := list(islice(it, batch_size)):
        docs = [x if isinstance(x, Doc) else nlp.make_doc(x) for x in batch]
        subs, maps = [], []
        for doc in docs:
            runs = name_runs(doc, before, after)
            idx = None
            if runs != [(0, len(doc))]:
                doc, idx = _sub_doc(doc, runs)
            subs.append(doc)
            maps.append(idx)
        for doc, sub, idx in zip(docs, ner.pipe(subs, batch_size=batch_size), maps):
            if idx is not None:
                ents = [Span(doc, idx[e.start], idx[e.end - 1] + 1, label=e.label) for e in sub.ents
                        if idx[e.end - 1] - idx[e.start] == e.end - 1 - e.start]  # not across a left-out gap
                doc.set_ents(ents, default="outside")
            yield doc
