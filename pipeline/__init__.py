"""frnews: raw French news articles in, articles, mentions and events tables out.

Library use: ``pipeline.process_texts(texts, published=...)`` returns the tables as pandas
DataFrames; ``pipeline.run(inputs, out, workers=...)`` is ``frnews run`` (see
:mod:`pipeline.api`).  Both are imported on first use, so ``import pipeline`` stays light.
"""

__version__ = "0.3.0"

__all__ = ["process_texts", "run", "Tables", "__version__"]


def __getattr__(name: str):
    if name in ("process_texts", "run", "Tables"):
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
