"""Time the event clustering (``pipeline.passes.clusters``) at N and 10·N synthetic events.

The synthetic dump models a news stream that grows with time: N events spread over
N / ``--per-day`` days (default 200 events a day), real events each reported 1 to 6
times (dates within two days, overlapping participants, reworded sentences), drawn
from a pool of actors and countries that also grows with the dump (a bigger dump names
more people, not the same few more often), with a few participants named everywhere
(a national government, a capital) to keep the blocks honest.  Times, for each size:

- ``full``: linking every event from scratch (blocks + comparisons + summaries);
- ``incremental``: the last 1 % of the events added to the components of the rest.

The last line is machine-readable::

    n=… full_s=… n10=… full10_s=… ratio=… incremental_s=… incremental10_s=…

``ratio`` is the time for 10·N over the time for N (linear: 10; quadratic: 100).
Usage: ``python benchmarks/clusters.py [--events 10000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.passes.clusters import Ev, Params, link, summarize  # noqa: E402

TYPES = ["AGREE", "CONSULT", "ASSAULT", "ACCUSE", "AID", "PROTEST", "COERCE", "REQUEST"]
WORDS = ("accord signature convention traité frappe bombardement camp armée sommet réunion visite ministre "
         "président aide prêt financement grève manifestation police arrestation tribunal condamnation "
         "ambassadeur sanctions pêche énergie port usine hôpital école route barrage élection parlement "
         "frontière réfugiés otages rebelles négociation cessez-le-feu dette budget").split()


def synthetic(n: int, seed: int = 7, per_day: int = 200) -> list[Ev]:
    rng = random.Random(seed)
    days = max(1, n // per_day)
    n_actors = max(50, n // 20)
    actors = [f"Actor {i}" for i in range(n_actors)]
    countries = [f"C{i:03d}" for i in range(max(20, n // 500))]
    common = ["GOV:FR", "Paris"]
    start = datetime.date(2026, 1, 1).toordinal()
    out: list[Ev] = []
    k = 0
    while len(out) < n:
        etype = rng.choice(TYPES)
        day = start + rng.randrange(days)
        parts = rng.sample(actors, rng.randint(1, 3))
        ctry = rng.sample(countries, rng.randint(0, 2))
        if rng.random() < 0.2:
            parts.append(rng.choice(common))
        words = rng.sample(WORDS, 8)
        for r in range(rng.randint(1, 6)):
            if len(out) >= n:
                break
            sent = " ".join(rng.sample(words, 5) + rng.sample(WORDS, 2))
            acts = tuple(p for p in parts if rng.random() < 0.8) or tuple(parts[:1])
            d = datetime.date.fromordinal(day + rng.randint(0, 2)).isoformat()
            out.append(Ev(f"e{k:07d}-{r}", f"a{k:07d}-{r}", etype, d, acts, tuple(ctry), sent,
                          published=d, site=f"site{rng.randrange(40)}"))
        k += 1
    return out


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def full(events, p):
    comps, _ = link(events, p)
    return summarize(events, comps)


def incremental(events, p):
    cut = len(events) - max(1, len(events) // 100)
    first, _ = link(events[:cut], p)
    roots = {e.event_id: first.find(e.event_id) for e in events[:cut]}

    def go():
        comps, ok = link(events, p, roots=dict(roots), new=range(cut, len(events)))
        assert ok
        return summarize(events, comps)
    return go


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    p = Params()
    res = {}
    for n in (args.events, 10 * args.events):
        evs = synthetic(n)
        t_full = timed(lambda: full(evs, p), args.repeat)
        t_inc = timed(incremental(evs, p), args.repeat)
        ids, rows = full(evs, p)
        multi = sum(1 for r in rows if r[7] > 1)
        print(f"{n:>8,} events: full {t_full:6.2f} s, +1 % incremental {t_inc:6.2f} s, "
              f"{len(rows):,} clusters ({multi:,} across articles)")
        res[n] = (t_full, t_inc)
    n, n10 = args.events, 10 * args.events
    print(f"n={n} full_s={res[n][0]:.3f} n10={n10} full10_s={res[n10][0]:.3f} "
          f"ratio={res[n10][0] / res[n][0]:.2f} incremental_s={res[n][1]:.3f} incremental10_s={res[n10][1]:.3f}")


if __name__ == "__main__":
    main()
