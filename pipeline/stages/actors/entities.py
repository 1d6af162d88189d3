"""The model's entities, repaired; organisations named after a descriptor.

The spaCy model's PER/ORG/LOC/MISC entities: articles stripped, noise dropped (lower
case, common words, bracketed source tags, e-mails, products and jargon of
``non_actors.tsv``, events), one label per surface form (majority vote + cue words of
``cues.tsv``), English names extended ("Policy Center for the New South").  And
"la start-up américaine Anthropic": a descriptor, a demonym and a capitalised name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from pipeline.records import Mention
from pipeline.stages.actors.candidates import ARTICLE, CLAUSE_START, Cand, desc_alt, heads_alt, verb_after
from pipeline.stages.actors.rules import ActorRules, Settings, french_words, is_acronym
from pipeline.text.fold import fold_same_length
from pipeline.text.places import country_of_adjective

_WORD_RE = re.compile(r"[\w][\w'’.&-]*")
_EN_ORG_WORDS = frozenset("center centre institute administration foundation fund group agency council service services "
                          "office bank university association society organization organisation authority commission "
                          "department lab labs school college corporation partners capital ventures trust".split())
#: Cue words that, after a country name, make a national public body ("UK AI Security Institute").
_NATIONAL_BODY = frozenset("institut institute agence agency office service autorite authority commission "
                           "conseil council centre center".split())


@lru_cache(maxsize=4)
def _desc_end_pattern(descriptors: frozenset[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + desc_alt(descriptors) + r")\s+$")


@lru_cache(maxsize=4)
def _desc_orgs_pattern(descriptors: frozenset[str]) -> re.Pattern:
    return re.compile(rf"\b(?:{heads_alt(descriptors)}) (\w+(?: \w+)?) ")


def _cue_type(words: list[str], R: ActorRules) -> str | None:
    for w in words:
        f = fold_same_length(w)
        t = R.org_cues.get(f) or (R.org_cues.get(f[:-1]) if f.endswith(("s", "x")) and len(f) > 3 else None)
        if t:
            return t  # "Chambres fédérales": a plural head too
    for w in words[1:]:
        if w.rstrip(".") in R.org_suffixes:
            return "ORG"
    return None


#: function words that never end a name
_FUNCTION_TAIL = re.compile(r"(?:\s+(?:et|ou|de|du|des|la|le|les|à|au|aux|en|pour|sur|par|[dlDL]['’]?))+\s*$")
#: heads of civil-society organisations: "national" in their name does not make them state bodies
_ASSOCIATIVE = frozenset("association federation syndicat union parti coordination confederation ligue comite club "
                         "front alliance collectif mouvement groupe societe fondation fonds compagnie caisse "
                         "credit chambre".split())
#: a photo credit around a name: "Photo : Jean X", "Jean X / AFP", "© Jean X"
#: a photo credit, a byline or a comment's signature before a name: "Photo : X", "Par X" at a
#: line's start, "— Le 22 septembre, par X", "09h41 | Par X"
_CREDIT_BEFORE = re.compile(r"(?:photo|photos|credit|credits|illustration|©|\(c\))\s*:?\s*$"
                            r"|(?:^|\n|[|—–•]\s*|\d,?\s+|\b(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|"
                            r"septembre|octobre|novembre|decembre),\s*)par\s*:?\s*$")
_CREDIT_WORDS = ("par", "photo", "credit", "illustration", "©", "(c)")
#: an agency's credit before a name: "REUTERS/X"
_AGENCY_BEFORE = re.compile(r"[A-Z]{2,}\s*/\s*$")
_CREDIT_AFTER = re.compile(r"\s*/\s*[A-ZÀ-Ö]")
#: the second author of a byline: "Par Jeanne X et Paul Y — 24 novembre"
_BYLINE_SECOND = re.compile(r"(?:^|\n)[Pp]ar\s+(?:[A-ZÀ-Ö][\w'’.-]*\s+){1,4}et\s+$")
#: a reviewer's signature: a name or initials in parentheses closing a paragraph ("... prochains. (Jeanne X)")
_SIGN_BEFORE = re.compile(r"[.!?»…]\s*\($")
_SIGN_AFTER = re.compile(r"\.?\)\s*(?:\n|$)")
#: a link to another page's text: "Lire la suite de la critique de X sur ..."
_LINK_BEFORE = re.compile(r"\blire la suite\b[^.!?\n]*$")
#: a thing's head noun right before a name, optionally with "de (réfugiés) de"; "l'affaire dite du « X »"
_THING_BEFORE = re.compile(r"(\w+)(?: dite?s?)?(?: de \w+)?(?: d'| de | du | des | )[\"“«]?\s*$")


#: a character of page chrome inside an entity span: the name starts after it ("▪ Shopping", "Mots-clés > X")
_CHROME_CHARS = "▪•>|»"
_CLOCK = re.compile(r"\d{1,2}[:h]\d{2}\s+")  # "13:04 Neymar": a live feed's time stamp
#: a capitalised word that shows a name has run on into the next words ("Jean-Sébastien Je")
_PRONOUNS = frozenset("je tu il elle on nous vous ils elles oh ah eh ce cela".split())
#: particles inside a person's name ("Ivan du Roy", "Ursula von der Leyen")
_PARTICLES = frozenset("de du des d' d’ la le van von der den da di del della dos das ben bin ibn al el y ter ten zu".split())
#: an all-capitals single word of at least this length that is a French word is a heading word
_CAPS_WORD_MIN = 4


#: a place, not a person: "à X où ...", "X, une localité ..."
_PLACE_AFTER = re.compile(r"\s*,?\s+(?:où\b|(?:une|la) (?:ville|localité|commune|bourgade|petite ville|cité|région)\b)")
#: a period, not a person: "pendant Paris Plages", "durant X"
_TIME_BEFORE = re.compile(r"\b(?:pendant|durant)\s+$")
#: a unit's number after its acronym: "l'EGM 31/2" (an escadron), "la CRS 8"
_UNIT_NUMBER = re.compile(r" \d{1,3}/\d{1,2}\b")
#: the purpose that ends an organisation's name, which the model cuts off: "Bureau national de
#: vigilance [contre l'antisémitisme]", "Comité national [pour la recherche]"
_PURPOSE = re.compile(r" (?:contre|pour) (?:le |la |les |l['’])?[a-zà-ÿ][\w-]+(?= *[,.;:()«»]| +(?:et|qui|a|ont|est|sont)\b)")
#: territorial units: after "dans le", "en", "sur le" they are places, not their councils
_TERRITORIES = frozenset("departement region commune canton province".split())
_IN_PLACE = re.compile(r"\b(?:dans|sur|en|hors|partout dans)(?: le| la| l'| les)?\s*$")
#: a capitalised surname with an inner apostrophe right after a person's name ("Marc Dell’Orto")
_APOSTROPHE_SURNAME = re.compile(r" [A-ZÀ-Ö][a-zà-ÿ]+[’'][a-zà-ÿ]{2,}\b")
_CHROME_RE = re.compile("[" + re.escape(_CHROME_CHARS) + "]")


def work_before(folded: str, s: int, heads: frozenset[str]) -> bool:
    """Whether a kind of work of ``non_actors.tsv`` (kind ``work``) stands right before ``s``: "la
    série Jardin Secret", "le film «Kingsman»" (not "le film de Jean Renoir")."""
    pre = folded[max(0, s - 20):s].rstrip(" \"“«")
    word = pre[pre.rfind(" ") + 1:]
    return word[word.rfind("'") + 1:] in heads  # "l'album X"


def thing_before(folded: str, s: int, heads: frozenset[str]) -> bool:
    """Whether a thing's head noun of ``non_actors.tsv`` (kind ``before``) stands right before
    ``s``: "l'affaire Fillon", "la tempête Ciaran", "l'affaire dite du « Burger King »"."""
    pre = folded[max(0, s - 40):s]
    if not any(h in pre for h in heads):
        return False  # the common case, without the regular expression
    m = _THING_BEFORE.search(pre)
    return bool(m) and m.group(1) in heads


def _credit_before(body: str, folded: str, s: int) -> bool:
    """Whether a photo credit, a byline, a signature or an agency's credit stands before ``s``."""
    pre = folded[max(0, s - 30):s]
    if any(w in pre for w in _CREDIT_WORDS) and _CREDIT_BEFORE.search(pre):
        return True
    if " et" in pre and _BYLINE_SECOND.search(body[max(0, s - 80):s]):
        return True
    if "lire la suite" in folded[max(0, s - 80):s] and _LINK_BEFORE.search(folded[max(0, s - 80):s]):
        return True
    return "/" in body[max(0, s - 4):s] and _AGENCY_BEFORE.search(body[max(0, s - 20):s]) is not None


def _signed_or_titled(body: str, s: int, e: int) -> bool:
    """Whether ``body[s:e]`` is a reviewer's signature closing a paragraph ("... prochains. (Jeanne X)",
    "(J.X.)") or a title in quotation marks ("la série «Maître Corbeau»")."""
    pre = body[max(0, s - 3):s].rstrip(" \u00a0")
    post = body[e:e + 3].lstrip(" \u00a0")
    if pre.endswith(("«", "“", '"')) and post.startswith(("»", "”", '"')):
        return True
    return pre.endswith("(") and bool(_SIGN_AFTER.match(body, e)) and bool(_SIGN_BEFORE.search(body[max(0, s - 4):s]))


def _after_chrome(body: str, s: int, e: int) -> int:
    """The start of a name after the page chrome glued before it in the span."""
    if _CHROME_RE.search(body, s, e):
        j = max(body.rfind(ch, s, e) for ch in _CHROME_CHARS)
        s = j + 1
        while s < e and body[s] in " \t\u00a0":
            s += 1
    if s < e and body[s].isdigit():
        c = _CLOCK.match(body, s, e)
        if c and c.end() < e:
            return c.end()
    return s


def _person_end(text: str, words_fr: frozenset[str]) -> int:
    """The length of a person's name in ``text``: it ends before a lower-case word that is no
    particle ("Didier X spéciale"), a pronoun ("Jean-Sébastien Je"), a word in capitals after
    two words in title case ("Kévin X ALSTOM") or a French word in capitals after the surname
    ("Daniel MERMET GILETS JAUNES").  Letter case is the cue: a name keeps one style."""
    ws = text.split()
    if all(w[:1].isupper() and not w.isupper() and w.lower() not in _PRONOUNS for w in ws[1:]):
        return len(text)  # the common case: every word in title case
    toks = list(re.finditer(r"\S+", text))
    for i in range(1, len(toks)):
        w = toks[i].group()
        f = fold_same_length(w.lower())
        letters = [ch for ch in w if ch.isalpha()]
        caps = len(letters) >= 2 and all(ch.isupper() for ch in letters)
        if (w[:1].islower() and f not in _PARTICLES) or f in _PRONOUNS:
            return toks[i - 1].end()
        if i >= 2 and caps and not toks[i - 1].group().isupper() and not toks[i - 2].group().isupper():
            return toks[i - 1].end()
        if i >= 2 and caps and f.strip(".,;:") in words_fr and f not in _PARTICLES:
            return toks[i - 1].end()
    return len(text)


def _sentence_initial(body: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and body[i] in " \t\u00a0\u202f«“\"'’(-–—•*":
        i -= 1
    return i < 0 or body[i] in ".!?:;\n…"


_LOWER_WORD = re.compile(r"(?<![\w'’])[a-zà-ÿœ][\w-]*")


def entity_cands(body: str, doc, countries: Sequence[Mention], R: ActorRules, S: Settings,
                 folded: str | None = None) -> list[Cand]:
    """The model's entities of ``doc`` after repair (rule ``ner+repair``); ``folded`` is the folded
    body (:func:`pipeline.text.fold.fold_same_length`, computed here when not given)."""
    if folded is None:
        folded = fold_same_length(body)
    words_fr = french_words()
    CR = R.countries
    places = [(m.start, m.end) for m in countries]
    chrome = _CHROME_RE.search(body) is not None  # "▪", "|"...: names may carry chrome before them
    # the entities once: (start, end, label, text, vote key)
    ents = []
    for ent in doc.ents:
        et = ent.text
        ents.append((ent.start_char, ent.end_char, ent.label_, et, fold_same_length(ARTICLE.sub("", et)).strip()))
    # words the article itself writes in lower case are common words ("gouvernance")
    surnames = frozenset(et.split()[-1] for _, _, lab, et, _ in ents if lab == "PER" and len(et.split()) >= 2)
    # fold() maps each character to one character: the words are folded in one call
    lows = _LOWER_WORD.findall(body)
    lower_words = frozenset(fold_same_length("\x00".join(lows)).split("\x00")) if lows else frozenset()
    # one label per surface form: majority vote over the article (ties: ORG > PER > MISC > LOC)
    votes: dict[str, Counter] = {}
    for _, _, lab, _, vkey in ents:
        votes.setdefault(vkey, Counter())[lab] += 1
    rank = {"ORG": 3, "PER": 2, "MISC": 1, "LOC": 0}
    out = []
    for s, e, ent_label, _, vkey in ents:
        v = votes.get(vkey)
        label = max(v.items(), key=lambda kv: (kv[1], rank.get(kv[0], -1)))[0] if v else ent_label
        if label not in rank:
            label = ent_label
        nl = body.find("\n", s, e)
        if nl > s and ent_label == "PER" and " " in body[s:nl].strip():
            e = nl  # "Jean Exemple\nSortie": the model ran a short line's full name into the next line
        text = body[s:e]
        # strip articles and trailing punctuation
        a = ARTICLE.match(text)
        if a:
            s += a.end()
        while e > s and body[e - 1] in " ,.;:'’-–—)\"»":
            e -= 1
        # a span that ends on a function word runs past the name ("Comité des fêtes et la")
        fw_tail = _FUNCTION_TAIL.search(body[s:e])
        if fw_tail and fw_tail.start() > 0:
            e = s + fw_tail.start()
        tail = re.search(r"(?:\s+[\d][\d\-–,.]*)+$", body[s:e])  # "OM 3-1"
        if tail and tail.start() > 0:
            e = s + tail.start()
        while s < e and body[s] in "(«\" ":
            s += 1
        if chrome or body[s:s + 1].isdigit():
            s = _after_chrome(body, s, e)
        if ent_label == "PER":
            glued = _APOSTROPHE_SURNAME.match(body, e)
            if glued:
                e = glued.end()  # "Marc Dell’Orto": the model stops at the typographic apostrophe
        elif ent_label in ("ORG", "MISC"):
            tail = _UNIT_NUMBER.match(body, e) if body[s:e].isupper() else None
            if tail is None and body.count(" ", s, e) >= 2 and body[s:s + 1].isupper():
                tail = _PURPOSE.match(body, e)
            if tail:
                e = tail.end()  # "EGM 31/2", "Comité national de vigilance contre le racisme"
        text = body[s:e]
        if not text or text == text.lower() or "@" in text or "www." in text or "http" in text:
            continue
        if s > 0 and body[s - 1] == "[" and (s == 1 or body[s - 2] == "\n"):
            continue  # "[DIGITAL Business Africa] – ..." source tag
        if "\n" in text:
            continue
        words = _WORD_RE.findall(text)
        fw = [fold_same_length(w) for w in words]
        if not words:
            continue
        if fw[0] in R.products and all(fold_same_length(w) in R.product_suffixes or w[:1].isdigit() for w in words[1:]):
            continue
        if fold_same_length(text) in R.terms or (label == "MISC" and fw[0] in R.terms):
            continue
        if fw[0] in R.events:
            continue
        if label == "PER" and (_PLACE_AFTER.match(body, e) or _TIME_BEFORE.search(folded, max(0, s - 12), s)):
            continue  # "à Port-Vila où il s'était réfugié", "pendant Paris Plages": a place, a period
        if label == "PER" and (_CREDIT_AFTER.match(body, e) or _credit_before(body, folded, s)
                               or _signed_or_titled(body, s, e)):
            continue  # a photo credit, a signature or a title, not a person the article is about
        if label != "PER" and text.isupper() and _CREDIT_AFTER.match(body, e):
            continue  # "REUTERS/Jane Doe": the agency of a photo credit
        if fw[0] in _TERRITORIES and _IN_PLACE.search(folded, max(0, s - 12), s):
            continue  # "dans le département du Finistère": a place, not the council
        if thing_before(folded, s, R.thing_heads) or work_before(folded, s, R.work_heads):
            continue  # "l'affaire Fillon", "la tempête Ciaran", "le camp de réfugiés de Jabalia"
        if fold_same_length(text) in R.person_cues:
            continue
        if len(words) >= 2 and fw[0] in R.person_cues and (
                (fw[1] in ("de", "du", "des") and not (len(words) > 2 and words[2][:1].isupper()
                                                       and not re.match(r"[LD]['’]", words[2])))
                or all(not w[:1].isupper() for w in words[1:])):
            continue  # a role, not a name: "Officier supérieur de gendarmerie", "Auteure de L'intestin"
            # (but "Général de Gaulle": a capitalised name after "de")
        # a place (country, city, region) is not an actor; a country prefix before an
        # organisation name gives its country ("Royaume-Uni Institut de sécurité de l'IA")
        country = None
        prefix_gov = False
        covered = [p for p in places if p[0] >= s and p[1] <= e]
        if covered:
            first = min(covered)
            if first[0] == s and first[1] < e:
                rest = body[first[1]:e].strip()
                cue = _cue_type(_WORD_RE.findall(rest)[:1], R)
                if cue:
                    country = next((m.value for m in countries if m.start == first[0] and m.kind == "country"), None)
                    if country and fold_same_length(_WORD_RE.findall(rest)[0]) in _NATIONAL_BODY:
                        prefix_gov = True
                    s = e - len(rest)
                    text, words = body[s:e], _WORD_RE.findall(rest)
                    fw = [fold_same_length(w) for w in words]
            if not country:
                rest = text
                for p in sorted(covered, reverse=True):
                    rest = rest[:p[0] - s] + rest[p[1] - s:]
                if not re.search(r"[A-Z]", re.sub(r"\b(?:de|du|des|la|le|et|l)\b", "", rest)) \
                        and not _cue_type(_WORD_RE.findall(rest), R):
                    continue  # "la région de Kigali"; but "parti communiste d'Allemagne" has a head
        if label != "PER" and len(words) == 1 and words[0] in surnames:
            out.append(Cand(s, e, text, "PER", "ner+repair", 2))
            continue
        if label in ("MISC", "ORG", "LOC") and len(words) >= 3 and fold_same_length(words[0]) in R.person_cues | {"premier", "premiere"}:
            # "Premier ministre malien Choguel Maïga": a role then a name
            nm = re.search(r"(?:[A-ZÀ-Ö][\w'’-]+)(?: [A-ZÀ-Ö][\w'’-]+)+$", text)
            if nm and nm.start() > 0 and body[s + nm.start() - 1] == " ":
                out.append(Cand(s + nm.start(), e, nm.group(), "PER", "ner+repair", 2))
                continue
        if label == "PER" and len(words) == 1 and re.fullmatch(r"(?:[A-Z]\.){2,}[A-Z]\.?", text):
            label = "ORG"  # "P.T.T.", "S.N.C.F.": a dotted acronym of three letters or more is no person
        cue = _cue_type(words, R)
        first_name = words[0] in CR.first_names or fold_same_length(words[0]) in CR.first_names
        if label == "PER" or (len(words) in (2, 3) and first_name and not cue
                              and all(w[:1].isupper() for w in words)):
            typ = "PER"
        elif prefix_gov:
            typ = "GOV"
        elif cue:
            typ = cue
        elif label == "ORG":
            typ = "ORG"
        elif label == "MISC" and len(words) <= 3 and not covered and verb_after(body, e, R) \
                and CLAUSE_START.search(body[max(0, s - 30):s]):
            typ = "ORG"  # a MISC name acting as a subject: "Safaricom a lancé..."
        else:
            continue  # LOC / MISC without an organisation cue
        # "la start-up nigériane Flutterwave", "PDG de Flutterwave", "chez Anthropic": an organisation
        before = fold_same_length(body[max(0, s - S.entity_context_chars):s])
        d = re.search(r"(\w[\w ]*?)\s+(\w[\w]*)\s+$", before)
        if typ == "PER" and len(words) == 1 and not first_name and (
                re.search(r"\b(?:chez|pdg de|pdg d'|patron de|patronne de|ceo de|ceo d'|directeur general de|fondateur de|cofondateur de)\s*$", before)
                or (d and d.group(1).split()[-1] in R.descriptors and country_of_adjective(d.group(2), CR))
                or _desc_end_pattern(R.descriptors).search(before)):
            typ = "ORG"
        if typ in ("ORG",) and cue and re.search(r"\bnationale?s?\b", fold_same_length(text)) \
                and not any(f in _ASSOCIATIVE for f in fw):
            typ = "GOV"  # "Agence nationale ...", not "Syndicat national des journalistes"
        if label == "PER" and cue and not first_name and typ == "PER" and len(words) > 1 and fw[0] in R.org_cues:
            typ = R.org_cues[fw[0]]
        # common words: "Partenariat", "Innovation Digitale", "État"
        alpha = [f for f in fw if f.isalpha()]
        if not is_acronym(text) and alpha and not (typ == "PER" and len(words) > 1) \
                and all(f in words_fr or f in lower_words for f in alpha):
            # a French-style name: a capital on the first word only, inside a sentence, that the
            # model calls an organisation ("l'Alliance civique", "la Libre pensée")
            french_name = label == "ORG" and ent_label == "ORG" and len(words) >= 2 and words[0][:1].isupper() \
                and words[1][:1].islower() and not _sentence_initial(body, s)
            if (len(words) == 1 or not cue) and not french_name:
                continue
        if len(words) == 1 and len(text) >= _CAPS_WORD_MIN and fw[0] in words_fr and is_acronym(text):
            continue  # a word of a heading in capitals ("FRAGMENTATION"), not an acronym
        if len(words) == 1 and typ == "PER" and fold_same_length(text) in CR.first_names and not first_name:
            continue
        if typ == "PER" and text[:1].islower():
            # "général Boulanger": the name after the role; "président de la République": no name
            nm = re.search(r"(?<![\w'’-])(?<!de )(?<!du )(?<!la )(?<!des )(?<!l')(?<!l’)[A-ZÀ-ÖØ-Ý][\w'’-]*", text)
            if not nm:
                continue
            s += nm.start()
            text = body[s:e]
            words = _WORD_RE.findall(text)
        if typ == "PER" and len(words) >= 2:
            e = s + _person_end(text, words_fr)  # "Kévin Dupont ALSTOM", "Didier X spéciale"
            text = body[s:e]
            words = _WORD_RE.findall(text)
        if typ == "PER" and len(words) == 1 and not first_name and text not in surnames \
                and _sentence_initial(body, s) and re.match(r"\s+[a-zà-ÿ]", body[e:e + 3]) \
                and not verb_after(body, e, R) and text not in body[e:]:
            continue  # "Voire même ...": a capital only because a sentence starts, no verb after it
        # English names: extend over "of/for/the/and" + capitalised words
        if typ in ("ORG", "GOV"):
            while True:
                x = re.match(r"((?:\s+(?:of|for|the|and|&))*)\s+([A-Z][\w'’-]*)", body[e:e + 60])
                if not x or (not x.group(1) and fold_same_length(x.group(2)) not in _EN_ORG_WORDS):
                    break
                e += x.end()
            text = body[s:e]
        out.append(Cand(s, e, text, typ, "ner+repair", 2, country=country))
    return out


_CAP_NAME = re.compile(r"[A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*)*")


def descriptor_org_cands(body: str, folded: str, R: ActorRules) -> list[Cand]:
    """"la start-up américaine Anthropic", "l'opérateur sud-africain MTN" -> ORG with its country."""
    out = []
    pat = _desc_orgs_pattern(R.descriptors)
    for m in pat.finditer(folded):
        cc = country_of_adjective(m.group(1), R.countries)
        if not cc and " " in m.group(1):
            first = m.group(1).split()[0]
            cc = country_of_adjective(first, R.countries)
            if cc:
                # "start-up américaine Anthropic": the second word is the name
                s0 = m.start(1) + len(first) + 1
                name = _CAP_NAME.match(body, s0)
                if name:
                    out.append(Cand(s0, name.end(), name.group(), "ORG", "actors.org.cue", 2, country=cc))
                continue
        if not cc:
            continue
        name = _CAP_NAME.match(body, m.end())
        if name:
            out.append(Cand(m.end(), name.end(), name.group(), "ORG", "actors.org.cue", 2, country=cc))
    return out
