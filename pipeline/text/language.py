"""Language identification (py3langid) over a sample of a text's longest lines.

Shared by the clean stage (which stoplist to score lines with) and the metadata stage
(the ``language`` of the body).  The sample sizes are parameters: each stage passes the
values of its own settings table (``[clean]`` / ``[metadata]`` in ``pipeline/defaults.toml``).
"""

from __future__ import annotations

import re
from functools import lru_cache

_ALPHA = re.compile(r"[^\W\d_]")
#: Letters are counted in this many first characters of the text (and of the sample).
_PROBE = 400


@lru_cache(maxsize=1)
def _identifier():
    from py3langid import langid

    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def language_sample(text: str, size: int, min_line: int) -> str:
    """Up to ``size`` characters taken from the longest lines (of ``min_line`` characters or more).

    Body paragraphs are the longest lines of a raw article and are kept by the clean
    stage, so the raw text and its cleaned body usually give the same sample (and the
    cached identification is reused).
    """
    lines = [ln.strip() for ln in text.splitlines()]
    longest = sorted((ln for ln in lines if len(ln) >= min_line), key=len, reverse=True)
    if not longest:
        return " ".join(ln for ln in lines if ln)[:size]
    out, used = [], 0
    for ln in longest:
        out.append(ln[:size - used])
        used += len(out[-1]) + 1
        if used >= size:
            break
    return "\n".join(out)


@lru_cache(maxsize=256)
def _classify_sample(sample: str) -> tuple[str, float]:
    lang, prob = _identifier().classify(sample)
    return str(lang), round(float(prob), 4)


def detect_language(text: str, *, sample_chars: int, min_line: int, min_letters: int) -> tuple[str, float]:
    """ISO 639-1 code and normalised probability; ``("und", 0.0)`` for too little text.

    Only a sample of at most ``sample_chars`` characters (from the longest lines of at
    least ``min_line`` characters) is classified, so the cost does not grow with the
    article; a text (or sample) with fewer than ``min_letters`` letters is ``und``.
    """
    s = (text or "").strip()
    if len(_ALPHA.findall(s[:_PROBE])) < min_letters:
        return "und", 0.0
    sample = language_sample(s, sample_chars, min_line)
    if len(_ALPHA.findall(sample[:_PROBE])) < min_letters:
        return "und", 0.0
    return _classify_sample(sample)
