"""Fuzzing: arbitrary text and bytes through every stage and the whole pipeline.

No exception may escape, and every offset must slice what it claims to:
``body[m.start:m.end] == m.text`` for every mention, ``body[e.start:e.end] == e.sentence``
for every event, and each kept line of the clean stage sits at its offset in the body.

Text is drawn both from arbitrary Unicode and from a news-like vocabulary mixed with the
characters that break offsets in practice (case mappings that change length, combining
marks, line separators that ``str.splitlines`` honours, NBSP, ligatures, emoji).

The examples are derandomised so the suite is stable; set ``FRNEWS_FUZZ_EXAMPLES=N`` to run
N random examples per test instead (e.g. 2000 before a release).
"""

from __future__ import annotations

import datetime
import gzip
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.process import Config, process_batch
from pipeline.read import decode_bytes, html_to_text, iter_records
from pipeline.records import Cleaned, Event, Mention, RawRecord
from pipeline.stages import actors, clean, countries, dates, events, metadata, money, sectors

pytestmark = pytest.mark.slow

_ENV = os.environ.get("FRNEWS_FUZZ_EXAMPLES")
FUZZ = settings(max_examples=int(_ENV) if _ENV else 30, deadline=None, derandomize=not _ENV,
                suppress_health_check=list(HealthCheck), database=None, print_blob=True)
FUZZ_SMALL = settings(FUZZ, max_examples=int(_ENV) if _ENV else 15)

WORDS = [
    # news vocabulary that wakes up the rules
    "Le", "la", "les", "du", "de", "d'", "l'", "à", "en", "le", "gouvernement", "ministre", "président",
    "rwandais", "kényan", "Rwanda", "Kenya", "Kigali", "Maroc", "Côte d'Ivoire", "Union", "africaine",
    "européenne", "Banque", "mondiale", "FMI", "ONU", "M.", "Mme", "Paul", "Kagame", "Macky", "Sall",
    "a", "signé", "annoncé", "accord", "aide", "financement", "écoles", "santé", "énergie", "agriculture",
    "1er", "3", "12", "2025", "1999", "mars", "janvier", "lundi", "hier", "demain", "XXe", "siècle",
    "janv.", "2025-03-04", "04/03/2025", "15h30", "millions", "milliard", "milliards", "mds", "M€", "€",
    "$", "dollars", "d'euros", "FCFA", "francs", "CFA", "USD", "EUR", "1 000", "1 000,50", "10,5", "2.5",
    "entre", "et", "près", "environ", "plus", "par", "an", "%", "Publié", "Mis à jour", "Partager",
    "Lire aussi", "©", "«", "»", "“", "”", "'", "’", "(", ")", ":", ";", ",", ".", "...", "?", "!", "-",
    "–", "—", "/", "=", "+", "@", "#", "<p>", "</p>", "<script>", "&amp;", "http://x.fr/a?b=1",
    # characters that move offsets around
    "\u00a0", "\u202f", "\u2009", "\t", "\r", "\r\n", "\n", "\n\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e",
    "\x85", "\u2028", "\u2029", "\u200b", "\ufeff", "İstanbul", "ß", "STRASSE", "ﬁnance", "ǅ", "Ǆ", "ŉ",
    "e\u0301te\u0301", "É", "é", "Œuvre", "ǰ", "ΐ", "ẞ", "ﬀ", "𝐀", "😀", "١٢٣", "٣", "²", "½", "Ⅻ",
]

PHRASES = [
    "le 3 mars 2025", "le 1er janvier 2024", "du 3 au 5 mars 2025", "en mars 2025", "le lundi 10 février",
    "au XXe siècle", "mi-2025", "fin 2024", "depuis 2019", "il y a deux ans", "la semaine dernière",
    "12 millions de dollars", "1,5 milliard de FCFA", "entre 10 et 20 millions d'euros", "près de 300 000 €",
    "$5 million", "5 M$", "10 000 francs CFA par mois", "2,3 mds €", "USD 12,000,000", "€ 40", "un milliard",
    "M. Paul Kagame, président rwandais,", "la ministre kényane de la Santé", "le Premier ministre",
    "le gouvernement sénégalais", "Kigali et Nairobi", "la Banque mondiale a accordé", "a signé un accord avec",
    "ont condamné l'attaque", "la République démocratique du Congo", "l'Afrique de l'Ouest", "au Maghreb",
    "les États-Unis", "Washington", "Abidjan", "Paris", "Londres", "Pékin", "le secteur de l'énergie",
    "les télécommunications", "l'agriculture", "les banques", "a annoncé une aide de 3 millions",
]
SEPARATORS = st.sampled_from([" ", " ", " ", "", "\n", "\n\n", "\u00a0", "\t", "\r\n", "\u2028"])


@st.composite
def newsy(draw, max_words: int = 60) -> str:
    words = draw(st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(PHRASES)), max_size=max_words))
    seps = draw(st.lists(SEPARATORS, min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps))


TEXT = st.one_of(st.text(max_size=300), newsy(),
                 st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
DATES = st.one_of(st.none(), st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)))
DATE_STRINGS = st.one_of(st.none(), st.text(max_size=30), st.dates().map(str),
                         st.sampled_from(["2025-02-30", "0000-00-00", "31/12/1999", "mars 2025", "9999-99-99",
                                          "2025-03-04T10:00:00Z", "-1", ""]))


def check_mentions(body: str, mentions, kinds: set[str]) -> None:
    assert isinstance(mentions, list)
    for m in mentions:
        assert isinstance(m, Mention) and m.kind in kinds, m
        assert 0 <= m.start <= m.end <= len(body), m
        assert body[m.start:m.end] == m.text, (m, body[m.start:m.end])
        assert isinstance(m.value, str) and m.value, m


def check_events(body: str, evs) -> None:
    assert isinstance(evs, list)
    for e in evs:
        assert isinstance(e, Event), e
        assert 0 <= e.start <= e.end <= len(body), e
        assert body[e.start:e.end] == e.sentence, (e, body[e.start:e.end])
        assert e.event_type and e.event_id


# -- stage by stage ------------------------------------------------------------------------------

@FUZZ
@given(TEXT)
def test_clean(text):
    c = clean.clean(text)
    assert isinstance(c, Cleaned)
    kept = [ln for ln in c.lines if ln.keep]
    assert c.body == "\n\n".join(ln.text for ln in kept)
    assert len(c.offsets) == len(kept)
    for (raw_index, start), ln in zip(c.offsets, kept):
        assert raw_index == ln.index and c.body[start:start + len(ln.text)] == ln.text


@FUZZ_SMALL
@given(st.one_of(st.text(max_size=400), newsy(120)))
def test_html_to_text(html):
    doc = html_to_text("<html><body><p>" + html + "</p></body></html>")
    assert isinstance(doc.text, str)
    assert doc.title is None or isinstance(doc.title, str)
    doc = html_to_text(html)
    assert isinstance(doc.text, str)


@FUZZ
@given(TEXT, st.one_of(st.none(), TEXT), DATE_STRINGS, DATE_STRINGS, st.one_of(st.none(), TEXT))
def test_detect_metadata(raw, title, published, html_published, html_title):
    meta = metadata.detect_metadata(raw, clean.clean(raw), title=title, published=published,
                                    html_published=html_published, html_title=html_title)
    assert meta.published_source in {"input", "html", "text", "none"}
    assert (meta.published is None) == (meta.published_source == "none")
    assert isinstance(meta.language, str) and meta.language and 0.0 <= meta.language_score <= 1.0
    assert meta.title is None or isinstance(meta.title, str)


@FUZZ
@given(TEXT)
def test_find_countries(body):
    check_mentions(body, countries.find_countries(body), {"country", "region"})


@FUZZ
@given(TEXT)
def test_find_actors_without_doc(body):
    found = countries.find_countries(body)
    check_mentions(body, actors.find_actors(body, None, countries=found), {"actor"})


@FUZZ
@given(TEXT)
def test_stages_with_a_real_doc(nlp, body):
    doc = nlp(body)
    found = countries.find_countries(body, doc=doc)
    check_mentions(body, found, {"country", "region"})
    acts = actors.find_actors(body, doc, countries=found)
    check_mentions(body, acts, {"actor"})
    secs = sectors.find_sectors(body, doc)
    check_mentions(body, secs, {"sector", "sector_hit"})
    ms = sorted([*found, *acts, *secs], key=lambda m: (m.start, m.end, m.kind))
    check_events(body, events.find_events("fuzz", body, doc, ms, published=datetime.date(2025, 3, 4)))


@FUZZ
@given(TEXT, DATES)
def test_find_dates(body, published):
    skipped: list[str] = []
    check_mentions(body, dates.find_dates(body, published=published, skipped=skipped), {"date"})
    assert all(isinstance(s, str) for s in skipped)


@FUZZ
@given(TEXT, st.frozensets(st.sampled_from(["RW", "KE", "SN", "CM", "US", "FR", "XX", "rw", ""]), max_size=3))
def test_find_money(body, codes):
    ms = money.find_money(body, countries=codes)
    check_mentions(body, ms, {"money"})
    for m in ms:
        assert m.currency and len(m.currency) == 3 and m.amount is not None


@FUZZ
@given(TEXT)
def test_find_sectors_without_doc(body):
    check_mentions(body, sectors.find_sectors(body), {"sector", "sector_hit"})


@FUZZ
@given(TEXT, DATES)
def test_find_events_without_doc(body, published):
    ms = sorted([*countries.find_countries(body), *dates.find_dates(body, published=published),
                 *money.find_money(body), *sectors.find_sectors(body)], key=lambda m: (m.start, m.end, m.kind))
    check_events(body, events.find_events("fuzz", body, None, ms, published=published))


# -- readers -------------------------------------------------------------------------------------

@FUZZ
@given(st.one_of(st.binary(max_size=400), TEXT.map(lambda t: t.encode("utf-8")),
                 TEXT.map(lambda t: t.encode("cp1252", "replace")), TEXT.map(lambda t: t.encode("utf-16"))))
def test_decode_bytes(data):
    text, enc, err = decode_bytes(data)
    if err is None:
        assert isinstance(text, str) and enc
    else:
        assert text is None and enc is None and isinstance(err, str)
    if err is None and enc == "utf-8":
        assert text == data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")


def _lines(draw_bytes: list[bytes]) -> bytes:
    return b"\n".join(draw_bytes) + b"\n"


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                           lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids,
                                                                                     max_size=3), max_leaves=6)
RECORDS = st.fixed_dictionaries({}, optional={"id": JSON_VALUES, "text": st.one_of(TEXT, JSON_VALUES),
                                              "html": st.one_of(TEXT, JSON_VALUES), "title": JSON_VALUES,
                                              "url": JSON_VALUES, "published": DATE_STRINGS})
ODD_LINES = st.sampled_from([
    b'{"id": "big", "n": ' + b"9" * 5000 + b"}",  # over Python's int digit limit
    b'{"id": "deep", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}",  # deeper than the recursion limit
    b'{"id": "s\\ud83d", "text": "broken \\udc00 emoji \\ud83d\\ude00"}',  # lone and paired surrogates
    b'{"id": "nul", "text": "a\\u0000b"}',
    b'{"ID": "upper", "Text": "Bonjour"}',
    b'{"id": 7, "text": ["a list"]}',
])
JSONL_LINES = st.lists(st.one_of(RECORDS.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8")),
                                 RECORDS.map(lambda r: json.dumps(r).encode("utf-8")),  # \uXXXX escapes
                                 ODD_LINES, st.binary(max_size=60), TEXT.map(lambda t: t.encode("utf-8"))),
                       max_size=6)


def _line_of(rec: RawRecord, path) -> int:
    prefix = f"{path}:"
    assert rec.source.startswith(prefix), rec.source
    return int(rec.source[len(prefix):])


def _clean_strings(rec: RawRecord) -> None:
    for v in (rec.article_id, rec.source, rec.text, rec.html, rec.title, rec.url, rec.published):
        assert v is None or isinstance(v, str) and "\x00" not in v
    for v in (rec.article_id, rec.source, rec.text, rec.html, rec.title, rec.url, rec.published, rec.error):
        if v is not None:
            v.encode("utf-8")  # no lone surrogate reaches a hash, a key or a table


@FUZZ
@given(JSONL_LINES, st.booleans())
def test_jsonl_reader(tmp_path_factory, lines, gz):
    """No exception escapes, and every non-blank line of the file is exactly one record (a row
    or an error row) carrying its line number, in order."""
    from pipeline.read.readers import sniff_unicode

    d = tmp_path_factory.mktemp("jsonl")
    data = _lines(lines)
    path = d / ("dump.jsonl.gz" if gz else "dump.jsonl")
    truncated = gz and len(lines) % 2 == 0
    path.write_bytes(gzip.compress(data)[: -7 if truncated else None] if gz else data)
    recs = list(iter_records([path]))
    numbers = []
    for r in recs:
        assert isinstance(r, RawRecord) and isinstance(r.article_id, str) and r.article_id
        assert r.error is None or isinstance(r.error, str)
        _clean_strings(r)
        numbers.append(_line_of(r, path))
        if r.error is not None and not r.error.startswith(("unreadable data", "duplicate")):
            assert f"{path}:{numbers[-1]}" in r.error, r.error  # the error names its line
    assert numbers == sorted(set(numbers)), numbers
    if sniff_unicode(data[:4096])[0] in (None, "utf-8") and not truncated:
        expected = [i for i, line in enumerate(data.split(b"\n")[:-1], start=1) if line.strip()]
        assert numbers == expected


@FUZZ
@given(st.one_of(st.binary(max_size=400),
                 st.lists(st.lists(st.one_of(TEXT, st.sampled_from(['"', '""', ",", "\n", "\r", "\x00",
                                                                     "\ud83d"])), max_size=5),
                          max_size=5).map(lambda rows: (st_header() + "\n".join(",".join(r) for r in rows))
                                          .encode("utf-8", "surrogatepass"))))
def test_csv_reader(tmp_path_factory, data):
    """No exception escapes; rows come out in order, each once, as a row or an error row with
    its row number; no row after an unterminated quote is swallowed without an error."""
    path = tmp_path_factory.mktemp("csv") / "dump.csv"
    path.write_bytes(data)
    recs = list(iter_records([path]))
    numbers = []
    for r in recs:
        assert isinstance(r, RawRecord) and r.article_id
        _clean_strings(r)
        if r.source != str(path):  # a whole-file error (binary, undecodable) has no row number
            numbers.append(_line_of(r, path))
    assert numbers == sorted(set(numbers)), numbers
    assert len(recs) <= max(1, data.count(b"\n") + data.count(b"\r"))


def st_header() -> str:
    return "ID,Text,title\n"


# -- the whole pipeline --------------------------------------------------------------------------

RAW_RECORDS = st.builds(
    RawRecord,
    article_id=st.text(min_size=1, max_size=10),
    source=st.just("fuzz"),
    text=st.one_of(st.none(), TEXT, newsy(200)),
    html=st.one_of(st.none(), TEXT.map(lambda t: f"<html><body><p>{t}</p></body></html>")),
    title=st.one_of(st.none(), TEXT),
    url=st.one_of(st.none(), st.just("https://example.org/a")),
    published=DATE_STRINGS,
    encoding=st.sampled_from([None, "utf-8", "cp1252"]),
    error=st.one_of(st.none(), st.none(), st.just("binary file: not text")),
)


@FUZZ_SMALL
@given(st.lists(RAW_RECORDS, min_size=1, max_size=4), st.booleans())
def test_process_batch(nlp, records, clean_text):
    out = process_batch(records, nlp=nlp, cfg=Config(clean_text=clean_text))
    assert [a.article_id for a in out] == [r.article_id for r in records]
    for rec, a in zip(records, out):
        assert a.status in {"ok", "skipped", "error"}
        assert not (a.error or "").startswith("internal error"), a.error
        if rec.error:
            assert (a.status, a.error) == ("error", rec.error)
        if a.status != "ok":
            assert not a.mentions and not a.events and a.error
            continue
        assert a.processing in {"full", "rules-only"} and a.body_chars == len(a.body)
        check_mentions(a.body, list(a.mentions), {"actor", "country", "region", "date", "money", "sector", "sector_hit"})
        check_events(a.body, list(a.events))


@FUZZ_SMALL
@given(st.lists(newsy(150), min_size=1, max_size=3), st.integers(min_value=20, max_value=200))
def test_process_batch_split_into_model_chunks(nlp, tmp_path_factory, texts, max_chars):
    """The split-for-the-model path (bodies over max_model_chars) with a tiny limit: shifted offsets still slice."""
    cfg = tmp_path_factory.mktemp("cfg") / "small.toml"
    cfg.write_text(f"[run]\nmax_model_chars = {max_chars}\n", encoding="utf-8")
    records = [RawRecord(article_id=f"a{i}", source="fuzz", text=t) for i, t in enumerate(texts)]
    out = process_batch(records, nlp=nlp, cfg=Config(clean_text=False, config=cfg))
    for a in out:
        assert a.status in {"ok", "skipped"}, a.error
        if a.status == "ok":
            check_mentions(a.body, list(a.mentions), {"actor", "country", "region", "date", "money", "sector", "sector_hit"})
            check_events(a.body, list(a.events))
            if len(a.body) > max_chars and a.processing == "full":
                assert "chunks" in (a.notes or "")
            # event ids are a hash of the span in the body: unique, whatever chunk found them
            assert len({e.event_id for e in a.events}) == len(a.events)
