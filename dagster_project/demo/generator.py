"""Orchestration: plan the population, then write the four extracts of one delivery."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from dagster_project.demo import population as pop
from dagster_project.demo import reference as ref
from dagster_project.demo.employment import employment_chunks
from dagster_project.demo.evaluations import OUTCOMES, TRIGGERS, build_evaluations
from dagster_project.demo.residence import build_residences
from dagster_project.demo.writers import FILE_LAYOUTS, write_extract


def _single(frame: pd.DataFrame, seed: np.random.SeedSequence):
    yield frame, np.random.default_rng(seed)


def generate(out_dir: str | Path, seed: int = 42, scale: float = 1.0) -> dict[str, Any]:
    """Write wop_, tewerkstelling_, verblijfplaats_ and evaluatie_20250630.csv to out_dir.

    Returns the file paths, data-row counts, the line numbers of the bad rows per
    extract (these the ingestion must quarantine), the number of exact duplicates,
    and the planned transitions and returns per cohort year and province.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seeds = np.random.SeedSequence(seed).spawn(8)
    p = pop.build_population(np.random.default_rng(seeds[0]), scale)
    res = build_residences(
        np.random.default_rng(seeds[1]), p.birth, p.a_person, p.a_day, p.a_postal, p.no_residence
    )
    ev = build_evaluations(np.random.default_rng(seeds[2]), p)
    emp = p.employers

    # WOP ids follow the start date.
    w_order = np.lexsort((p.insz[p.w_person], p.w_start))
    wop_id = np.empty(len(w_order), dtype=np.int64)
    wop_id[w_order] = np.arange(1, len(w_order) + 1)
    wop = pd.DataFrame(
        {
            "wop_id": wop_id[w_order],
            "insz": p.insz[p.w_person[w_order]],
            "measure": pd.Categorical.from_codes(p.w_measure[w_order], categories=pop.MEASURES),
            "kbo": emp.kbo[p.w_employer[w_order]],
            "start_day": p.w_start[w_order],
            "end_day": p.w_end[w_order],
        }
    )
    s_order = np.lexsort((p.s_start, p.insz[p.s_person]))
    r_order = np.lexsort((res.start, p.insz[res.person]))
    lands = ["BE", *ref.ABROAD_COUNTRIES.tolist()]
    verblijf = pd.DataFrame(
        {
            "insz": p.insz[res.person[r_order]],
            "land": pd.Categorical.from_codes(res.land[r_order] + 1, categories=lands),
            "postal": res.postal[r_order],
            "start_day": res.start[r_order],
            "end_day": res.end[r_order],
        }
    )
    evaluatie = pd.DataFrame(
        {
            "evaluatie_id": np.arange(1, len(ev.person) + 1),
            "insz": p.insz[ev.person],
            "wop_id": np.where(ev.wop >= 0, wop_id[np.maximum(ev.wop, 0)], -1),
            "datum": ev.datum,
            "trigger": pd.Categorical.from_codes(ev.trigger, categories=TRIGGERS),
            "pop_day": ev.pop_datum,
            "outcome": pd.Categorical.from_codes(ev.outcome, categories=OUTCOMES),
        }
    )
    chunks = {
        "wop": _single(wop, seeds[3]),
        "tewerkstelling": employment_chunks(
            p.insz[p.s_person[s_order]],
            emp.kbo[p.s_employer[s_order]],
            emp.nace[p.s_employer[s_order]],
            p.s_start[s_order],
            p.s_end[s_order],
            seeds[4],
        ),
        "verblijfplaats": _single(verblijf, seeds[5]),
        "evaluatie": _single(evaluatie, seeds[6]),
    }
    result: dict[str, Any] = {
        "seed": seed,
        "scale": scale,
        "persons": len(p.insz),
        "files": {},
        "rows": {},
        "bad_lines": {},
        "duplicates": {},
    }
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")
        con.execute("SET enable_progress_bar = false")
        for name, frames in chunks.items():
            path = out / f"{name}_{ref.EXTRACTION}.csv"
            written = write_extract(con, path, FILE_LAYOUTS[name], frames)
            result["files"][name] = str(path)
            result["rows"][name] = written.rows
            result["bad_lines"][name] = written.bad_lines
            result["duplicates"][name] = written.duplicates
    finally:
        con.close()
    years = pop.YEARS.tolist()
    result["planned_transitions"] = {
        y: dict(zip(ref.PROVINCES, map(int, row), strict=True))
        for y, row in zip(years, p.planned_transitions, strict=True)
    }
    result["planned_returns"] = {
        y: dict(zip(ref.PROVINCES, map(int, row), strict=True))
        for y, row in zip(years, p.planned_returns, strict=True)
    }
    return result
