"""Belgian identifiers with valid check digits: INSZ (national number) and KBO numbers."""

from __future__ import annotations

import numpy as np

from dagster_project.demo.dates import year_of


def insz_check_digits(base9: np.ndarray, born_2000: np.ndarray) -> np.ndarray:
    """CC = 97 - (YYMMDDSSS mod 97), or 97 - (2YYMMDDSSS mod 97) for births from 2000 on."""
    base = np.asarray(base9, dtype=np.int64) + np.where(born_2000, 2_000_000_000, 0)
    return 97 - base % 97


def make_insz(rng: np.random.Generator, birth_days: np.ndarray) -> np.ndarray:
    """Unique valid INSZ numbers (as int64) for the given birth dates."""
    b = np.asarray(birth_days, dtype=np.int64).astype("M8[D]")
    years = year_of(birth_days)
    months = b.astype("M8[M]").astype(np.int64) % 12 + 1
    dom = (b - b.astype("M8[M]").astype("M8[D]")).astype(np.int64) + 1
    yymmdd = (years % 100) * 10_000 + months * 100 + dom
    serial = rng.integers(1, 998, size=len(b))
    for _ in range(50):  # redraw the serial of the (rare) later duplicates
        base9 = yymmdd * 1000 + serial
        _, first = np.unique(base9, return_index=True)
        dup = np.ones(len(base9), dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        serial[dup] = rng.integers(1, 998, size=int(dup.sum()))
    else:  # pragma: no cover - would need ~1000 people born on one day
        raise RuntimeError("could not draw unique INSZ serials")
    base9 = yymmdd * 1000 + serial
    return base9 * 100 + insz_check_digits(base9, years >= 2000)


def invalid_insz(insz: np.ndarray) -> np.ndarray:
    """Same numbers with check digits that match neither the pre- nor the post-2000 rule."""
    insz = np.asarray(insz, dtype=np.int64)
    base9 = insz // 100
    a = insz_check_digits(base9, np.zeros(len(insz), dtype=bool))
    b = insz_check_digits(base9, np.ones(len(insz), dtype=bool))
    cc = (insz % 100 + 1) % 100
    for _ in range(3):
        clash = (cc == a) | (cc == b)
        cc = np.where(clash, (cc + 1) % 100, cc)
    return base9 * 100 + cc


def kbo_check_digits(base8: np.ndarray) -> np.ndarray:
    return 97 - np.asarray(base8, dtype=np.int64) % 97


def make_kbo(rng: np.random.Generator, n: int) -> np.ndarray:
    """n unique valid KBO enterprise numbers (int64; written with a leading 0)."""
    got = np.empty(0, dtype=np.int64)
    while len(got) < n:
        draw = rng.integers(2_000_000, 11_000_000, size=2 * n + 10, dtype=np.int64)
        _, first = np.unique(np.concatenate([got, draw]), return_index=True)
        got = np.concatenate([got, draw])[np.sort(first)]
    base8 = got[:n]
    return base8 * 100 + kbo_check_digits(base8)


def invalid_kbo(kbo: np.ndarray) -> np.ndarray:
    kbo = np.asarray(kbo, dtype=np.int64)
    base8 = kbo // 100
    cc = kbo_check_digits(base8)
    return base8 * 100 + np.where(cc >= 96, cc - 50, cc + 1)
