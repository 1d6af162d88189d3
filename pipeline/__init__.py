"""frnews: raw French news articles in, articles, mentions and events tables out."""

__version__ = "0.2.0"
