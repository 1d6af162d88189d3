"""Actors stage: data-driven cases (tests/cases/actors.tsv), rules of repair, API."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from pipeline.context import Context, ReadGuard
from pipeline.records import Mention
from pipeline.rulebook import RULES_DIR, Layers
from pipeline.settings import defaults
from pipeline.stages import actors
from pipeline.stages.actors import find_actors, load_rules
from pipeline.stages.countries import find_countries
from pipeline.text.fold import scan

CASES = Path(__file__).resolve().parents[1] / "cases" / "actors.tsv"
TYPES = {"PER", "GOV", "IGO", "ORG"}


def _parse(item: str) -> tuple[str, str, str | None]:
    parts = item.rsplit(":", 2)
    if len(parts) == 3 and parts[1] in TYPES and re.fullmatch(r"[A-Z]{2}", parts[2]):
        return parts[0], parts[1], parts[2]
    value, typ = item.rsplit(":", 1)
    return value, typ, None


def _cases() -> list:
    with CASES.open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    return [pytest.param(r["text"], r["expected"] or "", r["note"], id=r["note"][:60])
            for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


def _run(nlp, text):
    doc = nlp(text)
    return find_actors(text, doc, countries=find_countries(text, doc=doc))


def test_cases_file_is_large_and_well_formed():
    assert len(_cases()) >= 25


@pytest.mark.parametrize(("text", "expected", "note"), _cases())
def test_case(nlp, text, expected, note):
    found = _run(nlp, text)
    got = {}
    for m in found:
        got.setdefault(m.value, m)
    want = [_parse(x.strip()) for x in expected.split(" | ") if x.strip()]
    for value, typ, country in want:
        assert value in got, f"{value!r} not in {sorted(got)}"
        assert got[value].actor_type == typ, (value, got[value].actor_type)
        if country:
            assert got[value].country == country, (value, got[value].country)
    if note.startswith("exact:"):
        assert set(got) == {v for v, _, _ in want}


def test_offsets_and_one_mention_per_occurrence(nlp):
    text = "La General Services Administration (GSA) a signé. La GSA a confirmé. Kigali a signé."
    found = _run(nlp, text)
    for m in found:
        assert isinstance(m, Mention) and m.kind == "actor"
        assert text[m.start:m.end] == m.text
    gsa = [m for m in found if m.value == "General Services Administration"]
    assert [m.text for m in gsa] == ["General Services Administration", "GSA", "GSA"]
    gov = [m for m in found if m.value == "GOV:RW"]
    assert gov and gov[0].rule == "actors.gov.metonym" and gov[0].country == "RW"


def test_roles(nlp):
    text = ("« L'IA ne peut prospérer dans un environnement fragmenté », a déclaré Paula Ingabire, "
            "ministre rwandaise des TIC et de l’Innovation.\n\n"
            "— Pip White, responsable du Royaume-Uni, de l'Irlande et de l'Europe du Nord chez Anthropic\n")
    found = {m.value: m for m in _run(nlp, text)}
    assert found["Paula Ingabire"].role == "ministre rwandaise des TIC et de l’Innovation"
    assert found["Paula Ingabire"].country == "RW"
    assert found["Pip White"].role == "responsable du Royaume-Uni, de l'Irlande et de l'Europe du Nord chez Anthropic"
    assert found["Pip White"].country is None


def test_without_doc_only_gazetteer_and_governments():
    text = "The UNESCO and the World Bank met. Le gouvernement rwandais et Paula Ingabire."
    found = find_actors(text, None, countries=find_countries(text))
    assert {m.value for m in found} == {"UNESCO", "Banque mondiale", "GOV:RW"}
    assert {m.rule for m in found} == {"actors.gazetteer", "actors.gov.adjective"}


def test_noise_dropped(nlp):
    text = ("Partenariat stratégique : le projet utilise Claude Code et Claude Pro. "
            "Écrivez-nous à contact@example.com ou sur www.example.com. Gouvernance et gouvernance.")
    assert _run(nlp, text) == [] or all(m.value not in {"Partenariat", "Claude Code", "Claude Pro", "Gouvernance"}
                                         for m in _run(nlp, text))


def test_venue_capital_is_not_government(nlp):
    text = "Les Assises se sont tenues à Rabat. Le salon aura lieu à Yaoundé."
    assert [m for m in _run(nlp, text) if m.value.startswith("GOV:")] == []


def test_preposed_role(nlp):
    text = "Le chancelier allemand Friedrich Merz s'est dit préoccupé."
    (m,) = [m for m in _run(nlp, text) if m.actor_type == "PER"]
    assert (m.value, m.role, m.country) == ("Friedrich Merz", "chancelier allemand", "DE")


def test_cue_scan_finds_what_finditer_finds():
    """The person-cue pattern is tried only where a title or role head occurs: same matches."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from synthetic import varied  # tests/synthetic.py

    from pipeline.stages.actors import cues

    R = actors.default_rules()
    pat = cues.cue_person_pattern(R.person_cue_forms)
    heads = cues.cue_prefixes(R.person_cue_forms)

    def same(text: str) -> None:
        want = [(m.span(), m.groups()) for m in pat.finditer(text)]
        assert [(m.span(), m.groups()) for m in cues.matches_at_cues(text, pat, heads)] == want

    texts = [varied(i) for i in range(40)] + [
        "Le Ministre Jean Dupont et LA MINISTRE Aya Diop", "Mme Diallo et M. Traoré", "Dr Who, Pr Tournesol",
        "le chef de l’État Macky Sall", "xministre Paul Biya", "la vice-présidente Kamala Harris",
        "İstanbul : le ministre Ali Veli",  # lower() changes the length: falls back to finditer
        "le premier ministre Ousmane Sonko, ministre Ousmane Sonko",
    ]
    assert sum(1 for t in texts for _ in pat.finditer(t)) > 10
    for t in texts:
        same(t)
    words = st.sampled_from(["le", "ministre", "Ministre", "M.", "Mme", "Dr", "directrice", "chef de l'État",
                             "Jean", "Dupont", "de", "Le", "Maire", ",", "adjoint", "İ", "\n"])

    @settings(max_examples=200, deadline=None)
    @given(st.lists(words, max_size=20))
    def prop(ws):
        same(" ".join(ws))

    prop()


def test_run_reads_only_its_declared_fields(nlp):
    body = "Le gouvernement rwandais et la Banque mondiale. Paula Ingabire, ministre rwandaise des TIC, a signé."
    doc = nlp(body)
    found = tuple(find_countries(body, doc=doc))
    ctx = Context(body=body, doc=doc, scan=scan(body), countries=found, language="fr")
    out = actors.run(ReadGuard(ctx, ("body", "doc", "scan", "countries"), "actors"), load_rules(),
                     defaults()["actors"])
    assert set(out) == {"actors"} and isinstance(out["actors"], tuple)
    assert list(out["actors"]) == find_actors(body, doc, countries=list(found))
    assert {m.value for m in out["actors"]} >= {"GOV:RW", "Banque mondiale", "Paula Ingabire"}


def test_scan_given_or_computed_gives_the_same_mentions(nlp):
    body = "La General Services Administration (GSA) a signé avec le Kenya. Kigali a signé."
    doc = nlp(body)
    found = find_countries(body, doc=doc)
    assert find_actors(body, doc, countries=found, scan=scan(body)) == find_actors(body, doc, countries=found)


def test_settings_are_used():
    body = "Le Maroc, selon plusieurs sources proches du dossier, a signé."
    found = find_countries(body)
    assert [m.value for m in find_actors(body, None, countries=found)] == ["GOV:MA"]
    short = defaults()["actors"].model_copy(update={"subject_aside_max_chars": 10})
    assert find_actors(body, None, countries=found, settings=short) == []


def test_overlay_rules_of_actors_and_countries(tmp_path):
    """``--rules DIR``: an actor row from DIR/actors, a demonym from DIR/countries (the lexicon the
    actors stage shares with the countries stage)."""
    (tmp_path / "actors").mkdir()
    (tmp_path / "countries").mkdir()
    (tmp_path / "actors" / "actors.tsv").write_text(
        "id\tcanonical\ttype\tcountry\taliases\nzz_acme\tAcme Widgets\tORG\t\tACMEW\n", encoding="utf-8")
    (tmp_path / "countries" / "demonyms.tsv").write_text("alpha2\tmasc\nRW\tmillecollinien\n", encoding="utf-8")
    rules = load_rules(Layers(RULES_DIR / "actors", tmp_path / "actors"))
    body = "ACMEW et le gouvernement millecollinien."
    assert {(m.value, m.actor_type) for m in find_actors(body, None, countries=[], rules=rules)} == \
        {("Acme Widgets", "ORG"), ("GOV:RW", "GOV")}
    assert find_actors(body, None, countries=[]) == []
    # a plain folder (a copy of the actors rules) goes with the packaged country lexicon
    assert load_rules(RULES_DIR / "actors").countries is actors.default_rules().countries


def test_every_org_head_example_names_an_organisation(nlp):
    """Each row of org_heads.tsv: its example gives an ``actors.org.head`` actor of its type that
    starts with the head."""
    from pipeline.text.fold import fold_same_length
    for row in load_rules().org_heads:
        found = [m for m in _run(nlp, row.example) if m.rule in ("actors.org.head", "actors.org.demonym")]
        head = fold_same_length(row.head.lower())
        hits = [m for m in found if fold_same_length(m.text.lower()).startswith(head)]
        assert hits, (row.head, [(m.text, m.rule) for m in _run(nlp, row.example)])
        assert all(m.actor_type == row.type for m in hits), row.head


def test_an_org_head_needs_a_name_after_it(nlp):
    text = "Le tribunal a tranché. La mairie ferme le parc. Il sort de l'hôpital demain."
    assert [m for m in _run(nlp, text) if m.rule == "actors.org.head"] == []


def test_person_name_ends_where_its_letter_case_changes():
    from pipeline.stages.actors.entities import _person_end
    from pipeline.stages.actors.rules import french_words

    W = french_words()
    cases = {
        "Paul Martin ACME": "Paul Martin",  # a word in capitals after two title-case words
        "Lucie DURAND GRÈVE GÉNÉRALE": "Lucie DURAND",  # a French word in capitals after the surname
        "Lucie Durand matinale": "Lucie Durand",  # a lower-case word that is no particle
        "Anne-Sophie Je": "Anne-Sophie",  # a pronoun
        "Ivan du Roy": "Ivan du Roy",  # particles stay
        "Karl von der Burg": "Karl von der Burg",
        "Yann LE GOFF": "Yann LE GOFF",  # a surname in capitals stays
    }
    for text, name in cases.items():
        assert text[:_person_end(text, W)] == name, text


def test_chrome_before_a_name_is_cut():
    from pipeline.stages.actors.entities import _after_chrome

    for text, name in {"▪ Banque Populaire": "Banque Populaire", "Tags > Services publics": "Services publics",
                       "21:07 Mbappé": "Mbappé", "Paul Martin": "Paul Martin"}.items():
        assert text[_after_chrome(text, 0, len(text)):] == name


def test_names_differing_by_case_are_one_actor(nlp):
    text = "Le journaliste Ivan du Roy a enquêté. Selon Ivan Du Roy, la police a menti."
    values = {m.value for m in _run(nlp, text) if m.actor_type == "PER"}
    assert len({v.casefold() for v in values}) == len(values) == 1, values


def test_capitalised_head_needs_a_capital_and_a_name():
    from pipeline.stages.actors.patterns import capitalised_head_cands
    from pipeline.text.fold import fold_same_length

    R = load_rules()
    for text, want in {
        "Les Chargeurs Atlantiques ont armé un paquebot.": ["Chargeurs Atlantiques"],
        "Les actions des Forges de Gueugnon montent.": ["Forges de Gueugnon"],
        "La Chambre de Commerce et d'Industrie de Lille vote.": ["Chambre de Commerce et d'Industrie de Lille"],
        "Les messageries maritimes ont repris.": [],  # no capital on the head
        "La Société a été dissoute.": [],  # no name after the head
        "Il habite rue de la Compagnie des Indes.": [],  # a street named after it
        "LA SOCIÉTÉ DES NATIONS": [],  # a heading in capitals
    }.items():
        assert [c.name for c in capitalised_head_cands(text, fold_same_length(text), R)] == want, text


def test_an_actor_named_only_on_label_lines_is_dropped(nlp):
    """Menu entries, tags, bylines and links to other articles are short lines that do not end like a
    sentence: an actor named only there is not one the article is about; in a hard-wrapped text
    (no paragraph line) every line is short and nothing is dropped."""
    para = ("Le maire de Villeurbanne, Paul Granger, a présenté mardi soir devant le conseil municipal un "
            "plan de rénovation des écoles du quartier, financé en partie par la région et par l'État.")
    body = "Un plan pour les écoles\n" + para + "\nPar Julie Marchand\nÀ lire aussi\nLucie Fabre quitte Orange"
    values = {m.value for m in _run(nlp, body)}
    assert "Paul Granger" in values
    assert not values & {"Julie Marchand", "Lucie Fabre", "Orange"}, values
    wrapped = "Un plan pour les écoles\nLe maire, Paul Granger, a présenté\nmardi un plan avec Lucie Fabre"
    assert {"Paul Granger", "Lucie Fabre"} <= {m.value for m in _run(nlp, wrapped)}


def test_an_org_head_name_stops_where_capitals_start_after_title_case():
    from pipeline.stages.actors.patterns import _case_run_end

    for text, name in {"association Bloquons Tout ÉCOLE PUBLIQUE": "association Bloquons Tout",
                       "université UPEC": "université UPEC",  # an acronym right after the head
                       "université Mohammed VI Polytechnique": "université Mohammed VI Polytechnique",
                       "lycée Jean Moulin": "lycée Jean Moulin"}.items():
        assert text[:_case_run_end(text)] == name


def test_an_org_head_name_keeps_combining_accents():
    import unicodedata

    text = unicodedata.normalize("NFD", "La fondation Jean-Jaurès a publié une note.")
    names = [c.name for c in actors.patterns.org_head_cands(text, text.lower(), [], load_rules())]
    assert names == [unicodedata.normalize("NFD", "fondation Jean-Jaurès")]


def test_a_known_company_inside_a_longer_organisation_name_is_its_parent():
    """The model's longer name wins over the gazetteer's shorter one inside it when the rest names a
    part ("France 3 Limousin", "Chœur de Radio France"), not when the sentence runs on."""
    from pipeline.settings import or_defaults
    from pipeline.stages.actors.candidates import Cand
    from pipeline.stages.actors.resolve import to_mentions
    from pipeline.text.fold import fold_same_length

    R, S = load_rules(), or_defaults("actors", None)
    for body, longer, want in [
        ("Le Chœur de Radio France chante.", (3, 24), "Chœur de Radio France"),
        ("France 3 Limousin diffuse le match.", (0, 17), "France 3 Limousin"),
        ("Radio France a annoncé un plan.", (0, 22), "Radio France"),  # "Radio France a annoncé"
    ]:
        g = body.index("France 3") if "France 3" in body else body.index("Radio France")
        gl = 8 if "France 3" in body else 12
        cands = [Cand(g, g + gl, body[g:g + gl], "ORG", "actors.gazetteer", 0, canonical=body[g:g + gl], fixed=True),
                 Cand(longer[0], longer[1], body[longer[0]:longer[1]], "ORG", "ner+repair", 2)]
        got = {m.value for m in to_mentions(body, fold_same_length(body), cands, R, S)}
        assert got == {want}, (body, got)


def test_bylines_signatures_and_read_more_links_name_no_actor(nlp):
    text = ("Par Jeanne Moreau et Paul Lefèvre — 24 novembre 2017\n"
            "Le conseil municipal a voté le budget mardi, après un long débat avec Martine Aubry. "
            "Il sera appliqué dès janvier. (Paul Lefèvre)\n"
            "Un budget serré. Lire la suite de la critique de Marc Durand sur le site du journal.")
    names = {m.value for m in _run(nlp, text)}
    assert "Martine Aubry" in names  # named in the article's prose
    assert not names & {"Jeanne Moreau", "Paul Lefèvre", "Marc Durand"}


def test_a_live_feeds_substitution_lines_are_statements_not_labels(nlp):
    para = ("Le match a été disputé devant un public nombreux, et les deux équipes ont longtemps cherché la "
            "faille sans parvenir à marquer avant la pause, malgré de belles occasions de part et d'autre.")
    text = "Lorient - Lyon\n" + para + "\n\nSortie de Pierre Martin\n\nEntrée de Julien Moreau\n\nFin du match."
    names = {m.value for m in _run(nlp, text)}
    assert {"Pierre Martin", "Julien Moreau"} <= names  # short lines, but statements of the feed


def test_a_bare_list_of_names_is_no_statement_about_them(nlp):
    from pipeline.stages.actors import default_rules, list_lines

    R = default_rules()
    members = ("Institut Pasteur, École centrale de Lyon, Observatoire de Marseille, Université de Rennes, "
               "Conservatoire de Lille, Académie de Nice.")
    assert list_lines(members, R) == [(0, len(members))]
    prose = "Ont signé l'appel : Institut Pasteur, École centrale, Inria, CNRS, Inserm, Ifremer."
    assert list_lines(prose, R) == []                                   # a verb: a statement
    assert list_lines("Institut Pasteur, Inria, CNRS.", R) == []       # too short to be a list
    text = ("Le nouveau campus ouvrira en septembre, a annoncé la présidente de l'Institut Pasteur.\n"
            + members)
    names = {m.value for m in _run(nlp, text)}
    assert "Institut Pasteur" in names and "Académie de Nice" not in names
