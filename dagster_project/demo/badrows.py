"""Bad rows for the quarantine: each breaks exactly the rules of part A it is named for.

Bad rows are extra rows (copies of good rows with one field spoiled); they never
replace a good row. Rows of the keyed extracts get fresh keys that no good row
uses, so that a bad row never turns a good row into a conflicting duplicate.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dagster_project.demo.dates import add_months, day, to_iso
from dagster_project.demo.identifiers import invalid_insz, invalid_kbo

BAD_DATES = np.array(["2021-02-30", "31/12/2020", "2020-13-01", "onbekend", "2019-04-31"])
TOO_OLD = np.array(["1949-12-31", "1900-01-01"])
TOO_NEW = np.array(["2026-07-01", "2031-03-15"])  # for the extraction date 2025-06-30


def too_new_dates(extraction_day: int) -> np.ndarray:
    """Dates after the extraction date plus one year (TOO_NEW for 2025-06-30)."""
    limit = int(add_months(extraction_day, 12))  # 29 February -> 28 February
    far = max(day("2031-03-15"), int(add_months(extraction_day, 60)))
    return np.array([to_iso(np.array([limit + 1]))[0], to_iso(np.array([far]))[0]])


Kind = tuple[str, ...]

KINDS: dict[str, list[Kind]] = {
    "wop": [
        ("insz_check", "INSZ"),
        ("kbo_check", "KBO_WERKGEVER"),
        ("missing", "WOP_ID"),
        ("missing", "INSZ"),
        ("missing", "MAATREGEL"),
        ("missing", "KBO_WERKGEVER"),
        ("missing", "STARTDATUM"),
        ("bad_date", "STARTDATUM"),
        ("bad_date", "EINDDATUM"),
        ("too_old", "STARTDATUM"),
        ("too_new", "EINDDATUM"),
        ("end_before_start", "STARTDATUM", "EINDDATUM"),
        ("code", "MAATREGEL", "SE", "WEP", "BW"),
        ("fieldcount",),
        ("conflict", "STARTDATUM"),
    ],
    "tewerkstelling": [
        ("insz_check", "INSZ"),
        ("kbo_check", "KBO_WERKGEVER"),
        ("missing", "INSZ"),
        ("missing", "KBO_WERKGEVER"),
        ("missing", "STARTDATUM"),
        ("bad_date", "STARTDATUM"),
        ("bad_date", "EINDDATUM"),
        ("too_old", "STARTDATUM"),
        ("too_new", "EINDDATUM"),
        ("end_before_start", "STARTDATUM", "EINDDATUM"),
        ("fieldcount",),
    ],
    "verblijfplaats": [
        ("insz_check", "INSZ"),
        ("missing", "INSZ"),
        ("missing", "LAND"),
        ("missing", "GELDIG_VAN"),
        ("postcode", "123", "12345", "B200", "2O00"),
        ("postcode", ""),
        ("bad_date", "GELDIG_VAN"),
        ("bad_date", "GELDIG_TOT"),
        ("too_old", "GELDIG_VAN"),
        ("too_new", "GELDIG_TOT"),
        ("end_before_start", "GELDIG_VAN", "GELDIG_TOT"),
        ("fieldcount",),
    ],
    "evaluatie": [
        ("insz_check", "INSZ"),
        ("missing", "EVALUATIE_ID"),
        ("missing", "INSZ"),
        ("missing", "DATUM"),
        ("missing", "AANLEIDING"),
        ("missing", "UITKOMST"),
        ("code", "AANLEIDING", "JAARLIJKS", "VDAB", "ANDERE"),
        ("code", "UITKOMST", "STOPZETTING", "ONBEKEND"),
        ("bad_date", "DATUM"),
        ("bad_date", "POP_DATUM"),
        ("too_old", "POP_DATUM"),
        ("too_new", "DATUM"),
        ("fieldcount",),
        ("conflict", "UITKOMST"),
    ],
}
KEY_COLUMN = {"wop": "WOP_ID", "evaluatie": "EVALUATIE_ID"}


def _shift_days(iso: np.ndarray, days: np.ndarray) -> np.ndarray:
    d = iso.astype("M8[D]") + days.astype("m8[D]")
    return np.datetime_as_string(d, unit="D").astype(object)


def spoil(
    extract: str,
    columns: tuple[str, ...],
    rows: np.ndarray,
    rng: np.random.Generator,
    fresh_keys: Callable[[int], np.ndarray],
    too_new: np.ndarray = TOO_NEW,
) -> list[str]:
    """Turn copies of good rows (object array, one column per field) into bad lines.

    Every kind of the extract is used at least once when there are enough rows; a
    conflict kind uses two rows (the pair shares a fresh key, differs in one field).
    """
    rows = rows.copy()
    n = len(rows)
    col = {c: i for i, c in enumerate(columns)}
    kinds = KINDS[extract]
    kind = rng.permutation(np.arange(n) % len(kinds))
    if extract in KEY_COLUMN:
        rows[:, col[KEY_COLUMN[extract]]] = fresh_keys(n)
    broken_count = np.zeros(n, dtype=bool)
    for k, spec in enumerate(kinds):
        m = np.nonzero(kind == k)[0]
        if len(m) == 0:
            continue
        name = spec[0]
        if name == "insz_check":
            c = col[spec[1]]
            rows[m, c] = np.char.zfill(invalid_insz(rows[m, c].astype(np.int64)).astype(str), 11)
        elif name == "kbo_check":
            c = col[spec[1]]
            rows[m, c] = np.char.zfill(invalid_kbo(rows[m, c].astype(np.int64)).astype(str), 10)
        elif name == "missing":
            rows[m, col[spec[1]]] = ""
        elif name in ("bad_date", "too_old", "too_new"):
            pool = {"bad_date": BAD_DATES, "too_old": TOO_OLD, "too_new": too_new}[name]
            rows[m, col[spec[1]]] = pool[rng.integers(0, len(pool), len(m))]
        elif name == "end_before_start":
            s, e = col[spec[1]], col[spec[2]]
            rows[m, e] = _shift_days(rows[m, s].astype(str), -rng.integers(1, 300, len(m)))
        elif name == "code":
            pool = np.array(spec[2:])
            rows[m, col[spec[1]]] = pool[rng.integers(0, len(pool), len(m))]
        elif name == "postcode":
            pool = np.array(spec[1:])
            rows[m, col["LAND"]] = "BE"
            rows[m, col["POSTCODE"]] = pool[rng.integers(0, len(pool), len(m))]
        elif name == "fieldcount":
            broken_count[m] = True
        elif name == "conflict":
            # every second row of this kind copies the key of the one before it
            if len(m) % 2:  # an odd one out loses its key instead
                rows[m[-1], col[KEY_COLUMN[extract]]] = ""
                m = m[:-1]
            a, b = m[0::2], m[1::2]
            rows[b] = rows[a]
            c = col[spec[1]]
            if spec[1] == "UITKOMST":
                rows[b, c] = np.where(rows[a, c] == "BEHOUD", "AANPASSING", "BEHOUD")
            else:
                rows[b, c] = _shift_days(rows[a, c].astype(str), -np.ones(len(b), dtype=np.int64))
    short = broken_count & (np.arange(n) % 2 == 1)
    long = broken_count & ~short
    lines = np.array([";".join(r) for r in rows[:, :-1].tolist()], dtype=object)
    lines = np.where(short, lines, lines + ";" + rows[:, -1].astype(str))
    lines = np.where(long, lines + ";x", lines)
    _, first = np.unique(lines.astype(str), return_index=True)  # no bad row twice
    return lines[np.sort(first)].tolist()
