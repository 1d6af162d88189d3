"""Handlers of the relative forms: bare weekdays, "hier" / "il y a" / "la semaine prochaine",
references to the text's last date ("la veille", "deux jours plus tard"), holidays and named dates,
and the composite relatives ("jeudi de la semaine prochaine", "vendredi en quinze", weekends).
See :mod:`pipeline.stages.dates.handlers` for the registry.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from pipeline.stages.dates import edtf
from pipeline.stages.dates.context import (
    Ctx,
    day_num,
    occurrence,
    occurrence_of,
    opt_group,
    rel_direction,
    weekday_near,
    yearless,
)
from pipeline.stages.dates.edtf import Reject, Span
from pipeline.stages.dates.rows import loose_key
from pipeline.stages.dates.rows import surface_key as key

#: Words before a bare weekday that make it habitual or part of a range ("tous les lundis",
#: "du lundi au vendredi", "le lundi, le marché...", "depuis le premier samedi" of a movement:
#: an ordinal without its month), not a reference to one day.
_BARE_WD_BEFORE = re.compile(r"(?i:\b(?:du|au|les|le|chaque|tous|des|et|ou|un|une|jusqu'au|jusqu’au"
                             r"|premier|premi[eè]re"
                             r"|deuxi[eè]me|second|troisi[eè]me|quatri[eè]me|cinqui[eè]me|dernier|derni[eè]re)\s+)$")
_BARE_WD_AFTER = re.compile(r"(?i:\s+(?:au|et|ou)\b)")


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
    return weekday_near(p, w, direction)


def weekday_rel(m: re.Match, ctx: Ctx) -> Span:
    w = ctx.rules.weekdays[key(m["wd"])]
    if not m["ce"] and not opt_group(m, "rel"):
        return edtf.one_day(_bare_weekday(m, ctx, w))
    p = ctx.pub()
    if opt_group(m, "rel") and key(opt_group(m, "rel")).startswith("prochain"):
        dt = p + timedelta(days=((w - p.weekday()) % 7) or 7)
    elif opt_group(m, "rel"):
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


#: "ce soir-là", "cette semaine là": the time of the narrative, not of the publication
_THAT = re.compile(r"[^\S\n]*(?:[-‐‑][^\S\n]*l[àa]|là)(?!\w)")  # not "hier la cérémonie"


#: "encore aujourd'hui", "aujourd'hui encore", "toujours aujourd'hui": nowadays, not the day
_STILL_BEFORE = re.compile(r"(?i:\b(?:encore|toujours)[^\S\n]+)$")
_STILL_AFTER = re.compile(r"(?i:[^\S\n]+encore\b)")


def relative(m: re.Match, ctx: Ctx) -> Span:
    if _THAT.match(m.string, m.end("rel_word")):
        raise Reject("'-là': the text's time, not the publication's")
    row = ctx.rules.relative[key(m["rel_word"])]
    if key(m["rel_word"]).startswith("aujourd") and (
            _STILL_BEFORE.search(m.string, max(0, m.start() - 12), m.start())
            or _STILL_AFTER.match(m.string, m.end("rel_word"))):
        raise Reject("'encore aujourd'hui': nowadays")
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
    if opt_group(m, "h"):
        ref = _holiday_day(m, ctx)
    elif opt_group(m, "event"):  # "à la veille de l'élection": from an event, not a date
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
    if of and key(of.group(1)) not in _DAY_WORDS and not opt_group(m, "y") and "anc" not in m.re.groupindex \
            and not m["h"][0].isdigit():  # "le défilé du 14-Juillet" is the day
        raise Reject("named after the holiday")
    if m.re.groupindex.get("y") and m["y"]:
        return edtf.holiday(int(m["y"]), rule).start
    nxt = m.string[m.end("h"):m.end("h") + 2]
    if len(nxt) == 2 and nxt[0] == " " and nxt[1].isupper() and not opt_group(m, "y"):
        raise Reject("a first name")
    low = m.string[max(0, m.start("h") - 10):m.start("h")].lower()
    if re.search(r"[îi]le\s+de\s*$", low):  # "l'île de Pâques"
        raise Reject("a place")
    return occurrence(ctx.pub(), lambda y: edtf.holiday(y, rule).start,
                      rel_direction(opt_group(m, "rel")) or ctx.tense(m))


def day_alone(m: re.Match, ctx: Ctx) -> Span:
    """"La deuxième nuit, le 12, ...": a day of the month alone is a day of the month of the text's
    last date (a day or a month); before any date of the text, of the publication month."""
    a = ctx.anchor
    if a is None:
        p = ctx.pub()
        return edtf.day(p.year, p.month, day_num(m["d"], ctx))
    if (a.end - a.start).days > 31 or (a.start.year, a.start.month) != (a.end.year, a.end.month):
        raise Reject("no month to take the day from")
    ctx.used["anchor"] = f"text {ctx.anchor_text!r} = {a.value}"
    return edtf.day(a.start.year, a.start.month, day_num(m["d"], ctx))


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
    direction = rel_direction(opt_group(m, "rel")) or ctx.tense(m)
    best = occurrence_of(p, cands, direction)
    return edtf.one_day(best)



def month_end_day(m: re.Match, ctx: Ctx) -> Span:
    """"le dernier jour d'octobre 2015", "le premier jour du mois prochain"."""
    first = key(m["ord"]).startswith("premi")
    if opt_group(m, "m"):
        mo = ctx.month(m["m"])
        y = int(m["y"]) if opt_group(m, "y") else yearless(ctx, mo, None, None, m)
    else:
        p = ctx.pub()
        k = {"past": -1, "future": 1}.get(rel_direction(opt_group(m, "which")) or "", 0)
        y, mo = edtf.add_months(p.year, p.month, k)
    return edtf.day(y, mo, 1 if first else edtf.last_day(y, mo))


def weekday_week(m: re.Match, ctx: Ctx) -> Span:
    """"jeudi de la semaine prochaine", "samedi de la semaine dernière", "lundi de cette semaine"."""
    w = ctx.rules.weekdays[key(m["wd"])]
    p = ctx.pub()
    k = {"past": -1, "future": 1}.get(rel_direction(m["which"]) or "", 0)
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
        k = {"past": -1, "future": 1}.get(rel_direction(m["which"]) or "", 0)
        y, mo = edtf.add_months(p.year, p.month, k)
    if n == -1:
        last = date(y, mo, edtf.last_day(y, mo))
        return edtf.one_day(last - timedelta(days=(last.weekday() - w) % 7))
    first = date(y, mo, 1) + timedelta(days=(w - date(y, mo, 1).weekday()) % 7)
    return edtf.day(y, mo, first.day + 7 * (n - 1))


def part_month_rel(m: re.Match, ctx: Ctx) -> Span:
    """"en fin de mois", "début du mois prochain", "à la mi-mois": GUIDE gives the month."""
    p = ctx.pub()
    k = {"past": -1, "future": 1}.get(rel_direction(opt_group(m, "rel")) or "", 0)
    y, mo = edtf.add_months(p.year, p.month, k)
    return edtf.part_month(y, mo, ctx.rules.parts[key(m["part"])])


def weekend(m: re.Match, ctx: Ctx) -> Span:
    """"ce week-end", "le week-end dernier / prochain": Saturday-Sunday; "ce week-end" is the one the
    tense points to (past: the last one begun, future: the next one not over, else this week's)."""
    if not opt_group(m, "rel") and key(m["det"]) != "ce":
        raise Reject("'le week-end': habitual")
    p = ctx.pub()
    sat_this = p - timedelta(days=p.weekday()) + timedelta(days=5)
    direction = rel_direction(opt_group(m, "rel")) or ctx.tense(m)
    if opt_group(m, "rel"):  # "le week-end dernier": the last one over; "prochain": the next one not begun
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
    return edtf.one_day(weekday_near(p, w1, ctx.tense(m)))


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
