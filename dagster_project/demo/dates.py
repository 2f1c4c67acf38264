"""Vectorised calendar arithmetic on dates stored as int32 days since 1970-01-01."""

from __future__ import annotations

import numpy as np

NULL_DAY = np.int32(-(10**6))  # marks an open end (written as an empty field)
DAYS_PER_YEAR = 365.25


def day(iso: str) -> int:
    """Days since 1970-01-01 of an ISO date string."""
    return int(np.datetime64(iso, "D").astype(np.int64))


def to_iso(days: np.ndarray) -> np.ndarray:
    """ISO strings (YYYY-MM-DD) of an array of days."""
    return np.datetime_as_string(np.asarray(days, dtype=np.int64).astype("M8[D]"), unit="D")


def year_of(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("M8[D]").astype("M8[Y]").astype(np.int64) + 1970


def add_months(days: np.ndarray | int, months: np.ndarray | int) -> np.ndarray:
    """Same day of the month `months` later, or that month's last day when shorter."""
    d = np.asarray(days, dtype=np.int64).astype("M8[D]")
    month = d.astype("M8[M]")
    dom = (d - month.astype("M8[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64).astype("m8[M]")
    length = ((target + np.timedelta64(1, "M")).astype("M8[D]") - target.astype("M8[D]")).astype(np.int64)
    return (target.astype("M8[D]").astype(np.int64) + np.minimum(dom, length - 1)).astype(np.int32)


def quarter_of(days: np.ndarray) -> np.ndarray:
    """Quarter index (0 = 1970Q1) of each day."""
    months = np.asarray(days, dtype=np.int64).astype("M8[D]").astype("M8[M]").astype(np.int64)
    return np.floor_divide(months, 3)


def quarter_start(q: np.ndarray) -> np.ndarray:
    return (np.asarray(q, dtype=np.int64) * 3).astype("M8[M]").astype("M8[D]").astype(np.int64)


def uniform_days(rng: np.random.Generator, lo: np.ndarray | int, hi: np.ndarray | int, size: int):
    """Uniform integer days in [lo, hi] (inclusive), vectorised over arrays of bounds."""
    lo_a = np.asarray(lo, dtype=np.int64)
    hi_a = np.asarray(hi, dtype=np.int64)
    span = np.maximum(hi_a - lo_a + 1, 1)
    return (lo_a + np.floor(rng.random(size) * span).astype(np.int64)).astype(np.int32)
