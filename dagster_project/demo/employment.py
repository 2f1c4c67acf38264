"""Employment lines: each spell split at quarter boundaries (one line per quarter).

Lines of one spell abut; an ongoing spell's last line (the current quarter) has no
end. A small share of lines carries an empty, odd-form or unknown-division NACE
code (kept by the ingestion with sector '?'); that changes no interval. A line that
starts on or after 2025-01-01 carries the employer's NACE-BEL 2025 code (line_nace).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from dagster_project.demo import reference as ref
from dagster_project.demo.dates import NULL_DAY, day, quarter_of, quarter_start

CUTOFF = day(ref.CUTOFF_ISO)
NACE_2025_FROM = day(ref.NACE_2025_FROM_ISO)
CHUNK_LINES = 4_000_000
ODD_NACE_RATE = 0.002
_ODD = np.array([ref.NACE_INDEX[c] if c else ref.NACE_NULL for c in ref.ODD_NACE], dtype=np.int16)


def lines_per_spell(start: np.ndarray, end: np.ndarray, cutoff: int = CUTOFF) -> np.ndarray:
    e = np.where(end == NULL_DAY, cutoff, end)
    return quarter_of(e) - quarter_of(start) + 1


def quarter_lines(start: np.ndarray, end: np.ndarray, cutoff: int = CUTOFF) -> tuple[np.ndarray, ...]:
    """(spell index, line start, line end) with NULL_DAY ends for ongoing spells.

    `cutoff` is the extraction date: an ongoing spell has lines up to its quarter.
    """
    is_open = end == NULL_DAY
    e = np.where(is_open, cutoff, end).astype(np.int64)
    q0 = quarter_of(start)
    n = quarter_of(e) - q0 + 1
    spell = np.repeat(np.arange(len(start)), n)
    k = np.arange(len(spell)) - np.repeat(np.cumsum(n) - n, n)
    q = q0[spell] + k
    ls = np.maximum(start[spell], quarter_start(q))
    le = np.minimum(e[spell], quarter_start(q + 1) - 1)
    le = np.where(is_open[spell] & (k == n[spell] - 1), NULL_DAY, le)
    return spell, ls.astype(np.int32), le.astype(np.int32)


def chunk_edges(n_lines: np.ndarray) -> np.ndarray:
    """Spell boundaries of chunks of about CHUNK_LINES lines."""
    cum = np.cumsum(n_lines)
    if len(cum) == 0:
        return np.array([0])
    bounds = np.searchsorted(cum, np.arange(CHUNK_LINES, cum[-1], CHUNK_LINES), side="left")
    return np.unique(np.concatenate([[0], bounds + 1, [len(n_lines)]]))


def line_nace(nace: np.ndarray, nace_2025: np.ndarray, line_start: np.ndarray) -> np.ndarray:
    """The employer's code on each line, by the line's start (contract part A): NACE-BEL
    2025 from 2025-01-01 on, NACE-BEL 2008 before. One rule for every place that writes
    a line (the cutoff delivery, later deliveries, corrections), so a line reads alike."""
    return np.where(np.asarray(line_start) >= NACE_2025_FROM, nace_2025, nace).astype(np.int16)


def odd_codes(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(line positions, NACE indices) of the lines of a chunk that get an odd NACE code."""
    odd = rng.random(n) < ODD_NACE_RATE
    return np.nonzero(odd)[0], _ODD[rng.integers(0, len(_ODD), int(odd.sum()))]


def employment_chunks(
    insz: np.ndarray,
    kbo: np.ndarray,
    nace: np.ndarray,
    nace_2025: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    seed: np.random.SeedSequence,
) -> Iterator[tuple[pd.DataFrame, np.random.Generator]]:
    """Typed frames of employment lines, in chunks of about CHUNK_LINES lines.

    Spells must come sorted as they should appear (by person, then start); `nace` and
    `nace_2025` are their employer's codes in both classifications.
    """
    edges = chunk_edges(lines_per_spell(start, end))
    seeds = seed.spawn(len(edges) - 1)
    for a, b, s in zip(edges[:-1], edges[1:], seeds, strict=True):
        rng = np.random.default_rng(s)
        spell, ls, le = quarter_lines(start[a:b], end[a:b])
        codes = line_nace(nace[a:b][spell], nace_2025[a:b][spell], ls)
        at, odd = odd_codes(rng, len(codes))
        codes[at] = odd
        frame = pd.DataFrame(
            {
                "insz": insz[a:b][spell],
                "kbo": kbo[a:b][spell],
                "nace": pd.Categorical.from_codes(codes, categories=ref.NACE_CATEGORIES),
                "start_day": ls,
                "end_day": le,
            }
        )
        yield frame, rng
