"""The regex tokenizer (:func:`pipeline.text.tokens.text_tokens`) gives the tokens of the plain path:
every match of ``TOKEN_RE`` but bare hyphens, each made by ``_tok``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.tokens import HYPHENS, TOKEN_RE, _tok, text_tokens

TEXTS = [
    "L'entreprise a investi 3,5 millions d'euros en R&D - selon le PDG -- lundi.",
    "Les semi‐conducteurs ‑ et les micro‒puces : qu’en pense-t-on ?",
    "Jusqu'à présent, lorsqu’il pleut, c'est l'été ‐ ‑‑ ‒",
    "", "   ", "-", "‐‑‒-", "Ottawa signs a 20-year deal with the U.S.-led E.U. group.",
]


def _plain(text: str, offset: int = 0):
    return [_tok(offset + m.start(), m.group(), None) for m in TOKEN_RE.finditer(text)
            if not all(c in HYPHENS for c in m.group())]


def test_written_texts():
    for text in TEXTS:
        assert text_tokens(text) == _plain(text), text
        assert text_tokens(text, 17) == _plain(text, 17), text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab É'’ -‐‑‒&,.\n1"), max_size=40))
def test_any_text(text):
    assert text_tokens(text) == _plain(text)
