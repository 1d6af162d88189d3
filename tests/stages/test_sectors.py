"""Sectors stage: lexicon matching on lemmas (with a doc) and on regex tokens (without)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.records import Mention
from pipeline.stages import sectors
from pipeline.stages.sectors import find_sectors, sector_set

CASES = Path(__file__).resolve().parent.parent / "cases" / "sectors.tsv"


def _slugs(body, doc=None):
    return set(sector_set(find_sectors(body, doc)))


def _cases():
    lines = [ln for ln in CASES.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        marks = [pytest.mark.xfail(strict=True, reason=row["note"])] if row["status"] == "xfail" else []
        yield pytest.param(row["text"], {s for s in (row["expected"] or "").split(",") if s}, id=row["id"], marks=marks)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), list(_cases()))
def test_cases(nlp, text, expected):
    assert _slugs(text, nlp(text)) == expected


@pytest.mark.slow
def test_inflections_match_lemmas(nlp):
    body = "Les hôpitaux publics et les écoles rurales manquent de médecins."
    assert _slugs(body, nlp(body)) == {"health", "education"}


def test_regex_fallback_without_doc():
    assert _slugs("Les hôpitaux et les écoles ont rouvert.") == {"health", "education"}
    assert _slugs("New hospitals, schools and airports were announced.") == {"health", "education", "transport"}


@pytest.mark.slow
def test_mention_fields(nlp):
    body = "La santé d'abord.\n\nLe ministère de la Santé et les hôpitaux."
    ms = find_sectors(body, nlp(body))
    assert [m.text for m in ms] == ["santé", "Santé", "hôpitaux"]
    for m in ms:
        assert m.kind == "sector"
        assert body[m.start:m.end] == m.text
        assert m.value == "health"
        assert m.rule.startswith("sectors.health.")
    assert ms[0].keyword == "santé" and ms[2].keyword == "hôpital"
    assert ms[2].rule == "sectors.health.hopital"


def test_every_occurrence_is_a_mention_but_the_set_is_unique():
    body = "La santé, encore la santé, toujours la santé."
    ms = find_sectors(body)
    assert len(ms) == 3
    assert sector_set(ms) == ["health"]


@pytest.mark.slow
def test_longest_match_wins(nlp):
    body = "Il a amélioré la recherche d'emploi des jeunes."
    ms = find_sectors(body, nlp(body))
    assert [(m.text, m.value) for m in ms] == [("recherche d'emploi", "employment")]


@pytest.mark.slow
def test_ambiguous_words_need_phrases(nlp):
    for body, expected in [
        ("Les protocoles de sécurité ont été validés dans un environnement contrôlé.", set()),
        ("La sécurité sociale est en déficit.", {"social_protection"}),
        ("Les forces de sécurité ont été déployées.", {"security_defence"}),
        ("Il a donné son feu vert.", set()),
        ("Les données personnelles sont protégées.", {"digital"}),
        ("Il y a un an, l'IA était marginale.", {"digital"}),
    ]:
        assert _slugs(body, nlp(body)) == expected, body


def test_hyphen_variants_are_equivalent():
    for dash in "-\u2010\u2011":
        assert _slugs(f"Les semi{dash}conducteurs manquent.") == {"industry"}


@pytest.mark.slow
def test_same_result_with_and_without_doc_on_simple_text(nlp):
    body = "Le ministère de l'Agriculture lance un programme d'irrigation et de formation."
    assert _slugs(body, nlp(body)) == _slugs(body) == {"agriculture", "education"}


def test_empty_body():
    assert find_sectors("") == []


def test_custom_rules_dir(tmp_path):
    d = tmp_path / "sectors"
    d.mkdir()
    (d / "lexicon.tsv").write_text(
        "id\tslug\tphrase\tlang\texample\n"
        "sectors.mining.or\tmining\t=or\tfr\tL'or brille.\n"
        "sectors.digital.ia\tdigital\t!IA\tfr\tL'IA progresse.\n", encoding="utf-8")
    rules = sectors.load_rules(d)
    ms = find_sectors("L'or et l'IA, or pas l'ia.", rules=rules)
    assert [(m.text, m.rule) for m in ms] == [("or", "sectors.mining.or"), ("IA", "sectors.digital.ia"),
                                              ("or", "sectors.mining.or")]


def test_rule_word_syntax():
    from pipeline.text.phrases import compile_phrase

    assert compile_phrase("=données|donnée") == (frozenset({"données", "donnée"}),)
    assert compile_phrase("!IA") == (frozenset({"\x00IA"}),)
    (keys,) = compile_phrase("signer")
    assert {"signer", "signe", "signent", "signé", "signée"} <= keys
    assert compile_phrase("recherche d'emploi")[1] == frozenset({"de"})
    assert compile_phrase("promettre|=promis")[0] >= {"promettre", "promis"}


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.sampled_from(["santé", "hôpitaux", "l'", "d'", "R&D", "semi‑conducteurs", "de", "la", "recherche", "emploi",
                          "Banque", "mondiale", "«", "»", ".", ",", "\n\n", "IA", "-", "données", "x"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=40), st.text(max_size=30))
def test_offsets_always_point_into_body(words, noise):
    body = " ".join(words) + noise
    for m in find_sectors(body):
        assert body[m.start:m.end] == m.text and m.text
        assert m.value in sectors.SLUGS


def test_results_do_not_depend_on_the_hash_seed():
    import subprocess
    import sys

    code = ("from pipeline.stages.sectors import find_sectors;"
            "t='Le ministère des Postes et Télécommunications, la santé publique, les hôpitaux et la fintech.';"
            "print([(m.start, m.end, m.rule) for m in find_sectors(t)])")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": str(seed), "PATH": ""}).stdout for seed in (0, 1, 2, 3)}
    assert len(outs) == 1 and "telecom" in outs.pop()


# -- the stage as the registry runs it -------------------------------------------------------

@pytest.mark.slow
def test_run_takes_the_tokens_step_output(nlp):
    from pipeline.context import Context, ReadGuard
    from pipeline.stages import BY_NAME
    from pipeline.text.tokens import tokens_step

    body = "Les hôpitaux et les écoles de la Banque mondiale."
    for doc in (nlp(body), None):
        ctx = Context(body=body, doc=doc, notes=[], actors=())
        ctx.update(tokens_step(ReadGuard(ctx, BY_NAME["tokens"].reads, "tokens"), None, None))
        out = sectors.run(ReadGuard(ctx, BY_NAME["sectors"].reads, "sectors"), sectors.load_rules(), None)
        assert set(out) == {"sectors"} and list(out["sectors"]) == find_sectors(body, doc)
        assert [m.value for m in out["sectors"]] == ["health", "education"]


def test_find_sectors_uses_the_tokens_it_is_given():
    from pipeline.text.tokens import text_tokens

    body = "Les hôpitaux et les écoles."
    assert find_sectors(body, tokens=[]) == []
    assert find_sectors(body, tokens=text_tokens(body)) == find_sectors(body)


# ---------------------------------------------------------------- article-level decision

def _settings(**over):
    from pipeline.settings import or_defaults
    return or_defaults("sectors", None).model_copy(update=over)


def test_evidence_weight_orders_as_documented():
    """README "Article-level decision": headline > lede > running text > label line; a repeated
    keyword weighs less than its first hit."""
    S = _settings()
    filler = "Une phrase de remplissage assez longue pour sortir du chapeau de l'article. " * 8
    body = ("Les hôpitaux en grève\n"                       # headline
            "Le personnel des hôpitaux réclame des moyens.\n"  # lede (repeat)
            + filler + "\nLes cliniques privées suivent le mouvement.\n"  # running text
            "Cliniques\n")                                   # label line (repeat)
    w = [(m.text, dict(m.extra)["weight"]) for m in sectors.find_sectors(body, settings=S)]
    assert w == [("hôpitaux", S.title_weight), ("hôpitaux", S.lede_weight * S.repeat_factor),
                 ("cliniques", 1.0), ("Cliniques", S.label_line_factor * S.repeat_factor)]
    assert S.title_weight > S.lede_weight > 1.0 > S.label_line_factor
    assert S.repeat_factor < 1.0


def test_indirect_evidence_weighs_less_than_a_word_naming_the_domain():
    """A person of the domain or a relational adjective (lexicon ``evidence = indirect``) is weaker
    evidence than the domain's own word: one passing "les soldats" does not make security_defence
    an article sector, one "l'armée" does, and two different indirect words do too."""
    S = _settings()
    filler = "Une phrase de remplissage assez longue pour sortir du chapeau de l'article. " * 8
    head = "Un titre sans mot-clé\n" + filler
    w = {m.text: dict(m.extra)["weight"] for m in sectors.find_sectors(
        head + "\nDes soldats et l'armée du pays.\n", settings=S)}
    assert w == {"soldats": S.indirect_factor, "armée": 1.0}
    assert S.indirect_factor < 1.0
    assert sector_set(sectors.find_sectors(head + "\nDes soldats passent.\n", settings=S)) == []
    assert sector_set(sectors.find_sectors(head + "\nL'armée du pays.\n", settings=S)) == ["security_defence"]
    assert sector_set(sectors.find_sectors(head + "\nDes soldats et un camp militaire.\n", settings=S)) \
        == ["security_defence"]


def test_every_indirect_row_is_a_person_or_an_adjective_of_its_domain():
    """The ``indirect`` rows are listed on purpose: each one's example still gives its sector as a hit."""
    rows = [r for r in sectors.default_rules().rows if r.evidence == "indirect"]
    assert len(rows) >= 40
    for r in rows:
        hits = sectors.keyword_hits(r.example)
        assert any(h.rule == r.id for h in hits), r.id


def test_variety_outweighs_repetition_and_score_is_the_sum():
    filler = "Une phrase de remplissage assez longue pour sortir du chapeau de l'article. " * 8
    body = ("Un titre sans mot-clé\n" + filler +
            "\nLa santé et les maladies inquiètent. Les écoles ferment, les écoles rouvrent.\n")
    ms = sectors.find_sectors(body)
    score = {m.value: dict(m.extra)["score"] for m in ms}
    for slug in score:
        assert score[slug] == pytest.approx(sum(dict(m.extra)["weight"] for m in ms if m.value == slug))
    assert score["health"] > score["education"]  # two keywords beat one keyword twice


def test_threshold_decides_the_kind_and_keeps_the_evidence():
    filler = "Une phrase de remplissage assez longue pour sortir du chapeau de l'article. " * 8
    body = ("Le nouveau plan de santé\n" + filler + "\nIl concerne aussi une école.\n")
    strict = sectors.find_sectors(body, settings=_settings(min_score=2.0))
    kinds = {m.value: m.kind for m in strict}
    assert kinds == {"health": "sector", "education": "sector_hit"}
    assert sector_set(strict) == ["health"]
    share = sectors.find_sectors(body, settings=_settings(min_share=0.5))
    assert sector_set(share) == ["health"]
    assert sector_set(sectors.find_sectors(body)) == ["health", "education"]


def test_a_hit_inside_an_actor_name_weighs_less():
    filler = "Une phrase de remplissage assez longue pour sortir du chapeau de l'article. " * 8
    body = "Un titre sans mot-clé\n" + filler + "\nIl publie dans la revue Agriculture and Society.\n"
    start = body.index("Agriculture and Society")
    name = Mention(kind="actor", text="Agriculture and Society", start=start, end=start + 23,
                   value="Agriculture and Society", rule="ner+repair", actor_type="ORG")
    S = _settings()
    plain = sectors.find_sectors(body, settings=S)
    named = sectors.find_sectors(body, settings=S, actors=[name])
    assert [dict(m.extra)["weight"] for m in plain] == [1.0]
    assert [dict(m.extra)["weight"] for m in named] == [S.name_factor]
    assert sector_set(plain) == ["agriculture"] and sector_set(named) == []


_FILLER = "Une phrase de remplissage assez longue pour sortir du chapeau de l'article. " * 8


def _kinds(body, **over):
    return {m.value: m.kind for m in sectors.find_sectors(body, settings=_settings(**over))}


def test_a_passing_mention_is_evidence_not_an_article_sector():
    """One keyword of a sector far below the article's main topic, in no list of domains, is a
    passing mention (kind ``sector_hit``, its evidence kept); two different keywords or the main
    topic's share make it the article's."""
    head = ("Les hôpitaux de la région débordés\n" + _FILLER +
            "\nLes urgences et les services de santé manquent de médecins. La santé publique inquiète.\n")
    passing = head + "Le directeur a répondu aux questions par internet.\n"
    assert _kinds(passing) == {"health": "sector", "digital": "sector_hit"}
    hit = [m for m in sectors.find_sectors(passing) if m.value == "digital"]
    assert [(m.text, dict(m.extra)["weight"]) for m in hit] == [("internet", 1.0)]
    varied = passing + "Les logiciels du numérique hospitalier ont été mis à jour.\n"
    assert _kinds(varied)["digital"] == "sector"
    # the share is the analyst's knob: 0 keeps every sector that reaches min_score
    assert _kinds(passing, topic_share=0.0)["digital"] == "sector"


def test_a_sector_named_in_a_list_of_domains_is_a_topic_even_once():
    head = ("Les hôpitaux de la région débordés\n" + _FILLER +
            "\nLes urgences et les services de santé manquent de médecins. La santé publique inquiète.\n")
    listed = head + "Le plan couvre aussi l'éducation et l'agriculture.\n"
    assert _kinds(listed) == {"health": "sector", "education": "sector", "agriculture": "sector"}
    apart = head + "Le ministre de l'éducation a visité une ferme. Il a parlé de l'agriculture.\n"
    assert _kinds(apart) == {"health": "sector", "education": "sector_hit", "agriculture": "sector_hit"}


def test_listed_with_others():
    def listed(text):
        return sectors.listed_with_others(text, sectors.keyword_hits(text))
    # next to another sector's keyword with only punctuation and list words between them
    assert listed("Des projets dans les secteurs de l'éducation, de la santé et de la gouvernance.") \
        == {"education", "health"}
    assert listed("Du renseignement à la santé publique.") == {"security_defence", "health"}
    # a sentence that names three sectors lists domains even with other words between them
    assert listed("Un fonds pour l'agriculture de précision, pour les maladies chroniques et pour les "
                  "déchets ménagers.") == {"agriculture", "health", "environment"}
    # two sectors with a verb between them, or in two sentences, are no list
    assert listed("L'hôpital a reçu un don de la banque.") == set()
    assert listed("L'école ferme. La santé des élèves inquiète.") == set()


def test_a_label_line_near_the_top_gets_no_lede_weight():
    """A menu entry or a tag just under the headline is not the lede."""
    S = _settings()
    w = [(m.text, dict(m.extra)["weight"]) for m in sectors.find_sectors(
        "Un titre sans mot-clé\nRetraites\nLes retraites seront réformées en juin, a annoncé le ministre.\n",
        settings=S)]
    assert w == [("Retraites", S.label_line_factor), ("retraites", S.lede_weight * S.repeat_factor)]


def test_an_ambiguous_keyword_weighs_like_an_indirect_one():
    """``evidence = ambiguous`` rows (a word often used in another sense: "données" = figures,
    "formation" = a group) weigh ``indirect_factor``: one passing use is no sector."""
    S = _settings()
    rows = {r.id: r.evidence for r in sectors.default_rules().rows}
    assert rows["sectors.digital.donnees"] == rows["sectors.education.formation"] == "ambiguous"
    body = "Un titre sans mot-clé\n" + _FILLER + "\nLes données de 700 communes ont été publiées.\n"
    ms = sectors.find_sectors(body, settings=S)
    assert [(m.text, dict(m.extra)["weight"], m.kind) for m in ms] == [("données", S.indirect_factor, "sector_hit")]
    # a phrase of the digital sense is full evidence
    ms = sectors.find_sectors(body.replace("Les données de 700 communes", "La protection des données"),
                              settings=S)
    assert [(dict(m.extra)["weight"], m.kind) for m in ms] == [(1.0, "sector")]


def test_the_articles_table_lists_the_sectors_with_their_score_best_first():
    from pipeline.contract import ARTICLES
    from pipeline.records import Article

    body = ("Les hôpitaux de la région débordés\n" + _FILLER +
            "\nLes urgences et les services de santé manquent de médecins. La santé publique inquiète.\n"
            "Le plan couvre aussi l'éducation et l'agriculture. Le directeur a répondu par internet.\n")
    ms = tuple(sectors.find_sectors(body))
    column = next(c for c in ARTICLES if c.name == "sectors").getter()
    art = Article(article_id="a", source="a.txt", status="ok", body=body, mentions=ms)
    score = {m.value: dict(m.extra)["score"] for m in ms}
    assert column(art, art) == (f"health {score['health']:g}; education {score['education']:g}; "
                                f"agriculture {score['agriculture']:g}")
    assert "digital" in score  # a passing mention: evidence in the mentions table, not in the list
