"""Property tests (hypothesis): the dates and money stages never raise, their
offsets always slice the body, and generated expressions round-trip."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.stages.dates import find_dates
from pipeline.stages.money import find_money, plain

TOKENS = [
    "le", "du", "au", "entre", "et", "de", "d'", "l'", "en", "depuis", "fin", "mi-", "début", "les",
    "1er", "17", "31", "2", "000", "2 000", "2026", "1999", "2100", "2024-2026", "17/02/2026", "T1",
    "février", "fevrier", "Aout", "mai", "mars", "Mars", "mardi", "dernier", "prochain", "hier",
    "aujourd'hui", "l'an", "année", "semaine", "printemps", "l’automne", "trimestre", "premier",
    "euros", "dollars", "FCFA", "$", "€", "M$", "Md€", "millions", "milliard", "mille", "k", "un",
    "deux", "cent", "vingt", "près de", "environ", "par", "an", "agence", "%", ",", ".", "\n\n",
    "\u202f", "\u00a0", "-", "–", "/", "à", "il y a", "ans", "1,5", "1.234,5", "İ", "ß", "ﬁ",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join),
    st.lists(st.sampled_from(TOKENS), max_size=40).map("".join),
)
PUB = st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts, PUB)
def test_find_dates_never_raises_and_slices(body, published):
    skipped: list[str] = []
    for m in find_dates(body, published=published, skipped=skipped):
        assert body[m.start:m.end] == m.text and m.text
        assert m.kind == "date" and m.value and m.rule.startswith("dates:")
        assert m.date_start <= m.date_end
    if published is not None:
        assert skipped == []


@FAST
@given(texts, st.frozensets(st.sampled_from(["CM", "SN", "MA", "AE", "TN", "EG", "XX"])))
def test_find_money_never_raises_and_slices(body, countries):
    for m in find_money(body, countries=countries):
        assert body[m.start:m.end] == m.text and m.text
        assert m.kind == "money" and m.amount >= 0 and len(m.currency) == 3
        assert m.value == f"{plain(m.amount)} {m.currency}" and "E" not in m.value.split()[0]
        assert m.amount_max is None or m.amount_max > m.amount


MONTHS = [["janvier"], ["février", "fevrier", "févr."], ["mars"], ["avril", "avr."], ["mai"], ["juin"],
          ["juillet", "juil."], ["août", "aout", "Août"], ["septembre", "sept."], ["octobre", "oct."],
          ["novembre", "nov."], ["décembre", "decembre", "déc."]]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@FAST
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.data())
def test_day_month_year_round_trips(d, data):
    month = data.draw(st.sampled_from(MONTHS[d.month - 1]))
    day = "1er" if d.day == 1 and data.draw(st.booleans()) else str(d.day)
    weekday = data.draw(st.sampled_from(["", WEEKDAYS[d.weekday()] + " "]))
    body = f"Il a été signé le {weekday}{day} {month} {d.year} à Kigali."
    (m,) = find_dates(body)
    assert (m.value, m.date_start, m.date_end) == (d.isoformat(), d.isoformat(), d.isoformat())


@FAST
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.integers(-1, 1))
def test_relative_days_round_trip(published, offset):
    word = {-1: "hier", 0: "aujourd'hui", 1: "demain"}[offset]
    (m,) = find_dates(f"Le ministre a parlé {word} devant la presse.", published=published)
    assert m.value == (published + timedelta(days=offset)).isoformat()


SCALES = [("mille", 3), ("millions", 6), ("million", 6), ("milliards", 9), ("milliard", 9)]
CURRENCIES = [("euros", "EUR"), ("dollars", "USD"), ("dollars canadiens", "CAD"), ("livres sterling", "GBP"),
              ("francs suisses", "CHF"), ("yuans", "CNY"), ("nairas", "NGN"), ("FCFA", "XOF"),
              ("roubles", "RUB"), ("yens", "JPY")]


def french(n: Decimal) -> str:
    whole, _, frac = plain(n).partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return "\u202f".join(groups) + ("," + frac if frac else "")


@FAST
@given(st.decimals(min_value=Decimal("0.5"), max_value=Decimal("999999"), places=2),
       st.sampled_from(SCALES), st.sampled_from(CURRENCIES))
def test_amount_scale_currency_round_trips(n, scale, currency):
    word, exp = scale
    name, iso = currency
    link = "d'" if name[0] in "aeiouy" else "de "
    body = f"Le fonds a reçu {french(n)} {word} {link}{name} cette année."
    (m,) = find_money(body)
    assert m.currency == iso
    assert m.amount == Decimal(plain(n * Decimal(10) ** exp))


@FAST
@given(st.integers(min_value=1, max_value=10**12), st.sampled_from(CURRENCIES))
def test_grouped_amount_round_trips(n, currency):
    name, iso = currency
    (m,) = find_money(f"Un montant de {french(Decimal(n))} {name}.")
    assert (m.amount, m.currency) == (Decimal(n), iso)


# --------------------------------------------------------------------------- dates: any anchor, any form

def _form_and_calendar_texts() -> list[str]:
    """Every example of forms.tsv and every text of the calendar table (tests/cases/dates_calendar.tsv)."""
    import csv
    from pathlib import Path

    from pipeline.rulebook import RULES_DIR, load_tsv
    from pipeline.stages.dates import FormRow
    texts = [row.example for _, row in load_tsv(RULES_DIR / "dates" / "forms.tsv", FormRow)]
    table = Path(__file__).resolve().parent / "cases" / "dates_calendar.tsv"
    lines = [ln for ln in table.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    texts += [r["text"] for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return texts


FORM_TEXTS = _form_and_calendar_texts()
ANY_ANCHOR = st.one_of(st.none(), st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FORM_TEXTS), min_size=1, max_size=4).map(" ".join), ANY_ANCHOR)
def test_any_form_any_anchor_gives_valid_ordered_edtf(body, published):
    """Any anchor, any form (alone or after others, so that references to the text's last date
    meet every kind of anchor): never raises, values are valid EDTF, intervals are ordered and
    the mention's days lie within its value."""
    from pipeline.stages.dates.edtf import bounds
    for m in find_dates(body, published=published):
        first, last = bounds(m.value)  # raises on an invalid value or an unordered interval
        assert first <= last
        assert m.date_start <= m.date_end
        assert first.isoformat() <= m.date_start and m.date_end <= last.isoformat(), m


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FORM_TEXTS), st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)))
def test_relative_forms_move_with_their_anchor(body, published):
    """A form's values are a function of its anchor: the same text at the same anchor gives the same
    values, and no value needs more than the anchor (nothing is skipped when one is given)."""
    skipped: list[str] = []
    first = [m.value for m in find_dates(body, published=published, skipped=skipped)]
    assert [m.value for m in find_dates(body, published=published)] == first
    assert skipped == []


@settings(max_examples=300, deadline=None)
@given(st.integers(1583, 4099))
def test_easter_is_computed_and_feasts_fall_on_their_weekdays(year):
    """Easter by the anonymous Gregorian algorithm agrees with dateutil's; the feasts counted from it
    fall on their weekdays (Ascension a Thursday, Pentecost a Sunday, Mardi gras a Tuesday)."""
    from dateutil.easter import easter as dateutil_easter

    from pipeline.stages.dates.edtf import easter, holiday
    e = easter(year)
    assert e == dateutil_easter(year) and e.weekday() == 6 and (3, 22) <= (e.month, e.day) <= (4, 25)
    assert holiday(year, "easter+39").start.weekday() == 3
    assert holiday(year, "easter+49").start.weekday() == 6
    assert holiday(year, "easter-47").start.weekday() == 1


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 99), st.one_of(st.none(), st.dates(min_value=date(1901, 1, 1), max_value=date(2098, 12, 31))))
def test_two_digit_years_land_within_a_century_up_to_a_year_after_publication(yy, published):
    from pipeline.stages.dates.edtf import two_digit_year
    y = two_digit_year(yy, published, 30)
    assert y % 100 == yy
    if published is not None:
        assert published.year - 99 + 1 <= y <= published.year + 1
