"""Handlers: a regex match of a date form -> its EDTF :class:`~pipeline.stages.dates.edtf.Span`.

Each row of ``forms.tsv`` names its handler in :data:`HANDLERS` (a new form that reads like an
existing one reuses its handler; one that does not adds a function here).  A handler reads the
match's named groups, raises :class:`~pipeline.stages.dates.edtf.Reject` when the text is not a
date after all, and asks :meth:`Ctx.pub` for the publication date when the form is relative
(which raises :class:`~pipeline.stages.dates.edtf.NeedsPublished` without one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pipeline.stages.dates import edtf
from pipeline.stages.dates.edtf import NeedsPublished, Reject, Span
from pipeline.stages.dates.rows import loose_key
from pipeline.stages.dates.rows import surface_key as key
from pipeline.stages.dates.tense import Tense, clause_tense

if TYPE_CHECKING:
    from pipeline.stages.dates import Settings
    from pipeline.stages.dates.rules import DateRules


class Ctx:
    """What a handler may use besides its match: the rules, the publication date, the settings,
    the last date of the text before the match (``anchor``), and what the handler used (``used``:
    the anchor and the tense cue, shown by ``frnews explain``)."""

    __slots__ = ("rules", "published", "settings", "anchor", "anchor_text", "used", "weekdays_seen")

    def __init__(self, rules: DateRules, published: date | None, settings: Settings):
        self.rules = rules
        self.published = published
        self.settings = settings
        self.anchor: Span | None = None
        self.anchor_text: str | None = None
        self.used: dict[str, str] = {}
        #: weekday -> (day, text) of the single days the text named so far ("samedi 21 mai")
        self.weekdays_seen: dict[int, tuple[date, str]] = {}

    def pub(self) -> date:
        if self.published is None:
            raise NeedsPublished()
        self.used.setdefault("anchor", f"published {self.published.isoformat()}")
        return self.published

    def month(self, text: str) -> int:
        return self.rules.months[key(text)]

    def tense(self, m: re.Match, start: int | None = None, end: int | None = None) -> str | None:
        """"past", "future" or ``None``: the tense cue nearest to the match in its sentence."""
        s = self.settings
        t: Tense | None = clause_tense(m.string, m.start() if start is None else start,
                                       m.end() if end is None else end, self.rules.tense,
                                       s.weekday_clause_before, s.weekday_clause_after)
        if t is None:
            self.used["tense"] = "none"
            return None
        self.used["tense"] = f"{t.direction} ({t.cue!r})"
        return t.direction

    def anchor_day(self, unit: str) -> date:
        """The day of the last date of the text (its first day), else the publication date.
        An anchor coarser than ``unit`` ("le lendemain" after "en juillet 1992") gives no value."""
        if self.anchor is not None:
            if _SPAN_DAYS[unit] < (self.anchor.end - self.anchor.start).days + 1:
                raise Reject("anchor coarser than the reference")
            self.used["anchor"] = f"text {self.anchor_text!r} = {self.anchor.value}"
            return self.anchor.start
        return self.pub()


#: the most days a date may span to anchor a reference of each unit ("le lendemain" needs a day)
_SPAN_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}


def occurrence(ref: date, make: Callable[[int], date], direction: str | None) -> date:
    """The occurrence of a yearly day (``make(year)``) that ``direction`` points to from ``ref``:
    the last one on or before it (past), the next one on or after it (future), else the nearest."""
    cands = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cands.append(make(y))
        except (ValueError, Reject):
            continue
    if not cands:
        raise Reject("no such day")
    if direction == "past":
        before = [c for c in cands if c <= ref]
        if before:
            return max(before)
    elif direction == "future":
        after = [c for c in cands if c >= ref]
        if after:
            return min(after)
    return min(cands, key=lambda c: (abs((c - ref).days), c < ref))


def day_num(text: str, ctx: Ctx | None = None) -> int:
    """"1er", "1re", "1ᵉʳ" -> 1; "07" -> 7; "douze", "premier" -> 12, 1 (``numbers.tsv``)."""
    t = text.lower()
    if t.startswith("1") and not t[1:2].isdigit():
        return 1
    if t.isdigit():
        return int(t)
    if ctx is None:
        raise ValueError(text)
    return ctx.rules.numbers[key(" ".join(t.replace("-", " ").split()))] if " " in t or "-" in t \
        else ctx.rules.numbers[key(t)]


def _g(m: re.Match, name: str) -> str | None:
    """Group ``name`` of the match, ``None`` when the form's pattern has no such group."""
    return m.group(name) if name in m.re.groupindex else None


def _rel_direction(rel: str | None) -> str | None:
    if not rel:
        return None
    r = key(rel)
    return "past" if r.startswith(("dernier", "derniere", "pass")) else "future" if r.startswith("prochain") \
        else None


def yearless(ctx: Ctx, m: int, d: int | None, rel: str | None, match: re.Match | None = None) -> int:
    """Year of a month (or day) written without one: the last / next occurrence with
    "dernier" / "prochain", else the one the clause's tense points to (past: on or before the
    publication date, future: on or after it), else the nearest to the publication date."""
    p = ctx.pub()
    direction = _rel_direction(rel)
    if direction is None and match is not None:
        direction = ctx.tense(match)
    if d is None:  # a month: compare months ("en mars" published in March is this March)
        ref = date(p.year, p.month, 1)
        return occurrence(ref, lambda y: date(y, m, 1), direction).year
    return occurrence(p, lambda y: date(y, m, d), direction).year


def day_range(m: re.Match, ctx: Ctx) -> Span:
    m2 = ctx.month(m["m2"])
    d1, d2 = day_num(m["d1"], ctx), day_num(m["d2"], ctx)
    if m.re.groupindex.get("m1") and m["m1"]:
        m1 = ctx.month(m["m1"])
    else:
        m1 = m2
    if m["y2"]:
        y2 = int(m["y2"])
    else:
        y2 = yearless(ctx, m2, d2, _g(m, "rel"), m)
        y2 = _weekday_year(m, ctx, m.start("d2"), y2, m2, d2)
    y1 = int(m["y1"]) if m.re.groupindex.get("y1") and m["y1"] else (y2 - 1 if (m1, d1) > (m2, d2) else y2)
    if m1 == m2 and y1 == y2 and d1 >= d2:
        raise Reject("days not increasing")
    return edtf.interval(edtf.day(y1, m1, d1), edtf.day(y2, m2, d2))


_WEEKDAY_BEFORE = re.compile(r"([^\W\d_]+)[^\S\n]+$")


def _weekday_year(m: re.Match, ctx: Ctx, pos: int, y: int, mo: int, d: int) -> int:
    """A day written with its weekday ("le lundi 30 octobre"): the year near ``y`` where it fits."""
    wm = _WEEKDAY_BEFORE.search(m.string, max(0, pos - 12), pos)
    w = ctx.rules.weekdays.get(key(wm.group(1))) if wm else None
    if w is None:
        return y
    for cand in (y, y - 1, y + 1):
        try:
            if date(cand, mo, d).weekday() == w:
                return cand
        except ValueError:
            continue
    return y


def month_range(m: re.Match, ctx: Ctx) -> Span:
    m1, m2 = ctx.month(m["m1"]), ctx.month(m["m2"])
    y2 = int(m["y2"]) if m["y2"] else yearless(ctx, m2, None, None, m)
    y1 = int(m["y1"]) if m["y1"] else (y2 - 1 if m1 > m2 else y2)
    if (y1, m1) >= (y2, m2):
        raise Reject("months not increasing")
    return edtf.interval(edtf.month(y1, m1), edtf.month(y2, m2))


def year_range(m: re.Match, ctx: Ctx) -> Span:
    conn = key(m["conn"])
    pre = key(m["pre"]) if m["pre"] else ""
    if conn in ("et",) and pre != "entre":
        raise Reject("'et' without 'entre'")
    if conn in ("a", "au", "jusqu'en", "jusqu' en") and pre not in ("de", "depuis"):
        raise Reject("'à' without 'de'")
    y1 = int(m["y1"])
    if m["y2"]:
        y2 = int(m["y2"])
    else:
        if conn not in ("", "/") and m["conn"].strip() not in "-–":
            raise Reject("short year after a word")
        y2 = y1 // 100 * 100 + int(m["yy"])
    if not y1 < y2 <= y1 + ctx.settings.year_range_max:
        raise Reject("years not increasing")
    return edtf.interval(edtf.year(y1), edtf.year(y2))


def day_(m: re.Match, ctx: Ctx) -> Span:
    mo = ctx.month(m["m"])
    d = day_num(m["d"], ctx)
    if m["y"]:
        return edtf.day(int(m["y"]), mo, d)
    y = yearless(ctx, mo, d, _g(m, "rel"), m)
    if _g(m, "wd"):  # "mardi 17 février": the year (around the published one) where the weekday fits
        w = ctx.rules.weekdays[key(m["wd"])]
        for cand in (y, y + 1, y - 1):
            try:
                if date(cand, mo, d).weekday() == w:
                    return edtf.day(cand, mo, d)
            except ValueError:
                continue
    return edtf.day(y, mo, d)


def day_mdy(m: re.Match, ctx: Ctx) -> Span:
    return edtf.day(int(m["y"]), ctx.month(m["m"]), int(m["d"]))


def numeric(m: re.Match, ctx: Ctx) -> Span:
    return edtf.day(int(m["y"]), int(m["mo"]), int(m["d"]))


def part_year(m: re.Match, ctx: Ctx) -> Span:
    return edtf.part_year(int(m["y"]), ctx.rules.parts[key(m["part"])])


def part_year_rel(m: re.Match, ctx: Ctx) -> Span:
    if re.search(r"(?i:\bde|\bd['’])[^\S\n]*$", m.string[max(0, m.start() - 4):m.start()]):
        raise Reject("'les fêtes de fin d'année': a time of the year")
    y = ctx.pub().year
    rel = key(_g(m, "rel") or "")
    if rel.startswith(("dernier", "derniere", "pass")):
        y -= 1
    elif rel.startswith("prochain"):
        y += 1
    return edtf.part_year(y, ctx.rules.parts[key(m["part"])])


def part_month(m: re.Match, ctx: Ctx) -> Span:
    mo = ctx.month(m["m"])
    y = int(m["y"]) if m["y"] else yearless(ctx, mo, None, _g(m, "rel"), m)
    return edtf.part_month(y, mo, ctx.rules.parts[key(m["part"])])


def season(m: re.Match, ctx: Ctx) -> Span:
    row = ctx.rules.seasons[key(m["s"])]
    det = key(m["det"])
    if m["y"]:
        return edtf.season(int(m["y"]), row)
    if _g(m, "rel"):
        p = ctx.pub()
        # the last (next) occurrence of the season that is over (not started) at publication
        y = p.year
        cand = edtf.season(y, row)
        if key(_g(m, "rel")).startswith("prochain"):
            while cand.start <= p:
                y += 1
                cand = edtf.season(y, row)
        else:
            while cand.end >= p:
                y -= 1
                cand = edtf.season(y, row)
        return cand
    if det in ("cet", "ce"):
        p = ctx.pub()
        y = p.year - 1 if row.start_month > row.end_month and p.month <= row.end_month else p.year
        cand = edtf.season(y, row)
        direction = ctx.tense(m)
        if direction == "past" and cand.start > p:
            cand = edtf.season(y - 1, row)
        elif direction == "future" and cand.end < p:
            cand = edtf.season(y + 1, row)
        return cand
    # "au printemps, les travaux reprendront": the season the tense points to; in the present
    # ("en hiver, il fait froid") a season of every year, not a date
    if loose_key(m["det"]) not in ("au", "en", "a l", "l"):  # "les soldes d'hiver": named after it
        raise Reject("season without year")
    direction = ctx.tense(m)
    if direction is None:
        raise Reject("season without year or tense")
    p = ctx.pub()
    cands = [edtf.season(y, row) for y in (p.year - 2, p.year - 1, p.year, p.year + 1)]
    if direction == "past":
        return max((c for c in cands if c.start <= p), key=lambda c: c.start)
    return min((c for c in cands if c.end >= p), key=lambda c: c.start)


def period(m: re.Match, ctx: Ctx) -> Span:
    y = int(m["y"])
    if m["code"]:
        row = ctx.rules.periods[key(m["code"])]
        return edtf.period(y, row.unit, row.n or 1)
    row = ctx.rules.periods[key(m["unit"])]
    return edtf.period(y, row.unit, ctx.rules.ordinals[key(m["ord"])])


def month_year(m: re.Match, ctx: Ctx) -> Span:
    return edtf.month(int(m["y"]), ctx.month(m["m"]))


def month_cued(m: re.Match, ctx: Ctx) -> Span:
    if not m["m"][0].islower():  # "en Mars" (the planet): months are written in lower case
        raise Reject("capitalised month without year")
    _not_abbreviation(m, "m")
    mo = ctx.month(m["m"])
    return edtf.month(yearless(ctx, mo, None, _g(m, "rel"), m), mo)


def _not_abbreviation(m: re.Match, group: str) -> None:
    """"des sept matches": a month abbreviation without its dot and without a day or a year is a word."""
    t = m[group]
    if key(t) in _ABBREVIATIONS and not m.string.startswith(".", m.end(group)):
        raise Reject("abbreviation without a day or year")


_ABBREVIATIONS = frozenset({"janv", "fevr", "fev", "avr", "juil", "sept", "oct", "nov", "dec", "jan", "feb",
                            "aug"})


def month_bare(m: re.Match, ctx: Ctx) -> Span:
    """A month on its own ("la rentrée de septembre"): written in lower case, never an abbreviation;
    its year is the one the clause's tense points to."""
    if not m["m"][0].islower() or key(m["m"]) in _ABBREVIATIONS:
        raise Reject("not a month")
    mo = ctx.month(m["m"])
    return edtf.month(yearless(ctx, mo, None, _g(m, "rel"), m), mo)


def _decade_year(dec: str, ctx: Ctx) -> int:
    pivot = ctx.settings.decade_pivot
    return int(dec) if len(dec) == 4 else (1900 + int(dec) if int(dec) >= pivot else 2000 + int(dec))


def decade(m: re.Match, ctx: Ctx) -> Span:
    y = _decade_year(m["dec"], ctx)
    if m.re.groupindex.get("part") and m["part"]:
        return edtf.part_decade(y, ctx.rules.parts[key(m["part"])])
    return edtf.decade(y)


def decade_range(m: re.Match, ctx: Ctx) -> Span:
    """"les années 1920-1950": from the first decade to the last."""
    y1 = _decade_year(m["dec"], ctx)
    y2 = _decade_year(m["dec2"], ctx) if len(m["dec2"]) != 2 or len(m["dec"]) != 4 else y1 // 100 * 100 + int(m["dec2"])
    if y2 <= y1:
        raise Reject("decades not increasing")
    return edtf.interval(edtf.decade(y1), edtf.decade(y2))


def part_year_range(m: re.Match, ctx: Ctx) -> Span:
    """"de début 2004 à fin 2007": GUIDE gives the years."""
    y1, y2 = int(m["y1"]), int(m["y2"])
    if not y1 < y2 <= y1 + ctx.settings.year_range_max:
        raise Reject("years not increasing")
    return edtf.interval(edtf.year(y1), edtf.year(y2))


_ROMAN = {"I": 1, "V": 5, "X": 10}


def century(m: re.Match, ctx: Ctx) -> Span:
    if m["c"].isdigit():  # "21e siècle"
        n = int(m["c"])
    else:
        digits = [_ROMAN[c] for c in m["c"]]
        n = sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))
    if not 10 <= n <= 21:
        raise Reject("century out of range")
    return edtf.century(n)


def year_cued(m: re.Match, ctx: Ctx) -> Span:
    return edtf.year(int(m["y"]))


#: Words before a bare weekday that make it habitual or part of a range ("tous les lundis",
#: "du lundi au vendredi", "le lundi, le marché..."), not a reference to one day.
_BARE_WD_BEFORE = re.compile(r"(?i:\b(?:du|au|les|le|chaque|tous|des|et|ou|un|une|jusqu'au|jusqu’au)\s+)$")
_BARE_WD_AFTER = re.compile(r"(?i:\s+(?:au|et|ou)\b)")
def _weekday_near(p: date, w: int, direction: str | None) -> date:
    """The weekday ``w`` nearest to ``p`` in ``direction``: forwards for the future (the same
    day included), else backwards (the news convention for a bare weekday)."""
    if direction == "future":
        return p + timedelta(days=(w - p.weekday()) % 7)
    return p - timedelta(days=(p.weekday() - w) % 7)


def _bare_weekday(m: re.Match, ctx: Ctx, w: int, start: int | None = None, end: int | None = None) -> date:
    """A weekday on its own ("a signé lundi"): the nearest such day, backwards for a past event,
    forwards when the clause is in the future ("se tiendra jeudi")."""
    s = ctx.settings
    text = m.string
    start = m.start() if start is None else start
    end = m.end() if end is None else end
    if _BARE_WD_BEFORE.search(text[max(0, start - s.weekday_habit_before):start]) or \
            _BARE_WD_AFTER.match(text, end):
        raise Reject("habitual weekday or weekday range")
    p = ctx.pub()
    direction = ctx.tense(m, start, end)
    seen = ctx.weekdays_seen.get(w)
    if direction is None and seen is not None and abs((seen[0] - p).days) <= 7:
        # the text named this day before ("samedi 21 mai ... samedi, les joueurs ..."): the same day
        ctx.used["anchor"] = f"text {seen[1]!r} = {seen[0].isoformat()} (same weekday)"
        return seen[0]
    return _weekday_near(p, w, direction)


def weekday_rel(m: re.Match, ctx: Ctx) -> Span:
    w = ctx.rules.weekdays[key(m["wd"])]
    if not m["ce"] and not _g(m, "rel"):
        return edtf.one_day(_bare_weekday(m, ctx, w))
    p = ctx.pub()
    if _g(m, "rel") and key(_g(m, "rel")).startswith("prochain"):
        dt = p + timedelta(days=((w - p.weekday()) % 7) or 7)
    elif _g(m, "rel"):
        dt = p - timedelta(days=((p.weekday() - w) % 7) or 7)
    else:
        dt = p - timedelta(days=p.weekday()) + timedelta(days=w)
    return edtf.one_day(dt)


def ago(m: re.Match, ctx: Ctx) -> Span:
    n_text = key(m["n"])
    n = int(n_text) if n_text.isdigit() else ctx.rules.numbers[n_text]
    sign = -1 if key(m["dir"]).startswith("il") else 1  # "dans", "d'ici": forward
    unit = key(m["u"])
    p = ctx.pub()
    if unit.startswith("jour"):
        return edtf.one_day(p + timedelta(days=sign * n))
    if unit.startswith("semaine"):  # "il y a une semaine": the day (TimeML, HeidelTime)
        return edtf.one_day(p + timedelta(days=sign * 7 * n))
    if unit == "mois":
        return edtf.month(*edtf.add_months(p.year, p.month, sign * n))
    return edtf.year(p.year + sign * n)


def relative(m: re.Match, ctx: Ctx) -> Span:
    row = ctx.rules.relative[key(m["rel_word"])]
    p = ctx.pub()
    offset = row.offset
    if row.offset_future is not None and ctx.tense(m) == "future":
        offset = row.offset_future
    if row.unit == "day":
        return edtf.one_day(p + timedelta(days=offset))
    if row.unit == "week":
        return edtf.week(p - timedelta(days=p.weekday()) + timedelta(weeks=offset))
    if row.unit == "month":
        return edtf.month(*edtf.add_months(p.year, p.month, offset))
    return edtf.year(p.year + offset)


# --------------------------------------------------------------------------- anchored to the text


def anchored(m: re.Match, ctx: Ctx) -> Span:
    """"la veille", "le lendemain", "l'année suivante": from the last date of the text (its first
    day), else from the publication date.  "au lendemain de Noël" reads from the holiday."""
    row = ctx.rules.anchored[loose_key(m["anc"])]
    if _g(m, "h"):
        ref = _holiday_day(m, ctx)
    elif _g(m, "event"):  # "à la veille de l'élection": from an event, not a date
        raise Reject("relative to an event")
    elif row.text_only and ctx.anchor is None:
        raise Reject("no earlier date in the text")
    else:
        ref = ctx.anchor_day(row.unit)
    return edtf.granular(edtf.shift(ref, row.unit, row.offset), row.unit)


_UNITS = {"jour": "day", "jours": "day", "semaine": "week", "semaines": "week", "mois": "month",
          "an": "year", "ans": "year", "annee": "year", "annees": "year"}


def _count(text: str, ctx: Ctx) -> int:
    t = key(text)
    return int(t) if t.isdigit() else ctx.rules.numbers[t]


def anchored_n(m: re.Match, ctx: Ctx) -> Span:
    """"deux jours plus tard", "trois semaines auparavant", "un an après": from the last date of the
    text.  Days and weeks give the day, months the month, years the year."""
    n = _count(m["n"], ctx)
    unit = _UNITS[key(m["u"])]
    sign = -1 if " ".join(key(m["dir"]).split()) in ("auparavant", "avant", "plus tot") else 1
    ref = ctx.anchor_day(unit)
    shifted = edtf.shift(ref, unit, sign * n)
    return edtf.granular(shifted, "day" if unit == "week" else unit)


def span_n(m: re.Match, ctx: Ctx) -> Span:
    """"les cinq prochaines années", "les 3 derniers jours": the ``n`` whole units after (before)
    the publication date's unit."""
    n = _count(m["n"], ctx)
    unit = _UNITS[key(m["u"])]
    if not 1 <= n <= 100:
        raise Reject("count")
    p = ctx.pub()
    if key(m["which"]).startswith("prochain"):
        a, b = edtf.shift(p, unit, 1), edtf.shift(p, unit, n)
    else:
        a, b = edtf.shift(p, unit, -n), edtf.shift(p, unit, -1)
    if unit == "week":  # whole weeks, Monday to Sunday, as days
        a, b = a - timedelta(days=a.weekday()), b + timedelta(days=6 - b.weekday())
        unit = "day"
    return edtf.interval(edtf.granular(a, unit), edtf.granular(b, unit))


# --------------------------------------------------------------------------- holidays, history


#: "le marché de Noël", "les vacances de Pâques": a thing named after the holiday, not its day;
#: kept after these words ("la fête de Pentecôte", "le week-end de Pâques", "au lendemain de Noël")
_OF_HOLIDAY = re.compile(r"([^\W\d_]+)[^\S\n]+de[^\S\n]+(?:la[^\S\n]+|l['’])?$")
_DAY_WORDS = frozenset({"fete", "fetes", "jour", "veille", "lendemain", "week-end", "weekend", "lundi", "mardi",
                        "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "nuit", "soir", "matin",
                        "soiree", "date", "journee"})


def _holiday_day(m: re.Match, ctx: Ctx) -> date:
    rule, cased = ctx.rules.holidays[loose_key(m["h"])]
    if cased and not m["h"][0].isupper() and not m["h"][0].isdigit():
        raise Reject("a common word in lower case ('l'ascension du col')")
    of = _OF_HOLIDAY.search(m.string, max(0, m.start("h") - 30), m.start("h"))
    if of and key(of.group(1)) not in _DAY_WORDS and not _g(m, "y") and "anc" not in m.re.groupindex \
            and not m["h"][0].isdigit():  # "le défilé du 14-Juillet" is the day
        raise Reject("named after the holiday")
    if m.re.groupindex.get("y") and m["y"]:
        return edtf.holiday(int(m["y"]), rule).start
    nxt = m.string[m.end("h"):m.end("h") + 2]
    if len(nxt) == 2 and nxt[0] == " " and nxt[1].isupper() and not _g(m, "y"):
        raise Reject("a first name")
    low = m.string[max(0, m.start("h") - 10):m.start("h")].lower()
    if re.search(r"[îi]le\s+de\s*$", low):  # "l'île de Pâques"
        raise Reject("a place")
    return occurrence(ctx.pub(), lambda y: edtf.holiday(y, rule).start,
                      _rel_direction(_g(m, "rel")) or ctx.tense(m))


def holiday(m: re.Match, ctx: Ctx) -> Span:
    """Noël, la Toussaint, Pâques, la Pentecôte...: a fixed day or one counted from Easter (computed)."""
    return edtf.one_day(_holiday_day(m, ctx))


def history(m: re.Match, ctx: Ctx) -> Span:
    """"le 11-Septembre": a date named by its event (``history.tsv``)."""
    v = ctx.rules.history[loose_key(m["hist"])]
    parts = [int(x) for x in v.split("-")]
    if len(parts) == 3:
        return edtf.day(*parts)
    if len(parts) == 2:
        return edtf.month(*parts)
    return edtf.year(parts[0])


# --------------------------------------------------------------------------- numeric forms


def numeric2(m: re.Match, ctx: Ctx) -> Span:
    """"17/03/09", "12.11.87", "23 04 81": day, month and a two-digit year (with dots or spaces,
    two digits each: "1.5.10" is a version)."""
    if m["sep"] != "/" and "-" != m["sep"] and (len(m["d"]) != 2 or len(m["mo"]) != 2):
        raise Reject("one-digit parts")
    y = edtf.two_digit_year(int(m["yy"]), ctx.published, ctx.settings.year2_pivot)
    return edtf.day(y, int(m["mo"]), int(m["d"]))


def numeric_dm(m: re.Match, ctx: Ctx) -> Span:
    """"le 25/11", "02/12 prochain": a day and a month in figures after a cue; the year by tense."""
    mo, d = int(m["mo"]), int(m["d"])
    if not 1 <= mo <= 12:
        raise Reject("month")
    y = yearless(ctx, mo, d, _g(m, "rel"), m)
    return edtf.day(y, mo, d)


def numeric_ym(m: re.Match, ctx: Ctx) -> Span:
    """"2017-4", "2021-10", "2021/10": a year and a month."""
    return edtf.month(int(m["y"]), int(m["mo"]))


def ymd_named(m: re.Match, ctx: Ctx) -> Span:
    """"2021/Oct/05": year, month name, day."""
    return edtf.day(int(m["y"]), ctx.month(m["m"]), int(m["d"]))


# --------------------------------------------------------------------------- composite relatives


def weekday_daynum(m: re.Match, ctx: Ctx) -> Span:
    """"mercredi 13", "ce jeudi 2": a weekday and a day of the month without the month: the day
    near the publication date (within two months, in the clause's direction) where both fit."""
    w = ctx.rules.weekdays[key(m["wd"])]
    d = day_num(m["d"], ctx)
    p = ctx.pub()
    cands = []
    for k in (-2, -1, 0, 1, 2):
        y, mo = edtf.add_months(p.year, p.month, k)
        try:
            c = date(y, mo, d)
        except ValueError:
            continue
        if c.weekday() == w:
            cands.append(c)
    if not cands:
        raise Reject("no month where the weekday and the day fit")
    direction = _rel_direction(_g(m, "rel")) or ctx.tense(m)
    best = occurrence_of(p, cands, direction)
    return edtf.one_day(best)


def occurrence_of(ref: date, cands: list[date], direction: str | None) -> date:
    """Among ``cands``: the last on or before ``ref`` (past), the first on or after it (future),
    else the nearest."""
    if direction == "past" and any(c <= ref for c in cands):
        return max(c for c in cands if c <= ref)
    if direction == "future" and any(c >= ref for c in cands):
        return min(c for c in cands if c >= ref)
    return min(cands, key=lambda c: (abs((c - ref).days), c < ref))


def month_end_day(m: re.Match, ctx: Ctx) -> Span:
    """"le dernier jour d'octobre 2015", "le premier jour du mois prochain"."""
    first = key(m["ord"]).startswith("premi")
    if _g(m, "m"):
        mo = ctx.month(m["m"])
        y = int(m["y"]) if _g(m, "y") else yearless(ctx, mo, None, None, m)
    else:
        p = ctx.pub()
        k = {"past": -1, "future": 1}.get(_rel_direction(_g(m, "which")) or "", 0)
        y, mo = edtf.add_months(p.year, p.month, k)
    return edtf.day(y, mo, 1 if first else edtf.last_day(y, mo))


def weekday_week(m: re.Match, ctx: Ctx) -> Span:
    """"jeudi de la semaine prochaine", "samedi de la semaine dernière", "lundi de cette semaine"."""
    w = ctx.rules.weekdays[key(m["wd"])]
    p = ctx.pub()
    k = {"past": -1, "future": 1}.get(_rel_direction(m["which"]) or "", 0)
    monday = p - timedelta(days=p.weekday()) + timedelta(weeks=k)
    return edtf.one_day(monday + timedelta(days=w))


def weekday_en(m: re.Match, ctx: Ctx) -> Span:
    """"jeudi en huit" (the Thursday after the coming one), "vendredi en quinze" (two weeks on)."""
    w = ctx.rules.weekdays[key(m["wd"])]
    p = ctx.pub()
    coming = p + timedelta(days=((w - p.weekday()) % 7) or 7)
    return edtf.one_day(coming + timedelta(days=7 if key(m["n"]) == "huit" else 14))


def ordinal_weekday(m: re.Match, ctx: Ctx) -> Span:
    """"le deuxième lundi du mois prochain", "le dernier vendredi de mars 2025"."""
    w = ctx.rules.weekdays[key(m["wd"])]
    n = ctx.rules.ordinals[key(m["ord"])]
    if m["m"]:
        mo = ctx.month(m["m"])
        y = int(m["y"]) if m["y"] else yearless(ctx, mo, None, None, m)
    else:
        p = ctx.pub()
        k = {"past": -1, "future": 1}.get(_rel_direction(m["which"]) or "", 0)
        y, mo = edtf.add_months(p.year, p.month, k)
    if n == -1:
        last = date(y, mo, edtf.last_day(y, mo))
        return edtf.one_day(last - timedelta(days=(last.weekday() - w) % 7))
    first = date(y, mo, 1) + timedelta(days=(w - date(y, mo, 1).weekday()) % 7)
    return edtf.day(y, mo, first.day + 7 * (n - 1))


def part_month_rel(m: re.Match, ctx: Ctx) -> Span:
    """"en fin de mois", "début du mois prochain", "à la mi-mois": GUIDE gives the month."""
    p = ctx.pub()
    k = {"past": -1, "future": 1}.get(_rel_direction(_g(m, "rel")) or "", 0)
    y, mo = edtf.add_months(p.year, p.month, k)
    return edtf.part_month(y, mo, ctx.rules.parts[key(m["part"])])


def weekend(m: re.Match, ctx: Ctx) -> Span:
    """"ce week-end", "le week-end dernier / prochain": Saturday-Sunday; "ce week-end" is the one the
    tense points to (past: the last one begun, future: the next one not over, else this week's)."""
    if not _g(m, "rel") and key(m["det"]) != "ce":
        raise Reject("'le week-end': habitual")
    p = ctx.pub()
    sat_this = p - timedelta(days=p.weekday()) + timedelta(days=5)
    direction = _rel_direction(_g(m, "rel")) or ctx.tense(m)
    if _g(m, "rel"):  # "le week-end dernier": the last one over; "prochain": the next one not begun
        sat = sat_this - timedelta(weeks=1) if direction == "past" else sat_this + timedelta(weeks=1)
        if direction == "past" and p.weekday() == 6:
            sat = sat_this - timedelta(weeks=1)
        if direction == "future" and p.weekday() < 5:
            sat = sat_this
    elif direction == "past" and p.weekday() < 5:
        sat = sat_this - timedelta(weeks=1)
    else:
        sat = sat_this
    return edtf.interval(edtf.one_day(sat), edtf.one_day(sat + timedelta(days=1)))


def night(m: re.Match, ctx: Ctx) -> Span:
    """"dans la nuit de lundi à mardi": the first day (TimeML and GUIDE)."""
    w1, w2 = ctx.rules.weekdays[key(m["w1"])], ctx.rules.weekdays[key(m["w2"])]
    if (w2 - w1) % 7 != 1:
        raise Reject("not consecutive days")
    p = ctx.pub()
    return edtf.one_day(_weekday_near(p, w1, ctx.tense(m)))


def weekday_pair(m: re.Match, ctx: Ctx) -> Span:
    """"mardi et mercredi": two consecutive days, one interval."""
    w1, w2 = ctx.rules.weekdays[key(m["w1"])], ctx.rules.weekdays[key(m["w2"])]
    if (w2 - w1) % 7 != 1:
        raise Reject("not consecutive days")
    d1 = _bare_weekday(m, ctx, w1, m.start(), m.end())
    return edtf.interval(edtf.one_day(d1), edtf.one_day(d1 + timedelta(days=1)))


def year_paren(m: re.Match, ctx: Ctx) -> Span:
    """"Man on the Moon (2000)": a year alone in brackets (a work's or an event's year)."""
    return edtf.year(int(m["y"]))


#: Handler name (the ``handler`` column of ``forms.tsv``) -> function.
HANDLERS: dict[str, Callable[[re.Match, Ctx], Span]] = {
    "day_range": day_range, "month_range": month_range, "year_range": year_range, "day": day_,
    "day_mdy": day_mdy, "numeric": numeric, "part_year": part_year, "part_year_rel": part_year_rel,
    "part_month": part_month, "season": season, "period": period, "month_year": month_year,
    "month_cued": month_cued, "decade": decade, "century": century, "year_cued": year_cued,
    "weekday_rel": weekday_rel, "ago": ago, "relative": relative, "anchored": anchored,
    "anchored_n": anchored_n, "span_n": span_n, "holiday": holiday, "history": history,
    "numeric2": numeric2, "numeric_dm": numeric_dm, "numeric_ym": numeric_ym, "ymd_named": ymd_named,
    "weekday_week": weekday_week, "weekday_en": weekday_en, "ordinal_weekday": ordinal_weekday,
    "part_month_rel": part_month_rel, "weekend": weekend, "night": night, "weekday_pair": weekday_pair,
    "year_paren": year_paren, "month_bare": month_bare, "decade_range": decade_range,
    "part_year_range": part_year_range, "weekday_daynum": weekday_daynum, "month_end_day": month_end_day,
}

#: Handlers that read the last date of the text (resolved in text order, after the overlaps).
ANCHORED = frozenset({"anchored", "anchored_n"})
#: Handlers whose value may depend on an earlier date of the text (run again in text order).
TEXT_ORDER = frozenset({"weekday_rel"})
