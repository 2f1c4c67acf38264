"""What a delivery with extraction date E shows of the world (future.py).

* Persons: known from their first WOP or job on; a withdrawn person (corrections.py)
  is in no extract of a delivery with E on or after the correction.
* WOPs that start on or before E. The end date is shown when it lies on or before E,
  or, as a planned end, on or before E plus one year (an overdue dossier shows no
  planned end). Corrected end dates replace the old ones.
* Employment lines: each spell that starts on or before E, one line per quarter up to
  the quarter of E; a spell still running at E has an open last line (in the next
  delivery that line is closed at its quarter's end, or at the spell's end).
  Corrected lines are changed or left out. A line that starts on or after 2025-01-01
  carries its employer's NACE-BEL 2025 code (employment.line_nace).
* Residences that start on or before E; the end is known once the next one started
  (an end before E).
* Evaluations dated on or before E.

For E = 2025-06-30 this is exactly the delivery the calibrated world always gave, and
it is written with the same random streams (the same bad rows and duplicates), so
its files are byte for byte those of before, except the NACE code of the 2025 lines
of the division-45 employers (NACE-BEL 2025, issue 15). Every other delivery has
streams of its own (from ``[seed, 3, YYYYMMDD]``) for its bad rows and duplicates;
the odd NACE codes are fixed per line (future.py), so a line reads the same in every
delivery.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from dagster_project.demo import population as pop
from dagster_project.demo import reference as ref
from dagster_project.demo.badrows import too_new_dates
from dagster_project.demo.corrections import WITHDRAWN, Corrections, corrections_at
from dagster_project.demo.dates import NULL_DAY, add_months, to_iso
from dagster_project.demo.employment import (
    CUTOFF,
    chunk_edges,
    employment_chunks,
    line_nace,
    lines_per_spell,
    quarter_lines,
)
from dagster_project.demo.evaluations import OUTCOMES, TRIGGERS
from dagster_project.demo.future import LINE_KEY, World
from dagster_project.demo.writers import FILE_LAYOUTS, write_extract


def _single(frame: pd.DataFrame, seed: np.random.SeedSequence):
    yield frame, np.random.default_rng(seed)


def _lookup(keys: np.ndarray, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(hit mask, position in the sorted table) of each key."""
    if len(table) == 0:
        return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64)
    pos = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return table[pos] == keys, pos


def _employment(
    w: World, e: int, corr: Corrections, visible: np.ndarray, seed: np.random.SeedSequence
) -> Iterator[tuple[pd.DataFrame, np.random.Generator]]:
    idx = np.nonzero((w.s_start <= e) & visible[w.s_person])[0]
    start = w.s_start[idx]
    end = np.where(w.s_end[idx] <= e, w.s_end[idx], NULL_DAY)
    edges = chunk_edges(lines_per_spell(start, end, e))
    seeds = seed.spawn(len(edges) - 1)
    odd_key, odd_code = w.odd_lines()
    for a, b, s in zip(edges[:-1], edges[1:], seeds, strict=True):
        rng = np.random.default_rng(s)
        spell, ls, le = quarter_lines(start[a:b], end[a:b], e)
        k = np.arange(len(spell)) - np.searchsorted(spell, spell, side="left")
        world_spell = idx[a:b][spell]
        key = world_spell * LINE_KEY + k
        employer = w.s_employer[world_spell]
        codes = line_nace(w.nace[employer], w.nace_2025[employer], ls)
        hit, pos = _lookup(key, odd_key)
        codes[hit] = odd_code[pos[hit]]
        hit, pos = _lookup(key, corr.line_key)
        fixed = np.nonzero(hit)[0]
        le[fixed] = corr.line_end[pos[fixed]]
        keep = le != WITHDRAWN
        frame = pd.DataFrame(
            {
                "insz": w.insz[w.s_person[world_spell]][keep],
                "kbo": w.kbo[employer][keep],
                "nace": pd.Categorical.from_codes(codes[keep], categories=ref.NACE_CATEGORIES),
                "start_day": ls[keep],
                "end_day": le[keep],
            }
        )
        yield frame, rng


def delivery_chunks(w: World, e: int, corr: Corrections) -> tuple[dict[str, Any], int]:
    """The four extracts' chunks of typed frames at extraction date e, and the number
    of persons they are about."""
    if e == CUTOFF:
        seeds = np.random.SeedSequence(w.seed).spawn(8)  # the calibrated delivery's streams
    else:
        stamp = int(str(to_iso(np.array([e]))[0]).replace("-", ""))
        seeds = np.random.SeedSequence([w.seed, 3, stamp]).spawn(8)
    visible = w.first_seen <= e
    visible[corr.persons] = False

    w_end = w.w_end.copy()
    w_end[corr.wop] = corr.wop_end
    limit = int(add_months(e, 12))
    shown = np.where(w_end <= e, w_end, np.where((w_end <= limit) & ~w.w_overdue, w_end, NULL_DAY))
    wv = np.nonzero((w.w_start <= e) & visible[w.w_person])[0]
    wop = pd.DataFrame(
        {
            "wop_id": wv + 1,
            "insz": w.insz[w.w_person[wv]],
            "measure": pd.Categorical.from_codes(w.w_measure[wv], categories=pop.MEASURES),
            "kbo": w.kbo[w.w_employer[wv]],
            "start_day": w.w_start[wv],
            "end_day": shown[wv],
        }
    )

    rv = np.nonzero((w.r_start <= e) & visible[w.r_person])[0]
    lands = ["BE", *ref.ABROAD_COUNTRIES.tolist()]
    r_end = w.r_end[rv]
    verblijf = pd.DataFrame(
        {
            "insz": w.insz[w.r_person[rv]],
            "land": pd.Categorical.from_codes(w.r_land[rv] + 1, categories=lands),
            "postal": w.r_postal[rv],
            "start_day": w.r_start[rv],
            "end_day": np.where((r_end != NULL_DAY) & (r_end < e), r_end, NULL_DAY),
        }
    )

    ev = np.nonzero((w.e_datum <= e) & visible[w.e_person])[0]
    evaluatie = pd.DataFrame(
        {
            "evaluatie_id": ev + 1,
            "insz": w.insz[w.e_person[ev]],
            "wop_id": np.where(w.e_wop[ev] >= 0, w.e_wop[ev] + 1, -1),
            "datum": w.e_datum[ev],
            "trigger": pd.Categorical.from_codes(w.e_trigger[ev], categories=TRIGGERS),
            "pop_day": w.e_pop[ev],
            "outcome": pd.Categorical.from_codes(w.e_outcome[ev], categories=OUTCOMES),
        }
    )

    if e == CUTOFF and len(corr.line_key) == 0:
        sv = np.nonzero((w.s_start <= e) & visible[w.s_person])[0]
        employment = employment_chunks(
            w.insz[w.s_person[sv]],
            w.kbo[w.s_employer[sv]],
            w.nace[w.s_employer[sv]],
            w.nace_2025[w.s_employer[sv]],
            w.s_start[sv],
            np.where(w.s_end[sv] <= e, w.s_end[sv], NULL_DAY),
            seeds[4],
        )
    else:
        employment = _employment(w, e, corr, visible, seeds[4])
    chunks = {
        "wop": _single(wop, seeds[3]),
        "tewerkstelling": employment,
        "verblijfplaats": _single(verblijf, seeds[5]),
        "evaluatie": _single(evaluatie, seeds[6]),
    }
    return chunks, int(visible.sum())


def write_delivery(w: World, out_dir: Path, e: int) -> dict[str, Any]:
    """Write the four files of the delivery at extraction date e into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    corr = corrections_at(w, e)
    chunks, persons = delivery_chunks(w, e, corr)
    iso = str(to_iso(np.array([e]))[0])
    too_new = too_new_dates(e)
    result: dict[str, Any] = {
        "extraction_date": iso,
        "persons": persons,
        "files": {},
        "rows": {},
        "bad_lines": {},
        "duplicates": {},
        "corrections": corr.records,
    }
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")
        con.execute("SET enable_progress_bar = false")
        for name, frames in chunks.items():
            path = out_dir / f"{name}_{iso.replace('-', '')}.csv"
            written = write_extract(con, path, FILE_LAYOUTS[name], frames, too_new)
            result["files"][name] = str(path)
            result["rows"][name] = written.rows
            result["bad_lines"][name] = written.bad_lines
            result["duplicates"][name] = written.duplicates
    finally:
        con.close()
    return result
