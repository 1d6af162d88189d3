"""Actors stage: persons, organisations, governments and their canonical names.

Sources, in order of precedence when spans overlap:

1. the gazetteer of well-known organisations (``actors.tsv``: UN bodies, African
   institutions, big tech...) with type, country and aliases (:mod:`.gazetteer`);
2. government bodies matched by pattern: "ministère rwandais de la Santé",
   "ministère de l'Éducation du Kenya", "département britannique des ..." (:mod:`.gazetteer`);
   organisations named by a head noun of ``org_heads.tsv``: "tribunal correctionnel de Lyon",
   "mairie de Bordeaux", "éditions Gallimard" (:mod:`.patterns`);
3. national governments: "le gouvernement rwandais", "les autorités
   marocaines", "le gouvernement du Kenya", a capital as the subject of a verb
   ("Kigali a signé") and a country as the subject of a verb ("le Maroc et
   l'Égypte intensifient") -> ``GOV:XX`` (:mod:`.governments`);
4. the spaCy model's PER/ORG/LOC/MISC entities, repaired: articles stripped,
   noise dropped (lower case, common words, bracketed source tags, e-mails,
   products and jargon of ``non_actors.tsv``, events), one label per surface
   form (majority vote + cue words of ``cues.tsv``), English names extended
   ("Policy Center for the New South") (:mod:`.entities`), and persons by their
   titles and roles (:mod:`.cues`).

Then names are joined within the article (surname-only mentions to the full
name, an acronym in parentheses to the name before it), roles are read from
appositions ("Paula Ingabire, ministre rwandaise des TIC...") and countries
from demonyms in roles, descriptors ("la start-up américaine Anthropic") and
ministry names (:mod:`.resolve`).  ``doc`` may be ``None`` (non-French article): only the
gazetteer and the government patterns run then.  Last, an actor named only on label lines (short
lines not ending like a sentence, other than the headline: menus, tags, bylines, links) is dropped
in a body laid out in paragraphs, as is one named only in teasers of other pages, readers' comments
(``asides.tsv``) or bare lists of names (:func:`list_lines`) (:func:`drop_label_only`).

Rules: :mod:`.rules` (``rules/actors`` plus the country lexicon of ``rules/countries``,
:mod:`pipeline.text.places`); settings: ``[actors]`` of ``pipeline/defaults.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.records import Mention
from pipeline.settings import or_defaults
from pipeline.stages.actors.candidates import verb_after as verb_at
from pipeline.stages.actors.cues import age_person_cands, appositive_person_cands, cue_person_cands
from pipeline.stages.actors.entities import descriptor_org_cands, entity_cands
from pipeline.stages.actors.gazetteer import gazetteer_cands, ministry_cands
from pipeline.stages.actors.governments import government_cands
from pipeline.stages.actors.patterns import capitalised_head_cands, org_head_cands
from pipeline.stages.actors.resolve import to_mentions
from pipeline.stages.actors.rules import (
    ACTORS_DIR,
    ActorRow,
    ActorRules,
    CueRow,
    GazEntry,
    NonActorRow,
    Settings,
    VerbRow,
    default_rules,
    load_rules,
)
from pipeline.text import labels
from pipeline.text.fold import fold_same_length
from pipeline.text.fold import scan as scan_body

__all__ = ["ACTORS_DIR", "ActorRow", "ActorRules", "CueRow", "GazEntry", "NonActorRow", "Settings", "VerbRow",
           "default_rules", "find_actors", "load_rules", "run"]


def find_actors(body: str, doc, *, countries: Sequence[Mention], rules: ActorRules | None = None, scan=None,
                settings: Settings | None = None) -> list[Mention]:
    """Actor mentions of ``body``: one per occurrence, sharing a canonical ``value`` per actor.

    ``countries`` are the countries stage's mentions of ``body``; ``scan`` is
    :func:`pipeline.text.fold.scan` of ``body`` (computed here when not given); ``settings``
    the ``[actors]`` table (the defaults when not given).
    """
    R = rules or default_rules()
    S = or_defaults("actors", settings)
    folded, toks, words = scan or scan_body(body)
    cands = gazetteer_cands(body, folded, toks, words, R, S)
    cands += ministry_cands(body, R)
    cands += government_cands(body, folded, countries, R, S)
    cands += org_head_cands(body, folded, countries, R)
    if doc is not None:
        cands += entity_cands(body, doc, countries, R, S, folded)
        cands += cue_person_cands(body, R)
        cands += age_person_cands(body, R)
        cands += capitalised_head_cands(body, folded, R, toks, words)
        cands += appositive_person_cands(body, R, S)
        cands += [c for c in descriptor_org_cands(body, folded, R)
                  if fold_same_length(c.name) not in R.products
                  and fold_same_length(c.name.split()[0]) not in R.products]
    if R.platforms:
        cands = [c for c in cands if not _platform_venue(body, folded, c.start, c.end, R)]
    return drop_label_only(body, to_mentions(body, folded, cands, R, S), S, R)


_VENUE_BEFORE = re.compile(r"\b(?:sur|via|page|compte|chaine|profil|fil)\s+$")


def _platform_venue(body: str, folded: str, s: int, e: int, R: ActorRules) -> bool:
    """Whether ``body[s:e]`` is a social network named as where something was posted ("sur
    Facebook", "via Twitter", "sa page Facebook": ``non_actors.tsv`` kind ``platform``)."""
    if folded[s:e] not in R.platforms:
        return False
    return bool(_VENUE_BEFORE.search(folded[max(0, s - 8):s]))


def drop_label_only(body: str, mentions: list[Mention], S: Settings, R: ActorRules | None = None) -> list[Mention]:
    """``mentions`` without the actors named only on label lines (:mod:`pipeline.text.labels`:
    menus, tags, bylines, links; ``[actors] label_line_words``, ``paragraph_words``), on the
    asides of ``R`` (teasers of other pages, readers' comments: ``asides.tsv``) and on list lines
    (:func:`list_lines`)."""
    return labels.drop_label_only(body, mentions, S.label_line_words, S.paragraph_words,
                                  asides=R.asides if R is not None else None,
                                  extra=list_lines(body, R) if R is not None else ())


#: a list line has at least this many comma-separated items
LIST_ITEMS = 6


def list_lines(body: str, R: ActorRules) -> list[tuple[int, int]]:
    """Offsets of the lines that are a bare list of names: at least ``LIST_ITEMS`` comma-separated
    items, each starting with a capital, and no verb ("Collège de France, École normale supérieure,
    Institut Pasteur, ..."): members or partners of a footer, not what the article says about them."""
    out: list[tuple[int, int]] = []
    if body.count(",") < LIST_ITEMS - 1:
        return out
    pos = 0
    for ln in body.split("\n"):
        if ln.count(",") >= LIST_ITEMS - 1:
            items = [x.strip() for x in ln.strip().rstrip(".;").split(",")]
            if len(items) >= LIST_ITEMS and all(x[:1].isupper() for x in items) and not any(
                    verb_at(x, k, R) for x in items for k in _word_starts(x)):
                out.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    return out


def _word_starts(item: str) -> list[int]:
    """Offsets, in ``item``, of the spaces before its lower-case words."""
    return [m.start() for m in re.finditer(r" (?=[a-zà-ÿ])", item)]



def run(ctx, rules: ActorRules, settings: Settings) -> dict:
    """Registry entry: ``body``, ``doc``, ``scan``, ``countries`` -> ``actors``."""
    return {"actors": tuple(find_actors(ctx.body, ctx.doc, countries=ctx.countries, rules=rules,
                                        scan=ctx.scan, settings=settings))}
