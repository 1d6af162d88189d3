"""spaCy stage: the French model with only the components extraction needs.

``fr_core_news_md`` is loaded with its own-embedding ``ner`` and the tiny
``senter`` (sentence boundaries), plus a *lookup* lemmatizer built from
spacy-lookups-data.  The shared ``tok2vec``, ``morphologizer``, ``parser`` and
rule lemmatizer are excluded: they would double the cost and the stages below
need only entities, sentences and lemmas.

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
EXCLUDED = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer")
#: spaCy's tokenizer and NER are fast but not free on huge inputs: longer
#: bodies are cut into chunks at paragraph boundaries (see ``split_for_model``).
MAX_CHARS = 100_000


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline used by frnews (loaded once per process and model)."""
    return _load(model)


def is_loaded(model: str = DEFAULT_MODEL) -> bool:
    """Whether this process has already loaded ``model`` (other stages then reuse its tables)."""
    return _load.cache_info().currsize > 0 and model in _LOADED


_LOADED: set[str] = set()


@lru_cache(maxsize=2)
def _load(model: str) -> Language:
    _LOADED.add(model)
    nlp = spacy.load(model, exclude=list(EXCLUDED))
    if "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"}, last=True)
    nlp.get_pipe("lemmatizer").initialize()
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
