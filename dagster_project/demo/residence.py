"""Residence histories: a first address from birth, then a few moves.

Moves mostly stay within the province. A person with a planned transition has no
move within 150 days of the end date of the transitioning WOP, and the residence
covering that day carries the planned postal code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dagster_project.demo import reference as ref
from dagster_project.demo.dates import DAYS_PER_YEAR, NULL_DAY, day, uniform_days

CUTOFF = day(ref.CUTOFF_ISO)
QUIET_DAYS = 150
_KEY = 1 << 20  # person * _KEY + day offset gives a sortable key
_OFFSET = 50_000  # keeps day + offset positive (births from 1950)


@dataclass
class Residences:
    person: np.ndarray
    land: np.ndarray  # index into ref.ABROAD_COUNTRIES, -1 = BE
    postal: np.ndarray  # 0 when abroad
    start: np.ndarray
    end: np.ndarray  # NULL_DAY when current


def _draw_postal(rng: np.random.Generator, prov: np.ndarray) -> np.ndarray:
    postal = np.zeros(len(prov), dtype=np.int64)
    for p, codes in enumerate(ref.POSTAL_CODES):
        m = np.nonzero(prov == p)[0]
        postal[m] = codes[rng.integers(0, len(codes), len(m))]
        if p == ref.BUITEN:
            postal[m[rng.random(len(m)) < ref.ABROAD_SHARE_OF_BUITEN]] = 0
    return postal


def build_residences(
    rng: np.random.Generator,
    birth: np.ndarray,
    a_person: np.ndarray,
    a_day: np.ndarray,
    a_postal: np.ndarray,
    without: np.ndarray,
) -> Residences:
    n = len(birth)
    k = rng.choice(5, size=n, p=[0.35, 0.33, 0.19, 0.09, 0.04])
    lo = np.maximum(birth + np.floor(18 * DAYS_PER_YEAR).astype(np.int64), day("2000-01-01"))
    m_person = np.repeat(np.arange(n), k)
    m_day = uniform_days(rng, lo[m_person], CUTOFF, len(m_person)).astype(np.int64)
    # Keep the residence around the transitioning WOP's end date stable.
    anchor = np.full(n, NULL_DAY, dtype=np.int64)
    anchor[a_person] = a_day
    a = anchor[m_person]
    near = (a != NULL_DAY) & (np.abs(m_day - a) < QUIET_DAYS)
    m_day = np.where(near, a - QUIET_DAYS - rng.integers(0, 400, len(m_day)), m_day)
    keep = m_day > birth[m_person]
    person = np.concatenate([np.arange(n), m_person[keep]])
    start = np.concatenate([birth, m_day[keep]])
    order = np.lexsort((start, person))
    person, start = person[order], start[order]
    fresh = np.ones(len(person), dtype=bool)
    fresh[1:] = (person[1:] != person[:-1]) | (start[1:] != start[:-1])
    person, start = person[fresh], start[fresh]
    first = np.ones(len(person), dtype=bool)
    first[1:] = person[1:] != person[:-1]
    end = np.full(len(person), NULL_DAY, dtype=np.int64)
    end[:-1] = np.where(first[1:], NULL_DAY, start[1:] - 1)

    # Provinces: drawn by population for the first address; moves mostly stay.
    prov = rng.choice(len(ref.PROVINCES), size=len(person), p=ref.PROVINCE_WEIGHTS)
    rank = np.arange(len(person)) - np.maximum.accumulate(np.where(first, np.arange(len(person)), 0))
    stay = rng.random(len(person)) < 0.75
    for r in range(1, int(rank.max()) + 1):
        m = np.nonzero((rank == r) & stay)[0]
        prov[m] = prov[m - 1]
    postal = _draw_postal(rng, prov)

    # The planned residence on the anchor day.
    key = person * _KEY + (start + _OFFSET)
    row = np.searchsorted(key, a_person * _KEY + (a_day + _OFFSET), side="right") - 1
    if not np.array_equal(person[row], a_person):  # pragma: no cover - by construction
        raise AssertionError("anchor without a residence")
    postal[row] = a_postal

    land = np.where(postal == 0, rng.integers(0, len(ref.ABROAD_COUNTRIES), len(person)), -1)
    keep = ~np.isin(person, without)
    return Residences(
        person=person[keep],
        land=land[keep],
        postal=postal[keep],
        start=start[keep],
        end=end[keep],
    )
