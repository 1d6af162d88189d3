"""Known names: the gazetteer of organisations and government bodies matched by pattern.

1. the gazetteer of well-known organisations (``actors.tsv``: UN bodies, African
   institutions, big tech...) with type, country and aliases, matched leftmost-longest on
   the folded words of the body (``ctx.scan``);
2. government bodies matched by pattern: "ministère rwandais de la Santé",
   "ministère de l'Éducation du Kenya", "département britannique des ...".
"""

from __future__ import annotations

import re

from pipeline.stages.actors.candidates import Cand, verb_after
from pipeline.stages.actors.entities import thing_before
from pipeline.stages.actors.rules import ActorRules, Settings, french_words
from pipeline.text.fold import WORD, fold_same_length
from pipeline.text.places import country_of_adjective, country_of_name

#: an agency's photo credit after its name in capitals: "AFP/Jane Doe", "REUTERS / Jane Doe"
_AGENCY_CREDIT = re.compile(r"\s*/\s*[A-ZÀ-Ö][a-zà-ÿ]")

#: Words that end a ministry's name ("ministère de la Santé dans ...").
_STOP_IN_NAME = frozenset("dans pour avec qui que sur par en a est ont sont ou au aux le la les un une ce cette "
                          "son sa ses leur leurs se s entre depuis vers chez comme afin lors selon sans".split())


def _caps_agree(form: str, body: str, toks: list[re.Match]) -> bool:
    """Every word the form writes with a capital is written with one in the text (the first word
    may be lower case in the form only)."""
    words = WORD.findall(form)
    if len(words) != len(toks):
        return True  # punctuation splits the two differently: the first-letter test alone decides
    return all(not w[:1].isupper() or body[t.start()].isupper() for w, t in zip(words, toks))





def gazetteer_cands(body: str, folded: str, toks: list[re.Match], words: list[str], R: ActorRules,
                    S: Settings) -> list[Cand]:
    """Organisations of ``actors.tsv`` by name or alias, leftmost-longest."""
    out = []
    max_gap = S.gazetteer_max_word_gap
    gmax = R.gaz_max
    n = len(toks)
    nxt = 0
    # leftmost-longest: only the tokens that start some gazetteer form are tried
    for i in [i for i, w in enumerate(words) if w in gmax]:
        if i < nxt:
            continue
        if (words[i],) not in R.gaz_index and (i + 1 >= n or words[i + 1] not in R.gaz_seconds.get(words[i], ())):
            continue  # "le", "la": only longer names start here, and the next word fits none
        m = gmax[words[i]]
        hit = None
        for j in range(min(n - 1, i + m - 1), i - 1, -1):
            gaps_ok = all(
                len(g) <= max_gap and not g.strip(" ',.&") and "\n" not in g
                for g in (folded[toks[k].end():toks[k + 1].start()] for k in range(i, j)))
            if not gaps_ok:
                continue
            for e in R.gaz_index.get(tuple(words[i:j + 1]), ()):
                text = body[toks[i].start():toks[j].end()]
                if e.exact:
                    if text != e.form.rstrip("."):
                        continue
                elif e.form[:1].isupper() and not text[:1].isupper():
                    continue
                elif not _caps_agree(e.form, body, toks[i:j + 1]):
                    continue  # "Le Point" is the weekly, "Le point de départ" is not
                elif e.form[:1].islower() and not text[:1].islower() and e.form[:1].isalpha() and e.form[1:2].isupper():
                    continue  # "xAI" must not match "XAI"
                hit = (e, j)
                break
            if hit:
                break
        if hit:
            e, j = hit
            text = body[toks[i].start():toks[j].end()]
            if i == j and text.isupper() and words[i] in french_words() and (
                    (i + 1 < n and body[toks[i + 1].start():toks[i + 1].end()].isupper()
                     and "\n" not in body[toks[i].end():toks[i + 1].start()])
                    or (i > 0 and body[toks[i - 1].start():toks[i - 1].end()].isupper()
                        and "\n" not in body[toks[i - 1].end():toks[i].start()])):
                nxt = j + 1
                continue  # "UN JOURNALISME ...": a word of a heading in capitals, not "UN" (the United Nations)
            if text.isupper() and _AGENCY_CREDIT.match(body, toks[j].end()):
                nxt = j + 1
                continue  # "REUTERS/Jane Doe": a photo credit
            if thing_before(folded, toks[i].start(), R.thing_heads):
                nxt = j + 1
                continue  # "sa page Facebook": a thing named after the organisation
            # A state body's country is part of what it is; a company's is given only where the
            # text ties it (GUIDE.md: "country where the text ties the actor to a country").
            out.append(Cand(toks[i].start(), toks[j].end(), e.canonical, e.type, "actors.gazetteer", 0,
                            country=e.country if e.type == "GOV" else None, canonical=e.canonical,
                            fixed=True))
            nxt = j + 1
    return out


_MINISTRY = re.compile(r"\b(?:[Mm]inist[èe]re|MINIST[ÈE]RE|[Dd][ée]partement|[Ss]ecr[ée]tariat d['’][ÉEé]tat|"
                       r"[Hh]aut-[Cc]ommissariat|[Mm]inistry|[Dd]epartment)\b")
_CONNECTOR = re.compile(r"(\s*,\s*(?:et\s+)?|\s+et\s+|\s+)(de la|de l['’]|du|des|de|d['’]|for|of|and)(?=[\s'’])?\s*")
_NAME_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒ][\wÀ-ÖØ-öø-ÿœŒ'’-]*")
_MIN_ADJ = re.compile(r"\s+([a-zà-ÿ][\wà-ÿ-]*)")
_BARE_ET = re.compile(r"\s+et\s+(?=[A-ZÀ-Ö])")


def ministry_cands(body: str, R: ActorRules) -> list[Cand]:
    """Ministries, departments and state secretariats named by pattern (``actors.gov.body``)."""
    out = []
    CR = R.countries
    for m in _MINISTRY.finditer(body):
        pos = m.end()
        head = m.group()
        country = None
        adj = _MIN_ADJ.match(body, pos)
        if adj and country_of_adjective(adj.group(1), CR):
            country = country_of_adjective(adj.group(1), CR)
            pos = adj.end()
        segments = 0
        capital = False
        while True:
            c = _CONNECTOR.match(body, pos)
            if not c:
                # a bare "et" before a capitalised word: "des Postes et Télécommunications"
                c2 = _BARE_ET.match(body, pos)
                if not c2 or segments == 0:
                    break
                c = c2
            if segments == 0 and "," in c.group(1):
                break
            wpos = c.end()
            words = []
            for _ in range(2):
                w = _NAME_WORD.match(body, wpos)
                if not w or fold_same_length(w.group()) in _STOP_IN_NAME:
                    break
                words.append(w)
                nxt = re.match(r" (?=[A-Za-zÀ-ÿ])", body[w.end():w.end() + 2])
                if not nxt:
                    wpos = w.end()
                    break
                # a second word only if it is lower case (an adjective) or capitalised like the first;
                # a verb ends the name ("le ministère de l'Intérieur comptabilise ...")
                if body[w.end() + 1:w.end() + 2].islower() and verb_after(body, w.end(), R):
                    wpos = w.end()
                    break
                wpos = w.end() + 1
                if _CONNECTOR.match(body, w.end()):
                    wpos = w.end()
                    break
            if not words:
                break
            seg_text = body[c.end():words[-1].end()]
            ctry = country_of_name(seg_text, CR) if c.group(2) in ("du", "de la", "de l'", "de l’", "d'", "d’", "de") else None
            if ctry and segments > 0:
                country = country or ctry
                pos = words[-1].end()
                segments += 1
                break
            if ctry and segments == 0:
                break  # "ministère du Kenya" is not a ministry name
            capital = capital or any(w.group()[:1].isupper() for w in words)
            pos = words[-1].end()
            segments += 1
        if segments == 0:
            continue
        english = head[:1] in "MD" and head.lower() in ("ministry", "department")
        if not (capital or country) or (head.lower().startswith("d") and not country and not english):
            continue
        out.append(Cand(m.start(), pos, body[m.start():pos], "GOV", "actors.gov.body", 0, country=country))
    return out

