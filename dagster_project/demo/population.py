"""Employers, persons and their stories, planned as whole-population numpy arrays.

Every person follows one story, chosen so that the figures of the contract's part B
are known by construction:

* ``general``: a custom-work career (consecutive CM WOPs at one company, renewed the
  day after the previous one ends) that is still running at the cutoff or ends in an
  exit without any NEC day in the 24 months after it (some find a job later).
* ``transition``: like general, but the last WOP (at least 30 months long, so that
  no earlier WOP's follow-up window reaches the job) is followed, well inside its
  window, by an NEC job at a regular employer (outside the calibrated years a few
  stay on at the custom-work company without a WOP). Some of them return later:
  exactly one new WOP (CM, IM at the NEC employer, or LDE) after the transition date
  and nothing after it.
* ``im`` / ``lde``: an individueel-maatwerk WOP at a regular employer, or a lokale
  diensteneconomie WOP; no collectief-maatwerk dossier, so never in a cohort.

Transitions per cohort year and province are planned first (exact for the calibrated
years at scale 1); each transition fixes the residence on its WOP's end date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dagster_project.demo import reference as ref
from dagster_project.demo.dates import DAYS_PER_YEAR, NULL_DAY, add_months, day, uniform_days
from dagster_project.demo.identifiers import make_insz, make_kbo

CUTOFF = day(ref.CUTOFF_ISO)
MAX_WRITTEN_END = day("2026-06-30")  # extraction date + 1 year: later planned ends stay empty
HISTORY_START = day("2005-01-01")
DATA_START = day("2015-01-01")

MEASURES = ("CM", "IM", "LDE")
CM, IM, LDE = 0, 1, 2

# What follows a WOP (used for evaluations and checks).
RENEWED, TRANSITION, EXIT, OPEN, RETURN, OTHER, OVERDUE = range(7)

YEARS = np.arange(2015, 2026)
YEAR_FACTOR = {2015: 0.8, 2016: 0.85, 2017: 0.9, 2018: 0.95, 2023: 1.0, 2024: 1.0, 2025: 0.4}
RETURN_FACTOR = {2023: 0.6, 2024: 0.3, 2025: 0.0}
WOP_YEARS = np.array([5, 4, 3, 2, 1])
WOP_YEARS_P = np.array([0.55, 0.15, 0.15, 0.10, 0.05])


@dataclass
class Employers:
    kbo: np.ndarray  # int64, all employers
    nace: np.ndarray  # int16 index into NACE_CATEGORIES: the NACE-BEL 2008 code
    nace_2025: np.ndarray  # the employer's NACE-BEL 2025 code (another only in division 45)
    cm: np.ndarray  # indices of custom-work companies
    regular: np.ndarray
    lde: np.ndarray
    cm_p: np.ndarray  # size weights (probabilities)
    regular_p: np.ndarray
    lde_p: np.ndarray


@dataclass
class Population:
    employers: Employers
    insz: np.ndarray  # per person, int64
    birth: np.ndarray  # per person, days
    # WOP dossiers
    w_person: np.ndarray
    w_employer: np.ndarray
    w_measure: np.ndarray
    w_start: np.ndarray
    w_end: np.ndarray  # NULL_DAY when open
    w_kind: np.ndarray
    # employment spells (split into quarterly lines when written)
    s_person: np.ndarray
    s_employer: np.ndarray
    s_start: np.ndarray
    s_end: np.ndarray  # NULL_DAY when ongoing
    # residence anchors: the residence on these days must lie in these postal codes
    a_person: np.ndarray
    a_day: np.ndarray
    a_postal: np.ndarray  # 0 = abroad
    # planned figures, per cohort year (rows YEARS) and province (columns)
    planned_transitions: np.ndarray
    planned_returns: np.ndarray
    no_residence: np.ndarray  # persons without any residence row
    # The world behind the cutoff, for later deliveries (see future.py): the real end of
    # each WOP and spell (NULL_DAY: a spell without a planned end), the day a career of
    # renewals stops (renewals after the cutoff are drawn later), and the persons who
    # will transition after the cutoff.
    w_true_end: np.ndarray
    w_stop: np.ndarray
    s_true_end: np.ndarray
    future_transition: np.ndarray


def _nace_of(codes: list[str], rng: np.random.Generator, n: int, p: np.ndarray) -> np.ndarray:
    picked = rng.choice(len(codes), size=n, p=p / p.sum())
    dotted = np.array([ref.NACE_INDEX[c] for c in codes], dtype=np.int16)
    compact = np.array([ref.NACE_INDEX[c.replace(".", "")] for c in codes], dtype=np.int16)
    use_compact = rng.random(n) < 0.25  # both forms are valid NACE-BEL notation
    return np.where(use_compact, compact[picked], dotted[picked]).astype(np.int16)


def nace_2025_of(nace: np.ndarray) -> np.ndarray:
    """The NACE-BEL 2025 code of employers with these NACE-BEL 2008 codes (indices).

    The same code, except in division 45, which NACE-BEL 2025 no longer has: there the
    code from ref.NACE_2025_OF_DIVISION_45, the k-th employer of a 2008 code (in the
    order of `nace`) taking entry k modulo its length, in the employer's own notation
    (dotted or compact). No random draw: the employers and everything drawn after them
    stay as they were; only the 2025 lines of division-45 employers change.
    """
    out = np.asarray(nace, dtype=np.int16).copy()
    for code, targets in ref.NACE_2025_OF_DIVISION_45.items():
        compact = ref.NACE_INDEX[code.replace(".", "")]
        at = np.nonzero((out == ref.NACE_INDEX[code]) | (out == compact))[0]
        k = np.arange(len(at)) % len(targets)
        dotted_2025 = np.array([ref.NACE_INDEX[c] for c in targets], dtype=np.int16)
        compact_2025 = np.array([ref.NACE_INDEX[c.replace(".", "")] for c in targets], dtype=np.int16)
        out[at] = np.where(out[at] == compact, compact_2025[k], dotted_2025[k])
    division_45 = np.array([c[:2] == "45" for c in ref.NACE_CATEGORIES])[out[out >= 0]]
    if division_45.any():
        raise ValueError("a division-45 NACE code without a NACE-BEL 2025 code in NACE_2025_OF_DIVISION_45")
    return out


def build_employers(rng: np.random.Generator, scale: float) -> Employers:
    n_cm = max(3, round(150 * scale))
    n_reg = max(300, round(20_000 * scale))
    n_lde = max(3, round(120 * scale))
    kbo = make_kbo(rng, n_cm + n_reg + n_lde)
    lde_codes = [c for c in ref.LDE_NACE if c in ref.NACE_INDEX]
    nace = np.concatenate(
        [
            _nace_of(ref.CM_NACE, rng, n_cm, ref.CM_NACE_WEIGHTS),
            _nace_of(ref.REGULAR_NACE, rng, n_reg, ref.REGULAR_NACE_WEIGHTS),
            np.array([ref.NACE_INDEX[c] for c in lde_codes], dtype=np.int16)[
                rng.integers(0, len(lde_codes), n_lde)
            ],
        ]
    )
    cm_w = rng.lognormal(0.0, 0.7, n_cm)
    reg_w = rng.pareto(3.0, n_reg) + 1.0  # many employers, none dominant
    lde_w = rng.lognormal(0.0, 0.5, n_lde)
    return Employers(
        kbo=kbo,
        nace=nace,
        nace_2025=nace_2025_of(nace),
        cm=np.arange(n_cm),
        regular=np.arange(n_cm, n_cm + n_reg),
        lde=np.arange(n_cm + n_reg, n_cm + n_reg + n_lde),
        cm_p=cm_w / cm_w.sum(),
        regular_p=reg_w / reg_w.sum(),
        lde_p=lde_w / lde_w.sum(),
    )


def _pick(rng: np.random.Generator, ids: np.ndarray, p: np.ndarray, n: int) -> np.ndarray:
    return ids[rng.choice(len(ids), size=n, p=p)]


def _exp_days(rng: np.random.Generator, mean_years: float, n: int) -> np.ndarray:
    return np.floor(rng.exponential(mean_years * DAYS_PER_YEAR, n)).astype(np.int64)


def _chain(
    rng: np.random.Generator, start: np.ndarray, stop: np.ndarray, limit: int = CUTOFF
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Consecutive WOPs of at most 5 years from start up to stop (inclusive).

    Returns (career index, start, end, is_last); WOPs starting after `limit` (the
    cutoff) are not generated. Each WOP starts the day after the previous one ends (a
    renewal).
    """
    cur = start.astype(np.int64).copy()
    active = cur <= stop
    out_i, out_s, out_e = [], [], []
    while active.any():
        idx = np.nonzero(active)[0]
        years = rng.choice(WOP_YEARS, size=len(idx), p=WOP_YEARS_P)
        seg_end = np.minimum(add_months(cur[idx], 12 * years).astype(np.int64) - 1, stop[idx])
        out_i.append(idx)
        out_s.append(cur[idx].copy())
        out_e.append(seg_end)
        cur[idx] = seg_end + 1
        active[idx] = (cur[idx] <= stop[idx]) & (cur[idx] <= limit)
    if not out_i:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty, np.empty(0, dtype=bool)
    i = np.concatenate(out_i)
    s = np.concatenate(out_s)
    e = np.concatenate(out_e)
    order = np.lexsort((s, i))
    i, s, e = i[order], s[order], e[order]
    is_last = np.ones(len(i), dtype=bool)
    is_last[:-1] = i[1:] != i[:-1]
    return i, s, e, is_last


def _written_end(end: np.ndarray) -> np.ndarray:
    """A planned end after the cutoff is known only up to extraction date + 1 year."""
    return np.where(end <= MAX_WRITTEN_END, end, NULL_DAY).astype(np.int64)


class _Collector:
    """Accumulates WOPs and spells from the stories."""

    def __init__(self) -> None:
        self.w: list[tuple[np.ndarray, ...]] = []
        self.s: list[tuple[np.ndarray, ...]] = []

    def wop(self, person, employer, measure, start, end, kind, true_end=None, stop=None) -> None:
        """`end` as written at the cutoff; `true_end` the real end (default `end`);
        `stop` the end of the career of renewals it belongs to (default `true_end`)."""
        n = len(person)
        true_end = end if true_end is None else true_end
        stop = true_end if stop is None else stop
        self.w.append(
            tuple(
                np.broadcast_to(np.asarray(x, dtype=np.int64), (n,))
                for x in (person, employer, measure, start, end, kind, true_end, stop)
            )
        )

    def spell(self, person, employer, start, end, true_end=None) -> None:
        """An end after the cutoff is written as open; `true_end` (default `end`) keeps it."""
        n = len(person)
        true_end = end if true_end is None else true_end
        end = np.where(np.asarray(end) > CUTOFF, NULL_DAY, end)
        self.s.append(
            tuple(
                np.broadcast_to(np.asarray(x, dtype=np.int64), (n,))
                for x in (person, employer, start, end, true_end)
            )
        )

    def arrays(self, parts: list[tuple[np.ndarray, ...]]) -> list[np.ndarray]:
        return [np.concatenate([p[k] for p in parts]) for k in range(len(parts[0]))]


def _general(rng: np.random.Generator, emp: Employers, scale: float, first: int, col: _Collector):
    """Careers without a transition; returns (persons, career starts)."""
    n_stock = round(19_600 * scale)
    n_in = round(1_800 * 10.5 * scale)
    # Those who will transition after the cutoff: still at work there. They keep the
    # stock steady while the planned transitioners of 2015-2025 leave it.
    n_future = round(4_000 * scale)
    n = n_stock + n_in + n_future
    person = first + np.arange(n)
    future_start = DATA_START + np.floor(np.sqrt(rng.random(n_future)) * (CUTOFF - 30 - DATA_START))
    start = np.concatenate(
        [
            DATA_START - 1 - np.floor(rng.random(n_stock) * 10 * DAYS_PER_YEAR).astype(np.int64),
            uniform_days(rng, DATA_START, CUTOFF - 30, n_in).astype(np.int64),
            future_start.astype(np.int64),
        ]
    )
    end = np.concatenate(
        [
            DATA_START + np.maximum(30, _exp_days(rng, 11.0, n_stock)),
            start[n_stock : n_stock + n_in] + np.maximum(180, _exp_days(rng, 11.0, n_in)),
            CUTOFF + 1 + _exp_days(rng, 5.0, n_future),
        ]
    )
    company = _pick(rng, emp.cm, emp.cm_p, n)
    i, s, e, last = _chain(rng, start, end)
    kind = np.where(last, np.where(e <= CUTOFF, EXIT, OPEN), RENEWED)
    w_end = np.where(e <= CUTOFF, e, _written_end(e))
    # A few dossiers due for their 5-year evaluation stay open without one (overdue).
    prev_ok = np.zeros(len(i), dtype=bool)
    prev_ok[1:] = (
        (i[1:] == i[:-1]) & (kind[1:] == OPEN) & (s[:-1] >= day("2019-01-01")) & (s[:-1] <= day("2020-06-30"))
    )
    merge = prev_ok & (rng.random(len(i)) < 0.25)
    into = np.nonzero(merge)[0] - 1
    kind[into] = OVERDUE
    w_end[into] = NULL_DAY
    true_end = e.copy()
    true_end[into] = e[into + 1]  # the overdue dossier runs on over the merged one
    keep = ~merge
    col.wop(
        person[i[keep]],
        company[i[keep]],
        CM,
        s[keep],
        w_end[keep],
        kind[keep],
        true_end=true_end[keep],
        stop=end[i[keep]],
    )
    col.spell(person, company, start, np.where(end <= CUTOFF, end, NULL_DAY), true_end=end)
    # Some find a regular job, but only well after 24 months.
    closed = np.nonzero(end <= CUTOFF)[0]
    late = closed[rng.random(len(closed)) < 0.08]
    late_start = add_months(end[late], 24).astype(np.int64) + 30 + rng.integers(0, 400, len(late))
    ok = late_start <= CUTOFF - 1
    late, late_start = late[ok], late_start[ok]
    late_end = np.where(rng.random(len(late)) < 0.5, NULL_DAY, late_start + rng.integers(60, 1200, len(late)))
    col.spell(person[late], _pick(rng, emp.regular, emp.regular_p, len(late)), late_start, late_end)
    return person, start, person[n_stock + n_in :]


def _plan_counts(rng: np.random.Generator, scale: float) -> np.ndarray:
    counts = np.zeros((len(YEARS), len(ref.PROVINCES)), dtype=np.int64)
    cal = np.isin(YEARS, ref.CALIBRATED_YEARS)
    for p, total in enumerate(ref.TRANSITIONS_2019_2022):
        counts[cal, p] = rng.multinomial(round(total * scale), [0.25] * 4)
        mean = total / 4 * scale
        for y in np.nonzero(~cal)[0]:
            counts[y, p] = rng.poisson(mean * YEAR_FACTOR[int(YEARS[y])])
    return counts


def _transitions(rng: np.random.Generator, emp: Employers, scale: float, first: int, col: _Collector):
    counts = _plan_counts(rng, scale)
    year = np.repeat(np.repeat(YEARS, len(ref.PROVINCES)), counts.ravel())
    prov = np.repeat(np.tile(np.arange(len(ref.PROVINCES)), len(YEARS)), counts.ravel())
    n = len(year)
    person = first + np.arange(n)
    calibrated = np.isin(year, ref.CALIBRATED_YEARS)
    jan = np.array([day(f"{y}-01-10") for y in YEARS])[year - YEARS[0]]
    dec = np.array([day(f"{y}-12-20") for y in YEARS])[year - YEARS[0]]
    dec = np.where(year == 2025, day("2025-05-15"), dec)
    last_end = uniform_days(rng, jan, dec, n).astype(np.int64)

    # Returns: exactly the official number for the calibrated years.
    returner = np.zeros(n, dtype=bool)
    for p, k in enumerate(ref.RETURNS_2019_2022):
        pool = np.nonzero(calibrated & (prov == p))[0]
        returner[rng.choice(pool, size=min(round(k * scale), len(pool)), replace=False)] = True
    rate = ref.RETURNS_2019_2022 / np.maximum(ref.TRANSITIONS_2019_2022, 1)
    factor = np.array([RETURN_FACTOR.get(int(y), 1.0) for y in YEARS])[year - YEARS[0]]
    returner |= ~calibrated & (rng.random(n) < rate[prov] * factor)
    stay_on = ~calibrated & ~returner & (rng.random(n) < 0.08)

    # Transition date: well inside the follow-up window (14..~700 days after the end).
    delay = np.where(
        returner,
        14 + np.minimum(rng.exponential(90, n), 350),
        14 + np.minimum(rng.exponential(150, n), 680),
    ).astype(np.int64)
    delay = np.where(stay_on, 1, delay)
    t = np.minimum(last_end + delay, CUTOFF - 3)
    room = CUTOFF - 30 - (t + 90)
    if (returner & calibrated & (room < 0)).any():  # pragma: no cover - by construction
        raise AssertionError("a calibrated return does not fit before the cutoff")
    returner &= room >= 0
    r_start = t + 90 + np.floor(rng.random(n) * (np.minimum(room, 3 * 365) + 1)).astype(np.int64)
    r_type = rng.choice([CM, IM, LDE], size=n, p=[0.8, 0.15, 0.05])
    r_end = r_start + rng.integers(365, 1827, n) - 1

    # Career: a last WOP of 30-60 months, before it a chain of renewals.
    company = _pick(rng, emp.cm, emp.cm_p, n)
    anchor = last_end - rng.integers(913, 1827, n) + 1
    start = anchor - _exp_days(rng, 4.0, n).clip(max=10 * 365)
    start = np.where((start > anchor - 60) | (start < HISTORY_START), anchor, start)
    start = np.where(anchor - start < 60, anchor, start)
    i, s, e, _ = _chain(rng, start, anchor - 1)
    col.wop(person[i], company[i], CM, s, e, RENEWED)
    col.wop(person, company, CM, anchor, last_end, TRANSITION)

    # The NEC job (and for a few a second job that starts the same day).
    job = _pick(rng, emp.regular, emp.regular_p, n)
    job_end = np.where(rng.random(n) < 0.55, NULL_DAY, t + rng.integers(60, 1500, n))
    job_end = np.where(returner & (r_type != IM), r_start - 1 - rng.integers(0, 61, n), job_end)
    job_end = np.where(returner & (r_type == IM), NULL_DAY, job_end)
    job_true_end = job_end
    job_end = np.where(job_end > CUTOFF, NULL_DAY, job_end)
    col.spell(
        person,
        company,
        start,
        np.where(stay_on, job_end, last_end),
        true_end=np.where(stay_on, job_true_end, last_end),
    )
    nec = ~stay_on
    col.spell(person[nec], job[nec], t[nec], job_end[nec], true_end=job_true_end[nec])
    second = nec & (rng.random(n) < 0.03)
    job2 = _pick(rng, emp.regular, emp.regular_p, n)
    second &= job2 != job
    col.spell(person[second], job2[second], t[second], job_end[second], true_end=job_true_end[second])

    # The planned return: one WOP, nothing after it.
    r_employer = np.where(rng.random(n) < 0.5, company, _pick(rng, emp.cm, emp.cm_p, n))
    r_employer = np.where(r_type == IM, job, r_employer)
    r_employer = np.where(r_type == LDE, _pick(rng, emp.lde, emp.lde_p, n), r_employer)
    r = np.nonzero(returner)[0]
    r_w_end = np.where(r_end[r] <= CUTOFF, r_end[r], _written_end(r_end[r]))
    col.wop(person[r], r_employer[r], r_type[r], r_start[r], r_w_end, RETURN, true_end=r_end[r])
    rs = r[r_type[r] != IM]
    col.spell(person[rs], r_employer[rs], r_start[rs], r_end[rs])

    # Residence on the WOP's end date: a postal code of the planned province.
    postal = np.zeros(n, dtype=np.int64)
    for p in range(len(ref.PROVINCES)):
        m = np.nonzero(prov == p)[0]
        codes = ref.POSTAL_CODES[p]
        if p == 0:  # 2070 moves to Oost-Vlaanderen on 2025-01-01: keep it out of the plan
            codes = codes[codes != 2070]
        postal[m] = codes[rng.integers(0, len(codes), len(m))]
        if p == ref.BUITEN:
            postal[m[rng.random(len(m)) < ref.ABROAD_SHARE_OF_BUITEN]] = 0

    planned_t = np.zeros((len(YEARS), len(ref.PROVINCES)), dtype=np.int64)
    planned_r = np.zeros_like(planned_t)
    np.add.at(planned_t, (year - YEARS[0], prov), 1)
    np.add.at(planned_r, (year[returner] - YEARS[0], prov[returner]), 1)
    return person, start, (person, last_end, postal), planned_t, planned_r


def _im_lde(rng: np.random.Generator, emp: Employers, scale: float, first: int, col: _Collector):
    n_im = round(1_500 * scale)
    n_lde = round(900 * scale)
    person = first + np.arange(n_im + n_lde)
    # IM: a job at a regular employer, with an IM WOP covering part of it.
    p_im = person[:n_im]
    job = _pick(rng, emp.regular, emp.regular_p, n_im)
    s0 = uniform_days(rng, day("2008-01-01"), day("2025-03-31"), n_im).astype(np.int64)
    e0 = s0 + np.maximum(200, _exp_days(rng, 6.0, n_im))
    ws = np.minimum(s0 + rng.integers(0, 366, n_im), np.minimum(e0, CUTOFF))
    we = np.minimum(add_months(ws, 12 * rng.integers(1, 6, n_im)).astype(np.int64) - 1, e0)
    col.spell(p_im, job, s0, e0)
    col.wop(p_im, job, IM, ws, np.where(we <= CUTOFF, we, _written_end(we)), OTHER, true_end=we)
    # LDE: the job and the WOP coincide.
    p_lde = person[n_im:]
    lde = _pick(rng, emp.lde, emp.lde_p, n_lde)
    ls = uniform_days(rng, day("2010-01-01"), day("2025-03-31"), n_lde).astype(np.int64)
    le = add_months(ls, 12 * rng.integers(1, 6, n_lde)).astype(np.int64) - 1
    col.spell(p_lde, lde, ls, le)
    col.wop(p_lde, lde, LDE, ls, np.where(le <= CUTOFF, le, _written_end(le)), OTHER, true_end=le)
    return person, np.concatenate([s0, ls])


def build_population(rng: np.random.Generator, scale: float) -> Population:
    emp = build_employers(rng, scale)
    col = _Collector()
    g_person, g_start, g_future = _general(rng, emp, scale, 0, col)
    t_person, t_start, anchors, planned_t, planned_r = _transitions(rng, emp, scale, len(g_person), col)
    o_person, o_start = _im_lde(rng, emp, scale, len(g_person) + len(t_person), col)
    n = len(g_person) + len(t_person) + len(o_person)
    first_start = np.concatenate([g_start, t_start, o_start])
    birth = first_start - np.floor((18 + rng.random(n) * 32) * DAYS_PER_YEAR).astype(np.int64)
    insz = make_insz(rng, birth)
    w_person, w_employer, w_measure, w_start, w_end, w_kind, w_true_end, w_stop = col.arrays(col.w)
    s_person, s_employer, s_start, s_end, s_true_end = col.arrays(col.s)
    general = g_person[rng.random(len(g_person)) < 0.003]
    return Population(
        employers=emp,
        insz=insz,
        birth=birth,
        w_person=w_person,
        w_employer=w_employer,
        w_measure=w_measure,
        w_start=w_start,
        w_end=w_end,
        w_kind=w_kind,
        s_person=s_person,
        s_employer=s_employer,
        s_start=s_start,
        s_end=s_end,
        a_person=anchors[0],
        a_day=anchors[1],
        a_postal=anchors[2],
        planned_transitions=planned_t,
        planned_returns=planned_r,
        no_residence=general,
        w_true_end=w_true_end,
        w_stop=w_stop,
        s_true_end=s_true_end,
        future_transition=g_future,
    )
