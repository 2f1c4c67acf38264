"""VDAB evaluations of custom-work WOPs.

Most closed CM dossiers get an evaluation shortly before their end: the five-year
evaluation when the dossier ran (almost) five years, otherwise one asked by the
employee or employer. The outcome follows the story: renewals are mostly kept
(BEHOUD), transitions mostly follow a transition track (DOORSTROOMTRAJECT). A few
dossiers get an extra evaluation on request while running. About a fifth of the
POP dates are older than 12 months, some are missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dagster_project.demo import population as pop
from dagster_project.demo.dates import DAYS_PER_YEAR, NULL_DAY, day

CUTOFF = day("2025-06-30")
FIRST_DAY = day("2015-01-01")
TRIGGERS = ("WERKNEMER", "WERKGEVER", "VIJF_JAAR")
OUTCOMES = ("DOORSTROOMTRAJECT", "BEHOUD", "AANPASSING")
NO_WOP = -1

# Outcome probabilities (DOORSTROOMTRAJECT, BEHOUD, AANPASSING) by what follows.
_OUTCOME_P = {
    pop.RENEWED: [0.04, 0.80, 0.16],
    pop.TRANSITION: [0.72, 0.12, 0.16],
    pop.EXIT: [0.15, 0.55, 0.30],
    pop.RETURN: [0.15, 0.55, 0.30],
}


@dataclass
class EvaluationArrays:
    person: np.ndarray
    wop: np.ndarray  # index into the WOP arrays, NO_WOP when not filled in
    datum: np.ndarray
    trigger: np.ndarray  # index into TRIGGERS
    pop_datum: np.ndarray  # NULL_DAY when none
    outcome: np.ndarray  # index into OUTCOMES


def build_evaluations(rng: np.random.Generator, p: pop.Population) -> EvaluationArrays:
    cm = p.w_measure == pop.CM
    closed = cm & (p.w_end != NULL_DAY) & (p.w_end <= CUTOFF) & (rng.random(len(cm)) < 0.92)
    # The periodic (five-year) evaluation decides on renewal; a dossier that ends
    # early is evaluated in about half of the cases, on request.
    periodic = (p.w_kind == pop.RENEWED) | (p.w_end - p.w_start >= 4.5 * DAYS_PER_YEAR)
    closed &= periodic | (rng.random(len(cm)) < 0.5)
    w1 = np.nonzero(closed)[0]
    d1 = np.maximum(p.w_start[w1], p.w_end[w1] - rng.integers(20, 151, len(w1)))
    t1 = np.where(periodic[w1], 2, rng.integers(0, 2, len(w1)))
    o1 = np.full(len(w1), 1)
    for kind, probs in _OUTCOME_P.items():
        m = np.nonzero(p.w_kind[w1] == kind)[0]
        o1[m] = rng.choice(3, size=len(m), p=probs)

    # Extra evaluations on request while the dossier runs (not for overdue ones).
    extra = cm & (p.w_kind != pop.OVERDUE) & (rng.random(len(cm)) < 0.08)
    w2 = np.nonzero(extra)[0]
    last = np.where(p.w_end[w2] == NULL_DAY, CUTOFF, np.minimum(p.w_end[w2], CUTOFF))
    lo = p.w_start[w2] + 180
    ok = lo <= last
    w2, lo, last = w2[ok], lo[ok], last[ok]
    d2 = lo + np.floor(rng.random(len(w2)) * (last - lo + 1)).astype(np.int64)
    t2 = rng.integers(0, 2, len(w2))
    o2 = rng.choice(3, size=len(w2), p=[0.05, 0.40, 0.55])

    wop = np.concatenate([w1, w2])
    datum = np.concatenate([d1, d2])
    n = len(wop)
    old = rng.random(n) < 0.2
    pop_datum = np.where(old, datum - rng.integers(380, 1100, n), datum - rng.integers(0, 341, n)).astype(
        np.int64
    )
    pop_datum = np.where(rng.random(n) < 0.07, NULL_DAY, pop_datum)
    person = p.w_person[wop]
    order = np.lexsort((person, datum))
    order = order[datum[order] >= FIRST_DAY]  # VDAB's records start in 2015
    wop_ref = np.where(rng.random(n) < 0.04, NO_WOP, wop)
    return EvaluationArrays(
        person=person[order],
        wop=wop_ref[order],
        datum=datum[order],
        trigger=np.concatenate([t1, t2])[order],
        pop_datum=pop_datum[order],
        outcome=np.concatenate([o1, o2])[order],
    )
