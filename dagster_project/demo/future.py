"""The simulated world as a whole: the calibrated world up to the cutoff, and after it.

The population (population.py, residence.py, evaluations.py) is planned up to the
data cutoff 2025-06-30, calibrated there, and keeps its random streams: the delivery
of 2025-06-30 is written from it as before. This module continues the same world up
to HORIZON with random streams of its own (derived from ``[seed, 1]``):

* careers of renewals go on: a custom-work career still running at the cutoff gets
  its further WOPs (each the day after the previous one ends) up to the day the
  career stops, which population.py already decided;
* an employment spell without a planned end gets one (CUTOFF + an exponential time);
* a custom-work dossier that ends after the cutoff without a renewal is followed by
  a regular job for most of the persons planned to transition after the cutoff and
  for a few others (a new spell some weeks after the end);
* new persons start a custom-work career (a new WOP and spell, a first residence);
* people move (a new residence, the previous one gets its end);
* WOPs that end get their evaluation shortly before the end, a few running ones one
  on request.

Everything is drawn once for the whole horizon, so what a delivery shows does not
depend on how many deliveries are asked for. A delivery at extraction date E shows
what is known at E (see deliveries.py).

Order and keys: WOPs are kept in WOP_ID order (start date, then INSZ; the WOPs of
the cutoff world come first, with the ids they always had), spells and residences in
file order (INSZ, then start), evaluations in EVALUATIE_ID order (those of the
cutoff world first). The line of a spell in quarter q has the key
``spell * LINE_KEY + (q - first quarter of the spell)``; the lines with an odd NACE
code are kept as such keys, so a line keeps its code from one delivery to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dagster_project.demo import population as pop
from dagster_project.demo import reference as ref
from dagster_project.demo.dates import DAYS_PER_YEAR, NULL_DAY, day, quarter_of, uniform_days
from dagster_project.demo.employment import (
    _ODD,
    CUTOFF,
    ODD_NACE_RATE,
    chunk_edges,
    lines_per_spell,
    odd_codes,
)
from dagster_project.demo.evaluations import _OUTCOME_P, EvaluationArrays
from dagster_project.demo.identifiers import make_insz
from dagster_project.demo.residence import Residences, _draw_postal

HORIZON = day("2035-06-30")  # the last extraction date a delivery can have
LINE_KEY = 1 << 12  # more quarters than a spell can have lines
NEW_CAREERS_PER_YEAR = 2_300  # new custom-work careers a year at scale 1
OPEN_JOB_YEARS = 6.0  # mean further duration of a job without a planned end
MOVES_PER_YEAR = 0.05
P_JOB_AFTER = 0.85  # a regular job after the end, for the planned later transitions
P_JOB_AFTER_OTHER = 0.10
P_EXTRA_EVALUATION = 0.03

_PROVINCE_OF_POSTAL = np.full(10_000, ref.BUITEN, dtype=np.int64)
for _p, _codes in enumerate(ref.POSTAL_CODES):
    _PROVINCE_OF_POSTAL[_codes] = _p


@dataclass
class World:
    seed: int
    population: pop.Population
    n_base_persons: int  # the persons of the cutoff world come first
    # persons
    insz: np.ndarray
    first_seen: np.ndarray  # first day of a WOP or a spell: unknown before it
    # WOPs, in WOP_ID order (WOP_ID = index + 1)
    w_person: np.ndarray
    w_employer: np.ndarray
    w_measure: np.ndarray
    w_start: np.ndarray
    w_end: np.ndarray  # the real (planned) end
    w_kind: np.ndarray
    w_overdue: np.ndarray  # open without a known end until it really ends
    # spells, in file order; s_end is the real end (may lie after HORIZON)
    s_base: np.ndarray  # a spell of the cutoff world
    s_person: np.ndarray
    s_employer: np.ndarray
    s_start: np.ndarray
    s_end: np.ndarray
    # residences, in file order; r_end NULL_DAY while current at HORIZON
    r_person: np.ndarray
    r_land: np.ndarray
    r_postal: np.ndarray
    r_start: np.ndarray
    r_end: np.ndarray
    # evaluations, in EVALUATIE_ID order (id = index + 1)
    e_person: np.ndarray
    e_wop: np.ndarray  # index into the WOPs, -1 when not filled in
    e_datum: np.ndarray
    e_trigger: np.ndarray
    e_pop: np.ndarray
    e_outcome: np.ndarray
    _odd: tuple[np.ndarray, np.ndarray] | None = None
    batches: list[Any] = field(default_factory=list, repr=False)  # corrections.py's cache

    @property
    def kbo(self) -> np.ndarray:
        return self.population.employers.kbo

    @property
    def nace(self) -> np.ndarray:
        return self.population.employers.nace

    @property
    def nace_2025(self) -> np.ndarray:
        return self.population.employers.nace_2025

    def odd_lines(self) -> tuple[np.ndarray, np.ndarray]:
        """(sorted line keys, NACE indices) of the lines with an odd NACE code."""
        if self._odd is None:
            self._odd = _odd_lines(self)
        return self._odd


def _concat(*parts) -> np.ndarray:
    return np.concatenate([np.asarray(x, dtype=np.int64) for x in parts])


def _unique_insz(rng: np.random.Generator, birth: np.ndarray, taken: np.ndarray) -> np.ndarray:
    insz = make_insz(rng, birth)
    for _ in range(50):
        _, first = np.unique(insz, return_index=True)
        bad = np.ones(len(insz), dtype=bool)
        bad[first] = False
        bad |= np.isin(insz, taken)
        if not bad.any():
            return insz
        insz[bad] = make_insz(rng, birth[bad])
    raise RuntimeError("could not draw unique INSZ numbers")  # pragma: no cover


def build_world(p: pop.Population, res: Residences, ev: EvaluationArrays, seed: int, scale: float) -> World:
    """The world up to HORIZON: the cutoff world `p`, `res`, `ev` and what follows it."""
    # Streams 0-3 here, 5 for the odd NACE codes of later lines (_odd_lines).
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence([seed, 1]).spawn(6)]
    emp = p.employers
    n_p = len(p.insz)
    years = (HORIZON - CUTOFF) / DAYS_PER_YEAR

    # --- WOPs: the cutoff world's, the renewals of careers going on, new careers.
    rng = rngs[0]
    b_end = p.w_true_end.copy()
    b_kind = p.w_kind.copy()
    going_on = np.nonzero((p.w_stop > p.w_true_end) & (p.w_true_end >= CUTOFF))[0]  # last of a career
    b_kind[going_on] = np.where(b_kind[going_on] == pop.OVERDUE, pop.OVERDUE, pop.RENEWED)
    i, s, e, _ = pop._chain(rng, b_end[going_on] + 1, p.w_stop[going_on], limit=HORIZON)
    c_person = p.w_person[going_on][i]
    c_employer = p.w_employer[going_on][i]
    c_stop = p.w_stop[going_on][i]

    n_new = int(rng.poisson(NEW_CAREERS_PER_YEAR * scale * years))
    n_start = np.sort(uniform_days(rng, CUTOFF + 1, HORIZON, n_new).astype(np.int64))
    n_stop = n_start + np.maximum(180, np.floor(rng.exponential(11.0 * DAYS_PER_YEAR, n_new))).astype(
        np.int64
    )
    n_company = emp.cm[rng.choice(len(emp.cm), size=n_new, p=emp.cm_p)]
    n_person = n_p + np.arange(n_new)
    birth = n_start - np.floor((18 + rng.random(n_new) * 32) * DAYS_PER_YEAR).astype(np.int64)
    new_insz = _unique_insz(rng, birth, p.insz)
    j, ns, ne, _ = pop._chain(rng, n_start, n_stop, limit=HORIZON)

    w_person = _concat(p.w_person, c_person, n_person[j])
    w_employer = _concat(p.w_employer, c_employer, n_company[j])
    w_measure = _concat(p.w_measure, np.full(len(i) + len(j), pop.CM))
    w_start = _concat(p.w_start, s, ns)
    w_end = _concat(b_end, e, ne)
    w_stop = _concat(p.w_stop, c_stop, n_stop[j])
    w_kind = _concat(
        b_kind, np.where(e < c_stop, pop.RENEWED, pop.EXIT), np.where(ne < n_stop[j], pop.RENEWED, pop.EXIT)
    )
    w_overdue = w_kind == pop.OVERDUE

    # --- Spells: the cutoff world's with a real end, the new careers', jobs after an end.
    rng = rngs[1]
    s_end = p.s_true_end.copy()
    open_ended = s_end == NULL_DAY
    s_end[open_ended] = (
        CUTOFF
        + 1
        + np.floor(rng.exponential(OPEN_JOB_YEARS * DAYS_PER_YEAR, int(open_ended.sum()))).astype(np.int64)
    )
    # A custom-work dossier that ends after the cutoff without a renewal.
    ends = np.nonzero((w_measure == pop.CM) & (w_end > CUTOFF) & (w_end <= HORIZON) & (w_end >= w_stop))[0]
    planned = np.isin(w_person[ends], p.future_transition)
    job = rng.random(len(ends)) < np.where(planned, P_JOB_AFTER, P_JOB_AFTER_OTHER)
    j_start = w_end[ends] + 14 + np.minimum(rng.exponential(150, len(ends)), 680).astype(np.int64)
    j_end = np.where(
        rng.random(len(ends)) < 0.55,
        j_start + np.floor(rng.exponential(OPEN_JOB_YEARS * DAYS_PER_YEAR, len(ends))).astype(np.int64),
        j_start + rng.integers(60, 1500, len(ends)),
    )
    j_employer = emp.regular[rng.choice(len(emp.regular), size=len(ends), p=emp.regular_p)]
    job &= j_start <= HORIZON
    w_kind[ends] = np.where(job, pop.TRANSITION, np.where(w_kind[ends] == pop.RETURN, pop.RETURN, pop.EXIT))
    sp_person = _concat(p.s_person, n_person, w_person[ends[job]])
    sp_employer = _concat(p.s_employer, n_company, j_employer[job])
    sp_start = _concat(p.s_start, n_start, j_start[job])
    sp_end = _concat(s_end, n_stop, j_end[job])

    insz = _concat(p.insz, new_insz)
    first_seen = np.full(len(insz), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_seen, sp_person, sp_start)
    np.minimum.at(first_seen, w_person, w_start)

    # Orders: WOP_ID by start then INSZ, spells by INSZ then start (the cutoff world's
    # own orders: its rows keep their places, since everything new starts later).
    w_order = np.lexsort((insz[w_person], w_start))
    w_rank = np.empty(len(w_order), dtype=np.int64)
    w_rank[w_order] = np.arange(len(w_order))
    s_order = np.lexsort((sp_start, insz[sp_person]))

    # --- Residences: a first one for the new persons, then moves.
    rng = rngs[2]
    first_prov = rng.choice(len(ref.PROVINCES), size=n_new, p=ref.PROVINCE_WEIGHTS)
    first_postal = _draw_postal(rng, first_prov)
    first_land = np.where(first_postal == 0, rng.integers(0, len(ref.ABROAD_COUNTRIES), n_new), -1)
    r_person = _concat(res.person, n_person)
    r_start = _concat(res.start, birth)
    r_postal = _concat(res.postal, first_postal)
    r_land = _concat(res.land, first_land)
    r_prov = np.where(r_postal == 0, ref.BUITEN, _PROVINCE_OF_POSTAL[r_postal])
    movers = np.unique(r_person)
    k = rng.poisson(MOVES_PER_YEAR * years, len(movers))
    m_person = np.repeat(movers, k)
    m_day = uniform_days(rng, CUTOFF + 1, HORIZON, len(m_person)).astype(np.int64)
    n_old = len(r_person)
    person = _concat(r_person, m_person)
    start = _concat(r_start, m_day)
    prov = _concat(r_prov, np.full(len(m_person), -1))
    order = np.lexsort((start, person))
    person, start, prov, src = person[order], start[order], prov[order], order
    fresh = np.ones(len(person), dtype=bool)
    fresh[1:] = (person[1:] != person[:-1]) | (start[1:] != start[:-1])
    person, start, prov, src = person[fresh], start[fresh], prov[fresh], src[fresh]
    first = np.ones(len(person), dtype=bool)
    first[1:] = person[1:] != person[:-1]
    end = np.full(len(person), NULL_DAY, dtype=np.int64)
    end[:-1] = np.where(first[1:], NULL_DAY, start[1:] - 1)
    moved = src >= n_old
    stay = rng.random(len(person)) < 0.75
    drawn = rng.choice(len(ref.PROVINCES), size=len(person), p=ref.PROVINCE_WEIGHTS)
    rank = np.arange(len(person)) - np.maximum.accumulate(np.where(first, np.arange(len(person)), 0))
    for r in range(1, int(rank.max(initial=0)) + 1):
        m = np.nonzero((rank == r) & moved)[0]
        prov[m] = np.where(stay[m], prov[m - 1], drawn[m])
    postal = np.zeros(len(person), dtype=np.int64)
    old = ~moved
    postal[old] = r_postal[src[old]]
    postal[moved] = _draw_postal(rng, prov[moved])
    land = np.full(len(person), -1, dtype=np.int64)
    land[old] = r_land[src[old]]
    abroad = moved & (postal == 0)
    land[abroad] = rng.integers(0, len(ref.ABROAD_COUNTRIES), int(abroad.sum()))
    r_order = np.lexsort((start, insz[person]))

    # --- Evaluations of the WOPs that end after the cutoff, a few on request.
    rng = rngs[3]
    cm = (w_measure == pop.CM) & ~w_overdue
    closing = cm & (w_end > CUTOFF) & (w_end <= HORIZON) & (rng.random(len(cm)) < 0.92)
    periodic = (w_kind == pop.RENEWED) | (w_end - w_start >= 4.5 * DAYS_PER_YEAR)
    closing &= periodic | (rng.random(len(cm)) < 0.5)
    w1 = np.nonzero(closing)[0]
    d1 = np.maximum(w_start[w1], w_end[w1] - rng.integers(20, 151, len(w1)))
    t1 = np.where(periodic[w1], 2, rng.integers(0, 2, len(w1)))
    o1 = np.full(len(w1), 1)
    for kind, probs in _OUTCOME_P.items():
        m = np.nonzero(w_kind[w1] == kind)[0]
        o1[m] = rng.choice(3, size=len(m), p=probs)
    # One due before the cutoff was not held (the cutoff delivery has none of it).
    held = d1 > CUTOFF
    w1, d1, t1, o1 = w1[held], d1[held], t1[held], o1[held]
    extra = cm & (rng.random(len(cm)) < P_EXTRA_EVALUATION)
    lo = np.maximum(w_start + 180, CUTOFF + 1)
    hi = np.minimum(w_end, HORIZON)
    w2 = np.nonzero(extra & (lo <= hi))[0]
    d2 = lo[w2] + np.floor(rng.random(len(w2)) * (hi[w2] - lo[w2] + 1)).astype(np.int64)
    t2 = rng.integers(0, 2, len(w2))
    o2 = rng.choice(3, size=len(w2), p=[0.05, 0.40, 0.55])
    ew = _concat(w1, w2)
    datum = _concat(d1, d2)
    n = len(ew)
    old_pop = rng.random(n) < 0.2
    pop_day = np.where(old_pop, datum - rng.integers(380, 1100, n), datum - rng.integers(0, 341, n))
    pop_day = np.where(rng.random(n) < 0.07, NULL_DAY, pop_day)
    wop_ref = np.where(rng.random(n) < 0.04, -1, ew)
    e_order = np.lexsort((w_person[ew], datum))
    base_ev_wop = np.where(ev.wop >= 0, w_rank[np.maximum(ev.wop, 0)], -1)
    fut_ev_wop = np.where(wop_ref >= 0, w_rank[np.maximum(wop_ref, 0)], -1)

    return World(
        seed=seed,
        population=p,
        n_base_persons=n_p,
        insz=insz,
        first_seen=first_seen,
        w_person=w_person[w_order],
        w_employer=w_employer[w_order],
        w_measure=w_measure[w_order],
        w_start=w_start[w_order],
        w_end=w_end[w_order],
        w_kind=w_kind[w_order],
        w_overdue=w_overdue[w_order],
        s_base=(np.arange(len(sp_person)) < len(p.s_person))[s_order],
        s_person=sp_person[s_order],
        s_employer=sp_employer[s_order],
        s_start=sp_start[s_order],
        s_end=sp_end[s_order],
        r_person=person[r_order],
        r_land=land[r_order],
        r_postal=postal[r_order],
        r_start=start[r_order],
        r_end=end[r_order],
        e_person=_concat(ev.person, w_person[ew][e_order]),
        e_wop=_concat(base_ev_wop, fut_ev_wop[e_order]),
        e_datum=_concat(ev.datum, datum[e_order]),
        e_trigger=_concat(ev.trigger, _concat(t1, t2)[e_order]),
        e_pop=_concat(ev.pop_datum, pop_day[e_order]),
        e_outcome=_concat(ev.outcome, _concat(o1, o2)[e_order]),
    )


def line_counts(start: np.ndarray, end: np.ndarray, first_q: np.ndarray, last_day: np.ndarray) -> np.ndarray:
    """Lines of each spell in quarters first_q .. quarter of min(end, last_day)."""
    last = quarter_of(np.minimum(end, last_day))
    return np.maximum(0, last - first_q + 1)


def _odd_lines(w: World) -> tuple[np.ndarray, np.ndarray]:
    """The lines with an odd NACE code, as line keys: those of the cutoff delivery as it
    drew them (same random streams), later ones drawn once up to HORIZON."""
    p = w.population
    # The cutoff delivery: its spells in its order, chunked and drawn as employment.py does.
    b_order = np.lexsort((p.s_start, p.insz[p.s_person]))
    # The world keeps them in that order (everything new starts later): their places.
    base_spell = w.s_base
    world_pos = np.nonzero(base_spell)[0]
    start = p.s_start[b_order]
    same = len(world_pos) == len(b_order) and np.array_equal(w.s_start[world_pos], start)
    if not same or not np.array_equal(w.s_person[world_pos], p.s_person[b_order]):  # pragma: no cover
        raise AssertionError("the cutoff spells are not in the world in their own order")
    n_lines = lines_per_spell(start, p.s_end[b_order])
    edges = chunk_edges(n_lines)
    seeds = np.random.SeedSequence(w.seed).spawn(8)[4].spawn(len(edges) - 1)
    keys, codes = [], []
    for a, b, s in zip(edges[:-1], edges[1:], seeds, strict=True):
        n = n_lines[a:b]
        at, code = odd_codes(np.random.default_rng(s), int(n.sum()))
        cum = np.cumsum(n)
        spell = np.searchsorted(cum, at, side="right")
        k = at - (cum - n)[spell]
        keys.append(world_pos[a + spell] * LINE_KEY + k)
        codes.append(code)
    # Later lines: the quarters after the cutoff's, up to HORIZON.
    rng = np.random.default_rng(np.random.SeedSequence([w.seed, 1]).spawn(6)[5])
    q0 = quarter_of(w.s_start)
    first_q = np.where(base_spell, quarter_of(np.array([CUTOFF]))[0] + 1, q0)
    n = line_counts(w.s_start, w.s_end, first_q, np.full(len(q0), HORIZON))
    cum = np.cumsum(n)
    total = int(cum[-1]) if len(cum) else 0
    at = np.unique(rng.integers(0, max(total, 1), rng.binomial(total, ODD_NACE_RATE)))
    spell = np.searchsorted(cum, at, side="right")
    k = first_q[spell] + at - (cum - n)[spell] - q0[spell]
    keys.append(spell * LINE_KEY + k)
    codes.append(_ODD[rng.integers(0, len(_ODD), len(at))])
    key = np.concatenate(keys).astype(np.int64)
    code = np.concatenate(codes).astype(np.int16)
    order = np.argsort(key, kind="stable")
    return key[order], code[order]
