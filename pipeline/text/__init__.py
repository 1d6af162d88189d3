"""Text helpers shared by the stages: folding, regex surfaces, tokens, sentences, spans, lemmas.

Stages never import each other; what two stages both need lives here.
"""
