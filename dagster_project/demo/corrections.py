"""Retroactive corrections, as real sources make them, in the deliveries after the cutoff.

At every quarter end D after the cutoff 2025-06-30 the sources correct a little of
the past (a batch); a delivery with extraction date E shows every batch with D <= E.
"Older" below means: ended on or before the last day of the quarter before that of
the previous quarter end (for D = 2025-09-30: on or before 2025-03-31), so known and
closed in every earlier delivery after the cutoff.

* About 0.1 % of the older employment lines: 70 % get another end date (mostly
  1-30 days earlier, never before the line's start; some 1-20 days later), 30 % are
  withdrawn.
* Three older closed custom-work WOPs that no renewal follows get a later end date,
  1-13 days later (a transition job starts 14 days or more after its WOP's end, and
  an earlier end would turn days of the custom-work job into NEC days). The first one
  moves across a year boundary (from late December into January: another cohort year).
* One person, present in all four extracts, is withdrawn from all of them.

A batch depends only on the seed, the world and the batches before it, so every
delivery sees the same corrections whichever deliveries are generated. The record of
a correction (``Corrections.records``) holds the fields as they are written in the
files, raw INSZ included (synthetic data): the old and the new line of a corrected
employment line, the old and new EINDDATUM of a WOP, the INSZ of a withdrawn person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dagster_project.demo import population as pop
from dagster_project.demo import reference as ref
from dagster_project.demo.dates import NULL_DAY, quarter_of, quarter_start, to_iso, year_of
from dagster_project.demo.employment import CUTOFF, line_nace
from dagster_project.demo.future import LINE_KEY, World, line_counts

LINE_RATE = 0.001
P_LINE_WITHDRAWN = 0.3
P_LINE_LATER = 0.15  # of the moved ends
WOPS_PER_BATCH = 3
WITHDRAWN = np.int64(-(10**7))  # line_end of a withdrawn line


@dataclass
class Batch:
    date: int  # the quarter end from which the batch is in every delivery
    line_key: np.ndarray
    line_end: np.ndarray  # WITHDRAWN or the new end
    wop: np.ndarray  # WOP indices (WOP_ID - 1)
    wop_end: np.ndarray
    persons: np.ndarray  # withdrawn persons
    records: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Corrections:
    """All corrections in effect at one extraction date."""

    line_key: np.ndarray  # sorted
    line_end: np.ndarray
    wop: np.ndarray
    wop_end: np.ndarray
    persons: np.ndarray
    records: list[dict[str, Any]]


def batch_dates(extraction_day: int) -> list[int]:
    """The quarter ends after the cutoff up to the extraction date."""
    q = int(quarter_of(np.array([CUTOFF]))[0])
    out = []
    while True:
        q += 1
        d = int(quarter_start(np.array([q + 1]))[0]) - 1
        if d > extraction_day:
            return out
        out.append(d)


def corrections_at(world: World, extraction_day: int) -> Corrections:
    dates = batch_dates(extraction_day)
    cache: list[Batch] = world.batches
    while len(cache) < len(dates):
        previous = cache[-1].date if cache else CUTOFF
        cache.append(_batch(world, len(cache) + 1, dates[len(cache)], previous, cache))
    batches = cache[: len(dates)]
    key = np.concatenate([b.line_key for b in batches] + [np.empty(0, np.int64)])
    end = np.concatenate([b.line_end for b in batches] + [np.empty(0, np.int64)])
    order = np.argsort(key, kind="stable")
    return Corrections(
        line_key=key[order],
        line_end=end[order],
        wop=np.concatenate([b.wop for b in batches] + [np.empty(0, np.int64)]),
        wop_end=np.concatenate([b.wop_end for b in batches] + [np.empty(0, np.int64)]),
        persons=np.concatenate([b.persons for b in batches] + [np.empty(0, np.int64)]),
        records=[r for b in batches for r in b.records],
    )


def _iso(d: int) -> str:
    return "" if d == NULL_DAY else str(to_iso(np.array([d]))[0])


def _nace_text(code: int) -> str:
    return "" if code < 0 else ref.NACE_CATEGORIES[code]


def _batch(w: World, j: int, date: int, previous: int, before: list[Batch]) -> Batch:
    rng = np.random.default_rng([w.seed, 2, j])
    limit = int(quarter_start(quarter_of(np.array([previous])))[0]) - 1
    gone = np.zeros(len(w.insz), dtype=bool)
    for b in before:
        gone[b.persons] = True
    done_lines = np.concatenate([b.line_key for b in before] + [np.empty(0, np.int64)])
    done_wops = np.concatenate([b.wop for b in before] + [np.empty(0, np.int64)])
    date_iso = _iso(date)
    records: list[dict[str, Any]] = []

    # Employment lines.
    q0 = quarter_of(w.s_start)
    n = line_counts(w.s_start, w.s_end, q0, np.full(len(q0), limit))
    n[gone[w.s_person]] = 0
    cum = np.cumsum(n)
    total = int(cum[-1]) if len(cum) else 0
    m = max(1, round(LINE_RATE * total)) if total else 0
    at = np.sort(rng.choice(total, size=m, replace=False)) if m else np.empty(0, np.int64)
    spell = np.searchsorted(cum, at, side="right")
    k = at - (cum - n)[spell]
    key = spell * LINE_KEY + k
    fresh = ~np.isin(key, done_lines)
    spell, k, key = spell[fresh], k[fresh], key[fresh]
    q = q0[spell] + k
    ls = np.maximum(w.s_start[spell], quarter_start(q))
    le = np.minimum(w.s_end[spell], quarter_start(q + 1) - 1)
    odd_key, odd_code = w.odd_lines()
    employer = w.s_employer[spell]
    codes = line_nace(w.nace[employer], w.nace_2025[employer], ls).astype(np.int64)
    pos = np.minimum(np.searchsorted(odd_key, key), max(len(odd_key) - 1, 0))
    hit = (odd_key[pos] == key) if len(odd_key) else np.zeros(len(key), dtype=bool)
    codes[hit] = odd_code[pos[hit]]
    r = rng.random(len(key))
    withdrawn = r < P_LINE_WITHDRAWN
    later = (~withdrawn & (rng.random(len(key)) < P_LINE_LATER)) | (le <= ls)
    earlier_by = 1 + np.floor(rng.random(len(key)) * np.minimum(30, np.maximum(le - ls, 1))).astype(np.int64)
    later_by = rng.integers(1, 21, len(key))
    new_end = np.where(later, le + later_by, le - earlier_by)
    new_end = np.where(withdrawn, WITHDRAWN, new_end)
    for i in range(len(key)):
        old = {
            "INSZ": f"{w.insz[w.s_person[spell[i]]]:011d}",
            "KBO_WERKGEVER": f"{w.kbo[w.s_employer[spell[i]]]:010d}",
            "NACE": _nace_text(int(codes[i])),
            "STARTDATUM": _iso(int(ls[i])),
            "EINDDATUM": _iso(int(le[i])),
        }
        new = None if withdrawn[i] else {**old, "EINDDATUM": _iso(int(new_end[i]))}
        kind = "line_withdrawn" if withdrawn[i] else "line_end_moved"
        records.append({"date": date_iso, "extract": "tewerkstelling", "kind": kind, "old": old, "new": new})

    # WOP end dates: later, never into a renewal or a transition job.
    cand = (
        (w.w_measure == pop.CM)
        & np.isin(w.w_kind, [pop.EXIT, pop.TRANSITION])
        & ~w.w_overdue
        & (w.w_end <= limit)
        & ~gone[w.w_person]
    )
    cand[done_wops] = False
    across = cand & (year_of(w.w_end + 13) > year_of(w.w_end))
    first = rng.choice(np.nonzero(across)[0], size=min(1, int(across.sum())))  # none at a tiny scale
    cand[first] = False
    others = rng.choice(np.nonzero(cand)[0], size=min(WOPS_PER_BATCH - 1, int(cand.sum())), replace=False)
    wops = np.concatenate([first, others])
    jan1 = np.array([np.datetime64(f"{y + 1}-01-01", "D").astype(np.int64) for y in year_of(w.w_end[first])])
    shift = np.concatenate(
        [rng.integers(jan1 - w.w_end[first], 14), rng.integers(1, 14, len(others))]
    ).astype(np.int64)
    wop_end = w.w_end[wops] + shift
    for i, x in enumerate(wops):
        records.append(
            {
                "date": date_iso,
                "extract": "wop",
                "kind": "wop_end_moved",
                "WOP_ID": f"WOP{x + 1:08d}",
                "INSZ": f"{w.insz[w.w_person[x]]:011d}",
                "old_end": _iso(int(w.w_end[x])),
                "new_end": _iso(int(wop_end[i])),
                "across_year": bool(year_of(wop_end[i : i + 1])[0] != year_of(w.w_end[x : x + 1])[0]),
            }
        )

    # One person, known in all four extracts at the previous delivery, withdrawn.
    n_p = len(w.insz)

    def present(person: np.ndarray, start: np.ndarray) -> np.ndarray:
        return np.bincount(person[start <= previous], minlength=n_p) > 0

    ok = (
        present(w.w_person, w.w_start)
        & present(w.s_person, w.s_start)
        & present(w.r_person, w.r_start)
        & present(w.e_person, w.e_datum)
        & ~gone
        & (w.first_seen <= previous)
    )
    ok[w.s_person[spell]] = False
    ok[w.w_person[wops]] = False
    person = rng.choice(np.nonzero(ok)[0], size=min(1, int(ok.sum())))
    for x in person:
        records.append(
            {"date": date_iso, "extract": "all", "kind": "person_withdrawn", "INSZ": f"{w.insz[x]:011d}"}
        )
    return Batch(
        date=date,
        line_key=key.astype(np.int64),
        line_end=new_end.astype(np.int64),
        wop=wops.astype(np.int64),
        wop_end=wop_end,
        persons=person.astype(np.int64),
        records=records,
    )
