"""Orchestration: plan the population and the world after it, then write deliveries.

One delivery (``generate``) or a sequence of quarterly deliveries
(``generate_deliveries``). Every delivery is the same simulated world (future.py)
seen at its own extraction date (deliveries.py), with the retroactive corrections
made up to that date (corrections.py). The delivery of 2025-06-30, the data cutoff
the world is calibrated at, is byte for byte the one this generator always wrote,
except the NACE-BEL 2025 codes on the 2025 lines of division-45 employers (issue 15).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from dagster_project.demo import population as pop
from dagster_project.demo import reference as ref
from dagster_project.demo.dates import add_months, day
from dagster_project.demo.deliveries import write_delivery
from dagster_project.demo.evaluations import build_evaluations
from dagster_project.demo.future import HORIZON, World, build_world
from dagster_project.demo.residence import build_residences

FIRST_EXTRACTION = day("2015-01-01")


def build(seed: int = 42, scale: float = 1.0) -> World:
    """The simulated world for a seed and scale (the calibrated population and its future)."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    seeds = np.random.SeedSequence(seed).spawn(8)
    p = pop.build_population(np.random.default_rng(seeds[0]), scale)
    res = build_residences(
        np.random.default_rng(seeds[1]), p.birth, p.a_person, p.a_day, p.a_postal, p.no_residence
    )
    ev = build_evaluations(np.random.default_rng(seeds[2]), p)
    return build_world(p, res, ev, seed, scale)


def _day(extraction_date: str) -> int:
    try:
        e = day(extraction_date)
    except ValueError as exc:
        raise ValueError(f"extraction date {extraction_date!r} is not a date YYYY-MM-DD") from exc
    if not FIRST_EXTRACTION <= e <= HORIZON:
        raise ValueError(f"extraction date {extraction_date} outside 2015-01-01 .. 2035-06-30")
    return e


def quarterly_dates(extraction_date: str, quarters: int) -> list[int]:
    """extraction_date and the dates 3, 6, ... months after it (month ends stay month ends)."""
    if quarters < 1:
        raise ValueError("quarters must be at least 1")
    e = _day(extraction_date)
    month_end = _is_month_end(e)
    out = []
    for k in range(quarters):
        d = int(add_months(e, 3 * k))
        if month_end:
            d = int(add_months(d - int(_dom(d)) + 1, 1)) - 1  # that month's last day
        out.append(d)
    if out and out[-1] > HORIZON:
        raise ValueError("the last delivery would lie after 2035-06-30")
    return out


def _dom(d: int) -> int:
    m = np.int64(d).astype("M8[D]")
    return int((m - m.astype("M8[M]").astype("M8[D]")).astype(np.int64)) + 1


def _is_month_end(d: int) -> bool:
    return _dom(d + 1) == 1


def _planned(w: World) -> dict[str, Any]:
    years = pop.YEARS.tolist()
    p = w.population
    return {
        "planned_transitions": {
            y: dict(zip(ref.PROVINCES, map(int, row), strict=True))
            for y, row in zip(years, p.planned_transitions, strict=True)
        },
        "planned_returns": {
            y: dict(zip(ref.PROVINCES, map(int, row), strict=True))
            for y, row in zip(years, p.planned_returns, strict=True)
        },
    }


def generate(
    out_dir: str | Path, seed: int = 42, scale: float = 1.0, extraction_date: str = ref.CUTOFF_ISO
) -> dict[str, Any]:
    """Write wop_, tewerkstelling_, verblijfplaats_ and evaluatie_<YYYYMMDD>.csv to out_dir.

    Returns the file paths, data-row counts, the line numbers of the bad rows per
    extract (these the ingestion must quarantine), the number of exact duplicates,
    the planned transitions and returns per cohort year and province (of the world
    as calibrated at 2025-06-30), and the retroactive corrections in effect at the
    extraction date (``corrections``, a list of records, see corrections.py; empty
    up to 2025-09-29).
    """
    e = _day(extraction_date)
    w = build(seed, scale)
    result: dict[str, Any] = {"seed": seed, "scale": scale}
    result.update(write_delivery(w, Path(out_dir), e))
    result.update(_planned(w))
    return result


def generate_deliveries(
    out_dir: str | Path,
    seed: int = 42,
    scale: float = 1.0,
    quarters: int = 3,
    extraction_date: str = ref.CUTOFF_ISO,
) -> dict[str, Any]:
    """Write `quarters` successive quarterly deliveries, the first at extraction_date,
    each into its own folder ``out_dir/<YYYYMMDD>/`` (copy one folder at a time into
    a landing folder to simulate incremental runs).

    Returns ``deliveries`` (one result per delivery, as ``generate`` returns it,
    oldest first) and ``corrections`` (every correction in effect at the last one;
    each record's ``date`` is the first delivery date it is in).
    """
    dates = quarterly_dates(extraction_date, quarters)
    w = build(seed, scale)
    planned = _planned(w)
    out = Path(out_dir)
    deliveries = []
    for e in dates:
        stamp = str(np.int64(e).astype("M8[D]")).replace("-", "")
        result: dict[str, Any] = {"seed": seed, "scale": scale}
        result.update(write_delivery(w, out / stamp, e))
        result.update(planned)
        deliveries.append(result)
    return {
        "seed": seed,
        "scale": scale,
        "deliveries": deliveries,
        "corrections": deliveries[-1]["corrections"],
    }
