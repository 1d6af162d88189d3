"""Bad input loses nothing: every record gets exactly one articles row with a status.

Each case writes one bad input next to the same two good articles, runs the
real pipeline over the folder (one batch), and checks the bad record's
``status`` / ``error`` AND that the good articles came out whole: status ok,
the same body, mentions and events as in a run over the good articles alone.
The last tests cover the CLI exit codes and spreadsheet (formula) safety.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from synthetic import PARTNERS, PLACES, varied  # tests/synthetic.py

from pipeline.cli import main as cli_main
from pipeline.contract import CONTRACT as TABLES
from pipeline.runner import RunOptions, RunResult, run
from pipeline.stages.nlp import MAX_CHARS
from pipeline.write import FORMULA_PREFIXES, csv_safe, iter_csv_rows

pytestmark = pytest.mark.slow

GOOD = {
    "good-1": (
        "Kigali et Nairobi signent un accord numérique\n\n"
        "Le gouvernement rwandais et le Kenya ont signé le 3 mars 2025 à Kigali un accord de 12 millions "
        "de dollars pour connecter les écoles rurales à internet haut débit.\n\n"
        "La ministre rwandaise des TIC, Paula Ingabire, a salué un partenariat historique qui doit "
        "bénéficier à plus de 400 établissements scolaires d'ici 2027.\n\n"
        "La Banque mondiale financera une partie du programme, a précisé le ministère kényan de "
        "l'Éducation dans un communiqué publié le 4 mars 2025."
    ),
    "good-2": (
        "Le Maroc lance un fonds pour l'énergie solaire\n\n"
        "Le Maroc a annoncé lundi 10 février 2025 la création d'un fonds de 500 millions d'euros destiné "
        "aux centrales solaires du sud du pays, en partenariat avec l'Union européenne.\n\n"
        "Selon le ministère de la Transition énergétique, les premiers appels d'offres seront lancés en "
        "septembre 2025 à Rabat et à Ouarzazate pour un montant de 80 millions d'euros.\n\n"
        "Des investisseurs sénégalais et ivoiriens ont également exprimé leur intérêt pour ce programme "
        "régional consacré à l'électricité renouvelable."
    ),
}

STATUSES = {"ok", "skipped", "error"}
NO_TEXT = "no text: the record is empty"


def _jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def good_jsonl() -> bytes:
    return _jsonl([{"id": k, "text": v} for k, v in GOOD.items()])


@dataclass
class Out:
    dir: Path
    result: RunResult
    articles: list[dict]
    mentions: list[dict]
    events: list[dict]
    csv: dict[str, list[dict]]
    clusters: list[dict]

    def row(self, aid: str) -> dict:
        rows = [a for a in self.articles if a["article_id"] == aid]
        assert len(rows) == 1, f"{aid}: {len(rows)} rows"
        return rows[0]

    def mentions_of(self, aid: str) -> list[dict]:
        return [m for m in self.mentions if m["article_id"] == aid]

    def events_of(self, aid: str) -> list[dict]:
        return [e for e in self.events if e["article_id"] == aid]


def run_dump(folder: Path, out: Path, *, records: int | None = None, config: str | None = None) -> Out:
    """Run the real pipeline over ``folder`` (one worker, one batch) and read every table back;
    ``config`` is the text of a settings overlay (TOML)."""
    cfg = None
    if config is not None:
        cfg = out.parent / f"{out.name}.toml"
        cfg.write_text(config, encoding="utf-8")
    res = run(RunOptions(inputs=(folder,), out=out, workers=1, batch_size=64, progress="none", config=cfg))
    tables = {t: pq.read_table(out / f"{t}.parquet").to_pylist() for t in TABLES}
    csvs = {t: list(iter_csv_rows(out / f"{t}.csv")) for t in TABLES}
    o = Out(out, res, tables["articles"], tables["mentions"], tables["events"], csvs, tables["clusters"])
    check_invariants(o, records)
    return o


def check_invariants(o: Out, records: int | None) -> None:
    """No row lost or duplicated; statuses and errors consistent; offsets slice the body."""
    if records is not None:
        assert len(o.articles) == records == o.result.total
    assert len({(a["article_id"], a["source"]) for a in o.articles}) == len(o.articles)
    for a in o.articles:
        assert a["status"] in STATUSES, a
        assert (a["error"] is None) == (a["status"] == "ok"), a
        assert (a["processing"] is not None) == (a["status"] == "ok"), a
    bodies = {a["article_id"]: a["body"] for a in o.articles if a["status"] == "ok"}
    for m in o.mentions:
        assert bodies[m["article_id"]][m["start"]:m["end"]] == m["text"], m
    for e in o.events:
        assert bodies[e["article_id"]][e["start"]:e["end"]] == e["sentence"], e
    assert len({e["event_id"] for e in o.events}) == len(o.events)
    assert {e["cluster_id"] for e in o.events} == {c["cluster_id"] for c in o.clusters}
    for t in TABLES:
        assert len(o.csv[t]) == len(getattr(o, t))
    assert sum(o.result.counts.values()) == len(o.articles)


def _strip(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "source"}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Out:
    """The good articles alone: what they must look like next to any bad record."""
    d = tmp_path_factory.mktemp("baseline")
    (d / "in").mkdir()
    (d / "in" / "good.jsonl").write_bytes(good_jsonl())
    o = run_dump(d / "in", d / "out", records=len(GOOD))
    for gid in GOOD:
        assert o.row(gid)["status"] == "ok" and o.row(gid)["processing"] == "full"
        kinds = {m["kind"] for m in o.mentions_of(gid)}
        assert {"country", "date", "money"} <= kinds, (gid, kinds)
    return o


def assert_good_whole(o: Out, baseline: Out) -> None:
    for gid in GOOD:
        row = o.row(gid)
        assert row["status"] == "ok" and row["error"] is None and row["processing"] == "full", row
        assert row["body"] and "\n\n" in row["body"]
        assert _strip(row) == _strip(baseline.row(gid))
        assert o.mentions_of(gid) == baseline.mentions_of(gid)
        assert o.mentions_of(gid), gid
        assert o.events_of(gid) == baseline.events_of(gid)


def dump(tmp_path: Path, files: dict[str, bytes], *, with_good: bool = True) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    if with_good:
        (folder / "good.jsonl").write_bytes(good_jsonl())
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


# -- the bad-input matrix -----------------------------------------------------------------------

def test_empty_files_are_skipped(tmp_path, baseline):
    folder = dump(tmp_path, {"empty.txt": b"", "blank.txt": b" \n\t\r\n  \n", "empty2.txt": b""})
    o = run_dump(folder, tmp_path / "out", records=5)
    for aid in ("empty", "blank", "empty2"):
        row = o.row(aid)
        assert (row["status"], row["error"]) == ("skipped", NO_TEXT), row
        assert row["body"] == "" and row["processing"] is None and not o.mentions_of(aid)
    assert_good_whole(o, baseline)


def test_binary_files_are_errors(tmp_path, baseline):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    folder = dump(tmp_path, {"photo.txt": png, "page.html": bytes(range(256)) * 4,
                             "table.csv": b"id,text\n\x00\x01\x02\x03" * 50})
    o = run_dump(folder, tmp_path / "out", records=5)
    for aid in ("photo", "page", "table"):
        row = o.row(aid)
        assert (row["status"], row["error"]) == ("error", "binary file: not text"), row
        assert row["body"] == "" and row["encoding"] is None
    assert_good_whole(o, baseline)


CP1252_TEXT = (
    "L’économie ivoirienne accélère\n\n"
    "Le gouvernement ivoirien a présenté à Abidjan un plan de 2 milliards d’euros pour l’œuvre de "
    "modernisation des ports, a indiqué le ministère de l’Économie le 12 avril 2025.\n\n"
    "« Nous voulons doubler les exportations de cacao vers le Ghana et le Nigeria », a déclaré le ministre "
    "devant la presse réunie au Plateau.\n\n"
    "Le coût total du programme, soit 1 300 € par habitant, sera partagé avec la Banque africaine de "
    "développement."
)

LATIN1_TEXT = (
    "Le Sénégal célèbre sa récolte\n\n"
    "Le ministère sénégalais de l'Agriculture a annoncé à Dakar une récolte record d'arachides, "
    "en hausse de 12 % selon les données publiées le 5 novembre 2024.\n\n"
    "« C'est le fruit d'un travail de fond », a déclaré le ministre, qui prévoit d'exporter davantage "
    "vers la Gambie et le Mali dès l'année prochaine.\n\n"
    "Les coopératives de Kaolack ont reçu 45 millions de francs CFA pour l'achat de semences."
)


def test_cp1252_text_is_decoded_and_named(tmp_path, baseline):
    data = CP1252_TEXT.encode("cp1252")
    assert b"\x92" in data and b"\x80" in data  # ’ and €: bytes that only cp1252 gives meaning
    folder = dump(tmp_path, {"legacy-cp1252.txt": data})
    o = run_dump(folder, tmp_path / "out", records=3)
    row = o.row("legacy-cp1252")
    assert (row["status"], row["error"], row["encoding"]) == ("ok", None, "cp1252")
    assert row["processing"] == "full" and row["language"] == "fr"
    for piece in ("L’économie", "l’œuvre", "2 milliards d’euros", "1 300 €", "« Nous voulons"):
        assert piece in row["body"] or piece in (row["title"] or ""), piece
    assert "CI" in {m["value"] for m in o.mentions_of("legacy-cp1252") if m["kind"] == "country"}
    assert_good_whole(o, baseline)


def test_latin1_text_is_decoded_exactly(tmp_path, baseline):
    data = LATIN1_TEXT.encode("latin-1")
    folder = dump(tmp_path, {"legacy-latin1.txt": data})
    o = run_dump(folder, tmp_path / "out", records=3)
    row = o.row("legacy-latin1")
    assert row["status"] == "ok" and row["processing"] == "full"
    # Real latin-1 text has no byte in 0x80-0x9F, so it is byte-for-byte cp1252 too: the column
    # must name a Western single-byte encoding that gives back exactly the original text.
    assert row["encoding"] in {"cp1252", "latin_1", "iso8859-1", "iso-8859-1", "latin-1"}, row["encoding"]
    assert data.decode(row["encoding"]) == LATIN1_TEXT
    for piece in ("Le ministère sénégalais", "« C'est le fruit", "Kaolack ont reçu"):
        assert piece in row["body"], piece
    assert "Ã" not in row["body"]  # no mojibake
    assert {"SN", "GM", "ML"} <= {m["value"] for m in o.mentions_of("legacy-latin1") if m["kind"] == "country"}
    assert_good_whole(o, baseline)


def test_malformed_jsonl_lines_name_file_and_line(tmp_path, baseline):
    lines = [json.dumps({"id": "good-1", "text": GOOD["good-1"]}, ensure_ascii=False).encode(),
             b'{"id": "broken", "text": "Le Rwanda a sign',
             b"[1, 2, 3]",
             b"\x00\x01\x02 binary junk \x00",
             json.dumps({"id": "good-2", "text": GOOD["good-2"]}, ensure_ascii=False).encode()]
    folder = dump(tmp_path, {"feed.jsonl": b"\n".join(lines) + b"\n"}, with_good=False)
    path = folder / "feed.jsonl"
    o = run_dump(folder, tmp_path / "out", records=5)
    broken = o.row("feed:2")
    assert broken["status"] == "error" and broken["source"] == f"{path}:2"
    assert broken["error"].startswith(f"malformed JSON at {path}:2: ")
    not_object = o.row("feed:3")
    assert not_object["status"] == "error"
    assert not_object["error"] == f"malformed record at {path}:3: expected a JSON object, got list"
    junk = o.row("feed:4")
    assert (junk["status"], junk["error"]) == ("error", f"{path}:4: binary file: not text")
    assert [a["article_id"] for a in o.articles] == ["good-1", "feed:2", "feed:3", "feed:4", "good-2"]
    assert_good_whole(o, baseline)


def test_truncated_or_corrupt_gzip_keeps_the_records_before_the_damage(tmp_path, baseline):
    whole = gzip.compress(_jsonl([{"id": f"z{i}", "text": varied(i)} for i in range(20)]))
    folder = dump(tmp_path, {"cut.jsonl.gz": whole[: len(whole) * 2 // 3],
                             "junk.jsonl.gz": b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4,
                             "plain.jsonl.gz": _jsonl([{"id": "p", "text": GOOD["good-2"]}])})
    o = run_dump(folder, tmp_path / "out")
    cut = [a for a in o.articles if a["source"].startswith(str(folder / "cut.jsonl.gz"))]
    assert len(cut) >= 4, "the records before the damage are kept"
    assert [a["status"] for a in cut] == ["ok"] * (len(cut) - 1) + ["error"]
    assert [a["article_id"] for a in cut[:-1]] == [f"z{i}" for i in range(len(cut) - 1)]
    last = cut[-1]
    assert last["article_id"] == f"cut:{len(cut)}" and last["source"] == f"{folder / 'cut.jsonl.gz'}:{len(cut)}"
    assert last["error"].startswith(f"unreadable data at {last['source']}: EOFError"), last["error"]
    for name in ("junk", "plain"):
        row = o.row(f"{name}:1")
        assert row["status"] == "error" and row["error"].startswith(f"unreadable data at {folder / name}"), row
    assert len(o.articles) == len(cut) + 2 + len(GOOD)
    assert_good_whole(o, baseline)


def test_csv_dumps_with_bad_rows_and_old_line_endings(tmp_path, baseline):
    def rows(p: str, first: str, third: str, nl: str) -> str:
        return nl.join(["id,text,title", f'{p}1,"{first}",Titre', f"{p}2,texte,titre,en trop", f'{p}3,"{third}",'])

    # CR-only line endings (old Mac / Excel "CSV Macintosh"), CRs inside quoted cells too
    mac = rows("c", varied(1).replace("\n", "\r"), varied(3), "\r").encode("cp1252")
    unix = rows("u", varied(2), varied(4), "\n").encode("utf-8")
    folder = dump(tmp_path, {"mac.csv": mac, "unix.csv": unix})
    o = run_dump(folder, tmp_path / "out", records=8)
    for p, name, i in (("c", "mac", 1), ("u", "unix", 2)):
        row = o.row(f"{p}1")
        assert row["status"] == "ok" and row["source"] == f"{folder / name}.csv:2"
        assert PARTNERS[i % len(PARTNERS)] in row["body"] and row["body"].count("\n\n") >= 2
        bad = o.row(f"{name}:3")
        assert bad["status"] == "error"
        assert bad["error"] == f"malformed CSV row at {folder / name}.csv:3: more cells than header columns"
        assert o.row(f"{p}3")["status"] == "ok" and PLACES[(i + 2) % len(PLACES)][2] in o.row(f"{p}3")["body"]
        assert o.mentions_of(f"{p}1") and o.mentions_of(f"{p}3")
    assert o.row("c1")["encoding"] == "cp1252" and o.row("u1")["encoding"] == "utf-8"
    assert_good_whole(o, baseline)


def test_records_with_no_text_are_skipped(tmp_path, baseline):
    recs = [{"id": "title-only", "title": "Un titre sans article", "url": "https://example.org/a"},
            {"id": "blank-text", "text": "   \n\n  "},
            {"id": "null-text", "text": None, "html": None},
            {"id": "empty-html", "html": ""}]
    folder = dump(tmp_path, {"holes.jsonl": _jsonl(recs)})
    o = run_dump(folder, tmp_path / "out", records=6)
    for r in recs:
        row = o.row(r["id"])
        assert (row["status"], row["error"]) == ("skipped", NO_TEXT), row
        assert row["body"] == "" and not o.mentions_of(r["id"])
    assert o.row("title-only")["url"] == "https://example.org/a"
    assert_good_whole(o, baseline)


def test_duplicate_ids_and_exact_copies(tmp_path, baseline):
    recs = [{"id": "dup", "text": CP1252_TEXT},
            {"id": "dup", "text": LATIN1_TEXT},
            {"id": "copy-of-good-1", "text": GOOD["good-1"]}]
    folder = dump(tmp_path, {"more.jsonl": _jsonl(recs)})
    o = run_dump(folder, tmp_path / "out", records=5)
    dups = [a for a in o.articles if a["article_id"] == "dup"]
    assert [a["status"] for a in dups] == ["ok", "error"]
    assert dups[1]["error"] == "duplicate id: 'dup' already read earlier in this run"
    assert "Abidjan" in dups[0]["body"] and dups[1]["body"] == ""
    assert dups[0]["source"] != dups[1]["source"]
    copy = o.row("copy-of-good-1")
    assert copy["status"] == "ok" and copy["duplicate_of"] == "good-1"
    assert copy["body"] == o.row("good-1")["body"] and not o.mentions_of("copy-of-good-1")
    assert_good_whole(o, baseline)


def _big_article(n_chars: int) -> str:
    places = [("Rwanda", "Kigali"), ("Kenya", "Nairobi"), ("Sénégal", "Dakar"), ("Ghana", "Accra"),
              ("Maroc", "Rabat"), ("Nigeria", "Abuja"), ("Cameroun", "Yaoundé"), ("Mali", "Bamako")]
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre"]
    paras, i, size = ["Rapport annuel sur les investissements en Afrique"], 0, 0
    while size < n_chars:
        country, city = places[i % len(places)]
        paras.append(
            f"Paragraphe {i} : le gouvernement du {country} a signé le {1 + i % 27} {months[i % len(months)]} "
            f"{2000 + i % 25} à {city} un accord de {10 + i % 90} millions d'euros pour financer "
            f"{i % 7 + 2} nouvelles écoles et {i % 5 + 1} hôpitaux régionaux, selon le communiqué n°{i}.")
        size += len(paras[-1]) + 2
        i += 1
    return "\n\n".join(paras)


def test_article_too_large_for_the_model_is_split(tmp_path, baseline):
    text = _big_article(300_000)
    folder = dump(tmp_path, {"huge.txt": text.encode("utf-8")})
    o = run_dump(folder, tmp_path / "out", records=3)
    row = o.row("huge")
    assert row["status"] == "ok" and row["processing"] == "full", row["error"]
    assert row["body_chars"] > 2 * MAX_CHARS and len(row["body"]) == row["body_chars"]
    assert "split into" in (row["notes"] or "") and "chunks" in row["notes"], row["notes"]
    ms = o.mentions_of("huge")
    # every chunk was analysed: mentions all along the body, offsets shifted back into it
    for lo in range(0, row["body_chars"] - 20_000, MAX_CHARS):
        assert any(lo <= m["start"] < lo + MAX_CHARS and m["kind"] == "actor" for m in ms), lo
        assert any(lo <= m["start"] < lo + MAX_CHARS and m["kind"] == "money" for m in ms), lo
    assert max(m["end"] for m in ms) > row["body_chars"] - 2_000
    assert_good_whole(o, baseline)


def test_chunked_article_keeps_unique_event_ids(tmp_path, baseline):
    # the same paragraph in every chunk: each chunk finds its events at the same chunk offsets
    para = " ".join(["Le gouvernement rwandais a signé un accord de coopération avec le Kenya pour financer des "
                     "écoles rurales."] * 8)
    assert len(para) > max(len(t) for t in GOOD.values())  # the good articles are not split
    folder = dump(tmp_path, {"repeat.txt": "\n\n".join([para] * 4).encode("utf-8")})
    o = run_dump(folder, tmp_path / "out", records=3, config=f"[run]\nmax_model_chars = {len(para) + 2}\n")  # check_invariants: event ids unique
    assert "split into 4 chunks" in o.row("repeat")["notes"]
    evs = o.events_of("repeat")
    assert len(evs) >= 4 and len(evs) % 4 == 0
    assert {e["start"] // (len(para) + 2) for e in evs} == {0, 1, 2, 3}
    assert_good_whole(o, baseline)


def test_article_over_the_body_limit_is_truncated(tmp_path, baseline):
    text = _big_article(90_000)
    folder = dump(tmp_path, {"huge.txt": text.encode("utf-8")})
    # the real limit is 1M characters
    o = run_dump(folder, tmp_path / "out", records=3, config="[decode]\nmax_body_chars = 40000\n")
    row = o.row("huge")
    assert row["status"] == "ok" and row["processing"] == "full"
    assert row["raw_chars"] == 40_000 and row["body_chars"] <= 40_000
    assert f"truncated from {len(text)} to 40000 characters" in row["notes"]
    assert row["body"] and o.mentions_of("huge")
    assert_good_whole(o, baseline)


ENGLISH = (
    "Rwanda and Kenya sign a digital trade pact\n\n"
    "Rwanda and Kenya signed a trade agreement in Kigali on Monday, officials said in a statement dated "
    "2025-03-04, after two years of negotiations.\n\n"
    "The World Bank will lend $12 million to connect rural schools in both countries to broadband internet, "
    "and Nigeria and Ghana are expected to join the scheme next year.\n\n"
    "The deal also covers agriculture, energy and telecommunications, the ministers told reporters."
)

GERMAN = (
    "Neues Abkommen zwischen Berlin und Paris\n\n"
    "Die Regierungen haben am 04.03.2025 in Berlin ein Abkommen über die Zusammenarbeit bei erneuerbaren "
    "Energien unterzeichnet, teilte das Ministerium mit.\n\n"
    "Die Vereinbarung sieht gemeinsame Investitionen in Wind- und Solarparks vor, die bis zum Ende des "
    "Jahrzehnts Millionen Haushalte mit Strom versorgen sollen.\n\n"
    "Beide Seiten wollen sich im kommenden Jahr erneut treffen, um die Fortschritte zu überprüfen."
)


def test_articles_not_in_french_get_rules_only(tmp_path, baseline):
    folder = dump(tmp_path, {"english.txt": ENGLISH.encode("utf-8"), "german.txt": GERMAN.encode("utf-8")})
    o = run_dump(folder, tmp_path / "out", records=4)
    en, de = o.row("english"), o.row("german")
    assert (en["status"], en["processing"], en["language"]) == ("ok", "rules-only", "en")
    assert (de["status"], de["processing"], de["language"]) == ("ok", "rules-only", "de")
    assert en["language_score"] > 0.5 and de["language_score"] > 0.5
    en_values = {(m["kind"], m["value"]) for m in o.mentions_of("english")}
    assert {("country", "RW"), ("country", "KE"), ("country", "NG"), ("country", "GH")} <= en_values
    assert ("date", "2025-03-04") in en_values and ("money", "12000000 USD") in en_values
    de_values = {(m["kind"], m["value"]) for m in o.mentions_of("german")}
    assert ("date", "2025-03-04") in de_values and ("country", "DE") in de_values
    assert_good_whole(o, baseline)


SECRETS = ("SCRIPTSECRET", "SCRIPTWRITE", "INLINESCRIPT", "STYLESECRET", "STYLECONTENT", "INLINESTYLE",
           "font-family", "document.write", "color:red")

HTML_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Le Sénégal inaugure une centrale solaire à Kahone</title>
<style>body { font-family: STYLESECRET; } .pub::after { content: "STYLECONTENT"; }</style>
<script>var tracker = "SCRIPTSECRET"; document.write("SCRIPTWRITE");</script>
</head><body>
<nav><a href="/">Accueil</a> | <a href="/eco">Économie</a> | <a href="/pol">Politique</a></nav>
<article>
<h1>Le Sénégal inaugure une centrale solaire à Kahone</h1>
<p>Le président sénégalais a inauguré samedi 8 mars 2025 à Kahone une centrale solaire de 35 mégawatts,
financée à hauteur de 40 millions d'euros par l'Agence française de développement.</p>
<script>alert("INLINESCRIPT"); window.dataLayer = [];</script>
<p>La centrale doit alimenter plus de 60 000 foyers de la région de Kaolack, a indiqué la Senelec dans un
communiqué, qui prévoit deux autres sites au Mali et en Mauritanie d'ici 2027.</p>
<style>p { color:red } /* INLINESTYLE */</style>
<p>Le ministre de l'Énergie a rappelé que le Sénégal vise 40 % d'électricité renouvelable à la fin de la
décennie, grâce au soutien de la Banque mondiale et de l'Union européenne.</p>
</article>
<footer>© 2025 Le Journal de Dakar. Tous droits réservés.</footer>
</body></html>
"""


def test_html_script_and_style_never_reach_the_body(tmp_path, baseline):
    rec = {"id": "html-record", "html": HTML_PAGE.replace("Kahone", "Kahone-Est"), "url": "https://x.sn/a"}
    folder = dump(tmp_path, {"page.html": HTML_PAGE.encode("utf-8"), "pages.jsonl": _jsonl([rec])})
    o = run_dump(folder, tmp_path / "out", records=4)
    for aid in ("page", "html-record"):
        row = o.row(aid)
        assert row["status"] == "ok" and row["processing"] == "full", row
        assert "centrale solaire" in row["body"] and "Kaolack" in row["body"]
        cells = [str(v) for v in row.values() if v is not None]
        cells += [str(v) for m in o.mentions_of(aid) for v in m.values() if v is not None]
        cells += [str(v) for e in o.events_of(aid) for v in e.values() if v is not None]
        for secret in SECRETS:
            assert not any(secret in c for c in cells), (aid, secret)
        assert "<" not in row["body"] and "{" not in row["body"]
        assert "SN" in {m["value"] for m in o.mentions_of(aid) if m["kind"] == "country"}
    assert_good_whole(o, baseline)


# -- round two: records that used to kill the run or drop the rest of their file --------------

def test_a_lone_surrogate_is_repaired_and_the_run_goes_on(tmp_path, baseline):
    lines = [json.dumps({"id": "broken\ud83d-0", "text": varied(5) + " \ud83d"})]
    lines += [json.dumps({"id": "good-1", "text": GOOD["good-1"]}, ensure_ascii=False),
              json.dumps({"id": "good-2", "text": GOOD["good-2"]}, ensure_ascii=False)]
    folder = dump(tmp_path, {"feed.jsonl": ("\n".join(lines) + "\n").encode()}, with_good=False)
    o = run_dump(folder, tmp_path / "out", records=3)
    row = o.row("broken\ufffd-0")
    assert row["status"] == "ok" and row["body"].endswith("\ufffd")
    assert "text: 1 lone UTF-16 surrogate(s) replaced by U+FFFD" in row["notes"]
    again = run_dump(folder, tmp_path / "out", records=3)  # a re-run reuses it, no error either
    assert again.result.cached == 3
    assert_good_whole(o, baseline)


def test_odd_json_lines_are_rejected_alone_and_the_file_read_on(tmp_path, baseline):
    lines = [b'{"id": "huge", "n": ' + b"9" * 5000 + b"}", b'{"id": "deep", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
             json.dumps({"id": "good-1", "text": GOOD["good-1"]}, ensure_ascii=False).encode(),
             json.dumps({"id": "good-2", "text": GOOD["good-2"]}, ensure_ascii=False).encode()]
    folder = dump(tmp_path, {"odd.jsonl": b"\n".join(lines) + b"\n"}, with_good=False)
    o = run_dump(folder, tmp_path / "out", records=4)
    assert o.row("odd:1")["error"].startswith(f"unreadable JSON at {folder / 'odd.jsonl'}:1: Exceeds the limit")
    assert o.row("odd:2")["error"] == f"unreadable JSON at {folder / 'odd.jsonl'}:2: nested too deeply"
    assert_good_whole(o, baseline)


def test_utf16_dumps_from_windows_are_read(tmp_path, baseline):
    jl = "".join(json.dumps({"id": f"w{k}", "text": v}, ensure_ascii=False) + "\r\n" for k, v in GOOD.items())
    folder = dump(tmp_path, {"windows.jsonl": jl.encode("utf-16"),  # "Unicode" in Windows tools: a BOM
                             "nobom.txt": GOOD["good-2"].encode("utf-16-le")})
    o = run_dump(folder, tmp_path / "out", records=5)
    assert o.row("wgood-1")["status"] == "ok" and o.row("wgood-1")["encoding"] == "utf-16-le"
    assert o.row("wgood-1")["body"] == baseline.row("good-1")["body"]
    assert o.row("nobom")["body"] == baseline.row("good-2")["body"]
    assert_good_whole(o, baseline)


def test_misnamed_columns_and_an_unterminated_quote_are_named(tmp_path, baseline):
    def good(prefix: str) -> str:
        return "".join(f'{prefix}{k},"{v}"\n' for k, v in GOOD.items())

    folder = dump(tmp_path, {"upper.csv": ("ID,TEXT\n" + good("u-")).encode(),
                             "wrong.csv": ("ref,contenu\n" + good("w-")).encode(),
                             "quote.csv": ('id,text\nq1,"Le maire a dit : « non\n' + good("")).encode()},
                  with_good=False)
    o = run_dump(folder, tmp_path / "out", records=7)
    assert o.row("u-good-1")["body"] == baseline.row("good-1")["body"]
    rows = {(a["source"].rsplit("/", 1)[1], a["status"]) for a in o.articles}
    assert ("upper.csv:2", "ok") in rows and ("upper.csv:3", "ok") in rows
    wrong = [a for a in o.articles if "wrong.csv" in a["source"]]
    assert [a["status"] for a in wrong] == ["error", "error"]
    assert "columns found 'ref', 'contenu'; expected 'text' or 'html'" in wrong[0]["error"]
    quote = [a for a in o.articles if "quote.csv" in a["source"]]
    assert quote[0]["status"] == "error" and "a quote opened in this row runs on to line 3" in quote[0]["error"]
    assert [a["status"] for a in quote[1:]] == ["ok", "ok"]  # the rows after it are read


def test_nul_bytes_are_stripped_from_text_not_a_binary_verdict(tmp_path, baseline):
    rows = "".join(f'n{i},"{varied(i)}"\n' for i in range(100))
    data = ("id,text\n" + rows).encode().replace(b"Rwanda", b"Rwa\x00nda", 1)
    folder = dump(tmp_path, {"nul.csv": data, "late.txt": GOOD["good-2"].encode() + b"\x00\n"})
    o = run_dump(folder, tmp_path / "out", records=103)
    assert all(a["status"] == "ok" for a in o.articles)
    assert "\x00" not in o.row("n0")["body"] and "NUL character(s) removed" in o.row("n0")["notes"]
    assert "\x00" not in o.row("late")["body"] and "NUL character(s) removed" in o.row("late")["notes"]
    assert_good_whole(o, baseline)


def test_json_fields_that_are_not_strings(tmp_path, baseline):
    recs = [{"id": 42, "text": GOOD["good-1"], "title": 2025}, {"id": "obj", "text": {"fr": "x"}}]
    folder = dump(tmp_path, {"types.jsonl": _jsonl(recs)})
    o = run_dump(folder, tmp_path / "out", records=4)
    assert o.row("42")["title"] == "2025" and "title: a number in the input (2025)" in o.row("42")["notes"]
    assert o.row("obj")["error"].endswith("'text' is an object, expected a string")
    assert "{" not in (o.row("obj")["body"] or "")
    assert_good_whole(o, baseline)


def test_an_invalid_published_value_is_noted_on_the_row(tmp_path, baseline):
    recs = [{"id": "bad-date", "text": varied(3), "published": "la semaine prochaine"},
            {"id": "good-date", "text": varied(4), "published": "2025-03-05"}]
    folder = dump(tmp_path, {"dates.jsonl": _jsonl(recs)})
    o = run_dump(folder, tmp_path / "out", records=4)
    bad = o.row("bad-date")
    assert bad["status"] == "ok" and bad["published_source"] != "input"
    assert "published: the input's value 'la semaine prochaine' is not a date" in bad["notes"]
    good = o.row("good-date")
    assert (good["published"], good["published_source"]) == ("2025-03-05", "input")
    assert "published:" not in (good["notes"] or "")
    assert_good_whole(o, baseline)


def test_the_output_folder_inside_the_input_folder_is_not_read_next_time(tmp_path, baseline):
    folder = dump(tmp_path, {})
    first = run_dump(folder, folder / "outputs", records=2)
    again = run_dump(folder, folder / "outputs", records=2)  # its own CSV and Parquet are not articles
    assert again.result.cached == 2 and [a["article_id"] for a in again.articles] == ["good-1", "good-2"]
    assert_good_whole(first, baseline)


def test_a_format_not_asked_for_is_removed_not_left_stale(tmp_path):
    folder = dump(tmp_path, {})
    out = tmp_path / "out"
    assert cli_main(["run", str(folder), "--out", str(out), "--workers", "1", "-q"]) == 0
    assert (out / "events.parquet").is_dir() and (out / "events.csv").exists()
    assert cli_main(["run", str(folder), "--out", str(out), "--workers", "1", "-q", "--format", "csv"]) == 0
    assert not any(out.glob("*.parquet")) and (out / "events.csv").exists()
    assert json.loads((out / "run.json").read_text())["options"]["formats"] == ["csv"]
    assert cli_main(["run", str(folder), "--out", str(out), "--workers", "1", "-q", "--format", "parquet"]) == 0
    assert not any(out.glob("*.csv")) and (out / "events.parquet").is_dir()


def test_truncation_is_in_the_run_summary_and_library_warnings_in_the_log(tmp_path, capsys):
    import logging

    folder = dump(tmp_path, {"long.txt": (GOOD["good-1"] + "\n\n").encode() * 40})
    cfg = tmp_path / "small.toml"
    cfg.write_text("[decode]\nmax_body_chars = 2000\n", encoding="utf-8")
    out = tmp_path / "out"
    from pipeline.cli import _setup_logging

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers = []
    try:
        _setup_logging(0)
        logging.getLogger("trafilatura.core").warning("discarding data: %s", "a page")
        assert cli_main(["run", str(folder), "--out", str(out), "--workers", "1", "--config", str(cfg)]) == 0
        logging.getLogger("trafilatura.core").warning("discarding data: %s", "during the run")
    finally:
        root.handlers, _ = saved[0], root.setLevel(saved[1])
    err = capsys.readouterr().err
    assert "1 article(s) too long were cut to the first [decode] max_body_chars characters" in err
    assert "discarding data" not in err
    assert json.loads((out / "run.json").read_text())["truncated"] == 1


def test_user_mistakes_are_one_line_rc_2_and_leave_nothing_behind(tmp_path, capsys, monkeypatch):
    folder = dump(tmp_path, {})
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    cases = {
        "--out is a file": (["--out", str(tmp_path / "a-file")], "is a file, not a folder"),
        "--out under a file": (["--out", str(tmp_path / "a-file" / "out")], "is a file, not a folder"),
        "--out cannot be written": (["--out", "/proc/frnews-test/out"], "cannot write there"),
        "unknown model": (["--out", str(tmp_path / "new" / "out"), "--model", "fr_core_news_xl"],
                          "no such spaCy model package or folder (installed: "),
    }
    for name, (args, message) in cases.items():
        assert cli_main(["run", str(folder), *args, "-q"]) == 2, name
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err and "Traceback" not in err, (name, err)
    assert not (tmp_path / "new").exists()  # nothing created on failure
    monkeypatch.chdir(tmp_path)  # outside the repository: no corpus/ to look in
    assert cli_main(["explain", "some-id"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "(use --input DIR)" in err
    gold = tmp_path / "gold"
    gold.mkdir()
    assert cli_main(["eval", "--gold", str(gold)]) == 2
    assert "no gold file (*.json) in" in capsys.readouterr().err
    (gold / "some-id.json").write_text("{}", encoding="utf-8")
    assert cli_main(["eval", "--gold", str(gold)]) == 2
    assert 'not a gold file: no "article" id' in capsys.readouterr().err
    (gold / "some-id.json").write_text('{"article": "some-id"}', encoding="utf-8")
    assert cli_main(["eval", "--gold", str(gold)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "(use --input DIR)" in err


# -- exit codes ---------------------------------------------------------------------------------

def test_exit_code_2_on_usage_errors(tmp_path, capsys):
    assert cli_main(["run", str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "-q"]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    assert cli_main(["run", str(tmp_path / "notes.docx"), "--out", str(tmp_path / "out"), "-q"]) == 2
    assert "unsupported input type" in capsys.readouterr().err
    (tmp_path / "a.txt").write_text("Bonjour.", encoding="utf-8")
    assert cli_main(["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--workers", "0"]) == 2
    with pytest.raises(SystemExit) as exc:
        cli_main(["run", "--no-such-option"])
    assert exc.value.code == 2


def test_exit_code_1_when_nothing_could_be_processed(tmp_path, capsys):
    folder = dump(tmp_path, {"a.txt": bytes(range(256)) * 4, "b.txt": b"\x00" * 100}, with_good=False)
    out = tmp_path / "out"
    assert cli_main(["run", str(folder), "--out", str(out), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "error: a: binary file: not text" in err and "error: b: binary file: not text" in err
    rows = list(iter_csv_rows(out / "articles.csv"))  # the rows are still written
    assert [(r["article_id"], r["status"]) for r in rows] == [("a", "error"), ("b", "error")]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli_main(["run", str(empty), "--out", str(tmp_path / "out2"), "-q"]) == 1
    assert "no input records found" in capsys.readouterr().err


def test_exit_code_0_with_an_error_summary(tmp_path, capsys):
    folder = dump(tmp_path, {"empty.txt": b"", "photo.txt": bytes(range(256)),
                             "feed.jsonl": b'{"id": "x", "text": "tronqu\n'})
    out = tmp_path / "out"
    assert cli_main(["run", str(folder), "--out", str(out), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "5 record(s)" in err and "error 2" in err and "ok 2" in err and "skipped 1" in err
    assert f"  skipped: empty: {NO_TEXT}" in err
    assert "  error: photo: binary file: not text" in err
    assert f"  error: feed:1: malformed JSON at {folder / 'feed.jsonl'}:1" in err
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["status_counts"] == {"ok": 2, "error": 2, "skipped": 1}


# -- spreadsheet safety -------------------------------------------------------------------------

EVIL = '=HYPERLINK("http://evil","x")'


def test_formula_cells_are_inert_in_csv_and_exact_in_parquet(tmp_path, baseline):
    recs = [
        {"id": "evil", "title": EVIL,
         "text": f"{EVIL} Le gouvernement rwandais a signé le 3 mars 2025 à Kigali un accord de 12 millions "
                 "de dollars avec le Kenya pour connecter les écoles rurales à internet.\n\n"
                 "La ministre rwandaise des TIC a salué un partenariat historique pour le Rwanda et la "
                 "Banque mondiale."},
        {"id": "=1+1", "text": "+33 1 23 45 67 89 : le Maroc a annoncé lundi 10 février 2025 un fonds de "
                               "500 millions d'euros pour les centrales solaires, avec l'Union européenne."},
        {"id": "at-sign", "title": "@SUM(A1:A9)",
         "text": "-5 % pour le Ghana : la Banque du Ghana a abaissé son taux directeur le 3 mars 2025 à Accra, "
                 "selon un communiqué publié par l'institution monétaire."},
    ]
    folder = dump(tmp_path, {"evil.jsonl": _jsonl(recs)})
    o = run_dump(folder, tmp_path / "out", records=5)
    evil = o.row("evil")
    assert evil["status"] == "ok" and evil["body"].startswith(EVIL) and evil["title"] == EVIL
    assert o.row("=1+1")["status"] == "ok" and o.row("=1+1")["body"].startswith("+33 1 23")
    assert o.row("at-sign")["title"] == "@SUM(A1:A9)" and o.row("at-sign")["body"].startswith("-5 %")
    evil_csv = next(r for r in o.csv["articles"] if r["article_id"] == "'=1+1" or r["body"].startswith("'" + EVIL))
    assert evil_csv["body"].startswith("'" + EVIL) and evil_csv["title"] == "'" + EVIL
    # every cell of every table: a formula-like value is neutralised in CSV, exact in Parquet
    formula_cells = 0
    for t in TABLES:
        rows = getattr(o, t)
        assert len(rows) == len(o.csv[t])
        for prow, crow in zip(rows, o.csv[t]):
            for col, value in prow.items():
                assert crow[col] == csv_safe(value), (t, col, value, crow[col])
                if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
                    formula_cells += 1
                    assert crow[col] == "'" + value
    assert formula_cells >= 6  # 3 bodies, 2 titles, and the "=1+1" id in every table it appears in
    assert [r["article_id"] for r in o.csv["mentions"] if r["article_id"].startswith("'")]
    raw = (o.dir / "articles.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b'\n"=' not in raw and b",=" not in raw and b',"=' not in raw
    assert_good_whole(o, baseline)
