"""The demo generator: contract form, bad rows, determinism, and an independent oracle.

The oracle recomputes transitions and returns per province for cohort years
2019-2022 straight from the generated CSV files, following part B of the contract
literally in DuckDB SQL (NEC days by interval logic, no merging), and checks the
official figures. The bad rows the generator reports are checked to break a rule of
part A, and every other row to break none, so that skipping them here is what the
ingestion's quarantine does.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dagster_project.demo import generate

CUTOFF = "DATE '2025-06-30'"
PROVINCES = [
    "Antwerpen",
    "Limburg",
    "Oost-Vlaanderen",
    "Vlaams-Brabant",
    "West-Vlaanderen",
    "Brussel",
    "Buiten Brussel/Vlaanderen",
    "Onbekend",
]
OFFICIAL_TRANSITIONS = dict(zip(PROVINCES, [742, 353, 581, 255, 678, 8, 10, 0], strict=True))
OFFICIAL_RETURNS = dict(zip(PROVINCES, [150, 63, 105, 44, 123, 2, 0, 0], strict=True))

COLUMNS = {
    "wop": ["WOP_ID", "INSZ", "MAATREGEL", "KBO_WERKGEVER", "STARTDATUM", "EINDDATUM"],
    "tewerkstelling": ["INSZ", "KBO_WERKGEVER", "NACE", "STARTDATUM", "EINDDATUM"],
    "verblijfplaats": ["INSZ", "LAND", "POSTCODE", "GELDIG_VAN", "GELDIG_TOT"],
    "evaluatie": [
        "EVALUATIE_ID",
        "INSZ",
        "WOP_ID",
        "DATUM",
        "AANLEIDING",
        "POP_DATUM",
        "UITKOMST",
    ],
}
OPTIONAL = {"EINDDATUM", "NACE", "POSTCODE", "GELDIG_TOT", "WOP_ID@evaluatie", "POP_DATUM"}
DATES = {"STARTDATUM", "EINDDATUM", "GELDIG_VAN", "GELDIG_TOT", "DATUM", "POP_DATUM"}
INTERVALS = {
    "wop": ("STARTDATUM", "EINDDATUM"),
    "tewerkstelling": ("STARTDATUM", "EINDDATUM"),
    "verblijfplaats": ("GELDIG_VAN", "GELDIG_TOT"),
}
CODES = {
    "MAATREGEL": {"CM", "IM", "LDE"},
    "AANLEIDING": {"WERKNEMER", "WERKGEVER", "VIJF_JAAR"},
    "UITKOMST": {"DOORSTROOMTRAJECT", "BEHOUD", "AANPASSING"},
}
KEYS = {"wop": "WOP_ID", "evaluatie": "EVALUATIE_ID"}


# ---------------------------------------------------------------- part A, in Python


def valid_insz(v: str) -> bool:
    if not re.fullmatch(r"\d{11}", v):
        return False
    base, cc = int(v[:9]), int(v[9:])
    return cc in (97 - base % 97, 97 - (2_000_000_000 + base) % 97)


def valid_kbo(v: str) -> bool:
    return bool(re.fullmatch(r"[01]\d{9}", v)) and int(v[8:]) == 97 - int(v[:8]) % 97


def valid_date(v: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return False
    try:
        d = __import__("datetime").date.fromisoformat(v)
    except ValueError:
        return False
    return "1950-01-01" <= d.isoformat() <= "2026-06-30"


def breaks_part_a(extract: str, fields: list[str]) -> bool:
    """True when the row breaks a row-level rule of part A (not the key rule)."""
    cols = COLUMNS[extract]
    if len(fields) != len(cols):
        return True
    row = dict(zip(cols, fields, strict=True))
    for c, v in row.items():
        optional = c in OPTIONAL or f"{c}@{extract}" in OPTIONAL
        if v == "":
            if not optional and not (c == "WOP_ID" and extract == "evaluatie"):
                return True
            continue
        if (c == "INSZ" and not valid_insz(v)) or (c == "KBO_WERKGEVER" and not valid_kbo(v)):
            return True
        if (c in DATES and not valid_date(v)) or (c in CODES and v not in CODES[c]):
            return True
    if extract in INTERVALS:
        s, e = (row[c] for c in INTERVALS[extract])
        if e and e < s:
            return True
    if extract == "verblijfplaats" and row["LAND"] == "BE":
        return not re.fullmatch(r"\d{4}", row["POSTCODE"])
    return False


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("demo")
    return generate(out, seed=42, scale=1.0)


def _lines(path: str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").split("\n")[:-1]


@pytest.fixture(scope="module")
def oracle_db(delivery: dict[str, Any], tmp_path_factory: pytest.TempPathFactory):
    """DuckDB with the rows the ingestion would load (bad rows skipped, duplicates once)."""
    tmp = tmp_path_factory.mktemp("good")
    con = duckdb.connect()
    for name, path in delivery["files"].items():
        lines = _lines(path)
        bad = set(delivery["bad_lines"][name])
        good = [ln for i, ln in enumerate(lines, start=1) if i == 1 or i not in bad]
        good_path = tmp / f"{name}.csv"
        good_path.write_text("\n".join(good) + "\n", encoding="utf-8")
        con.execute(
            f"CREATE TABLE {name}_all AS SELECT * FROM read_csv('{good_path}', delim=';', "
            "header=true, all_varchar=true, quote='\"')"
        )
        casts = ", ".join(f"CAST({c} AS DATE) AS {c}" if c in DATES else c for c in COLUMNS[name])
        con.execute(f"CREATE TABLE {name} AS SELECT DISTINCT {casts} FROM {name}_all")
    yield con
    con.close()


# ---------------------------------------------------------------- the oracle (part B)

ORACLE_SQL = f"""
CREATE TEMP TABLE cover AS   -- WOP days, any measure; an open WOP runs to the cutoff
SELECT INSZ AS insz, KBO_WERKGEVER AS kbo, STARTDATUM AS s, coalesce(EINDDATUM, {CUTOFF}) AS e
FROM wop;

CREATE TEMP TABLE emp AS
SELECT INSZ AS insz, KBO_WERKGEVER AS kbo, STARTDATUM AS s,
       least(coalesce(EINDDATUM, {CUTOFF}), {CUTOFF}) AS e
FROM tewerkstelling WHERE STARTDATUM <= {CUTOFF};

CREATE TEMP TABLE cohort AS
SELECT WOP_ID AS wop_id, INSZ AS insz, EINDDATUM AS end_date, EINDDATUM + 1 AS ws,
       least(CAST(EINDDATUM + INTERVAL 24 MONTH AS DATE), {CUTOFF}) AS we
FROM wop WHERE MAATREGEL = 'CM' AND EINDDATUM <= {CUTOFF};

-- First NEC day in the window: the first day of a line (clipped to the window) or
-- the day after a WOP at the same employer ends, that no WOP at that employer covers.
CREATE TEMP TABLE transition AS
WITH part AS (
    SELECT c.wop_id, l.insz, l.kbo, greatest(l.s, c.ws) AS lo, least(l.e, c.we) AS hi
    FROM cohort c JOIN emp l ON l.insz = c.insz AND l.s <= c.we AND l.e >= c.ws
), point AS (
    SELECT wop_id, insz, kbo, lo AS d FROM part
    UNION ALL
    SELECT p.wop_id, p.insz, p.kbo, w.e + 1 FROM part p
    JOIN cover w ON w.insz = p.insz AND w.kbo = p.kbo AND w.e + 1 BETWEEN p.lo AND p.hi
)
SELECT wop_id, min(d) AS tdate FROM point p
WHERE NOT EXISTS (
    SELECT 1 FROM cover w WHERE w.insz = p.insz AND w.kbo = p.kbo AND p.d BETWEEN w.s AND w.e
)
GROUP BY wop_id;

CREATE TEMP TABLE province AS
WITH cand AS (
    SELECT c.wop_id, c.end_date, r.LAND AS land, CAST(r.POSTCODE AS INTEGER) AS pc,
           row_number() OVER (PARTITION BY c.wop_id ORDER BY
               (r.GELDIG_TOT IS NULL OR r.GELDIG_TOT >= c.end_date) DESC,
               r.GELDIG_VAN DESC, CAST(r.POSTCODE AS INTEGER)) AS rn
    FROM cohort c JOIN verblijfplaats r ON r.INSZ = c.insz AND r.GELDIG_VAN <= c.end_date
)
SELECT c.wop_id, CASE
    WHEN p.wop_id IS NULL THEN 'Onbekend'
    WHEN p.land <> 'BE' THEN 'Buiten Brussel/Vlaanderen'
    WHEN p.pc = 2070 AND c.end_date >= DATE '2025-01-01' THEN 'Oost-Vlaanderen'
    WHEN p.pc BETWEEN 1000 AND 1299 THEN 'Brussel'
    WHEN p.pc BETWEEN 1500 AND 1999 OR p.pc BETWEEN 3000 AND 3499 THEN 'Vlaams-Brabant'
    WHEN p.pc BETWEEN 2000 AND 2999 THEN 'Antwerpen'
    WHEN p.pc BETWEEN 3500 AND 3999 THEN 'Limburg'
    WHEN p.pc BETWEEN 8000 AND 8999 THEN 'West-Vlaanderen'
    WHEN p.pc BETWEEN 9000 AND 9999 THEN 'Oost-Vlaanderen'
    ELSE 'Buiten Brussel/Vlaanderen' END AS province
FROM cohort c LEFT JOIN (SELECT * FROM cand WHERE rn = 1) p USING (wop_id);

CREATE TEMP TABLE trans AS
SELECT c.wop_id, c.insz, c.end_date, year(c.end_date) AS cohort_year, t.tdate, p.province
FROM cohort c JOIN transition t USING (wop_id) JOIN province p USING (wop_id);

-- Each WOP starting after a transition date counts once, for the latest transition.
CREATE TEMP TABLE returns AS
SELECT * FROM (
    SELECT w.WOP_ID AS return_wop, t.cohort_year, t.province,
           row_number() OVER (PARTITION BY w.WOP_ID
               ORDER BY t.tdate DESC, t.end_date DESC, t.wop_id) AS rn
    FROM wop w JOIN trans t ON t.insz = w.INSZ AND w.STARTDATUM > t.tdate
) WHERE rn = 1;
"""


@pytest.fixture(scope="module")
def oracle(oracle_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    oracle_db.execute(ORACLE_SQL)
    return oracle_db


def _per_province(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, int]:
    got = dict(
        con.execute(
            f"SELECT province, count(*) FROM {table} "
            "WHERE cohort_year BETWEEN 2019 AND 2022 GROUP BY province"
        ).fetchall()
    )
    return {p: got.get(p, 0) for p in PROVINCES}


def test_oracle_transitions_2019_2022(oracle: duckdb.DuckDBPyConnection) -> None:
    assert _per_province(oracle, "trans") == OFFICIAL_TRANSITIONS
    assert sum(OFFICIAL_TRANSITIONS.values()) == 2627


def test_oracle_returns_2019_2022(oracle: duckdb.DuckDBPyConnection) -> None:
    assert _per_province(oracle, "returns") == OFFICIAL_RETURNS
    assert sum(OFFICIAL_RETURNS.values()) == 487


def test_oracle_matches_plan_every_year(oracle: duckdb.DuckDBPyConnection, delivery: dict[str, Any]) -> None:
    for table, plan in (("trans", "planned_transitions"), ("returns", "planned_returns")):
        got = dict(oracle.execute(f"SELECT cohort_year, count(*) FROM {table} GROUP BY 1").fetchall())
        planned = {y: sum(v.values()) for y, v in delivery[plan].items() if sum(v.values())}
        assert got == planned, table


def test_transitions_in_many_sectors(oracle: duckdb.DuckDBPyConnection) -> None:
    sections = oracle.execute(
        """SELECT count(DISTINCT substr(l.NACE, 1, 2)) FROM trans t
           JOIN tewerkstelling l ON l.INSZ = t.insz AND l.STARTDATUM = t.tdate"""
    ).fetchone()[0]
    assert sections >= 20


# ---------------------------------------------------------------- contract form


def test_files_and_headers(delivery: dict[str, Any]) -> None:
    for name, path in delivery["files"].items():
        assert Path(path).name == f"{name}_20250630.csv"
        with open(path, encoding="utf-8") as f:
            assert f.readline().rstrip("\n").split(";") == COLUMNS[name]


def test_bad_rows_are_bad_and_few(delivery: dict[str, Any]) -> None:
    for name, path in delivery["files"].items():
        lines = _lines(path)
        bad = delivery["bad_lines"][name]
        rows = len(lines) - 1
        assert rows == delivery["rows"][name]
        assert 0 < len(bad) < 0.05 * rows and delivery["duplicates"][name] > 0
        bad_rows = [lines[i - 1].split(";") for i in bad]
        conflicts: set[str] = set()
        if name in KEYS:
            k = COLUMNS[name].index(KEYS[name])
            keys = [r[k] for r in bad_rows if len(r) == len(COLUMNS[name]) and r[k]]
            conflicts = {key for key in keys if keys.count(key) > 1}
            assert len(conflicts) >= 1
        for r in bad_rows:
            key = r[COLUMNS[name].index(KEYS[name])] if name in KEYS else None
            assert breaks_part_a(name, r) or key in conflicts, (name, r)


def test_good_rows_are_good(oracle_db: duckdb.DuckDBPyConnection, delivery: dict[str, Any]) -> None:
    con = oracle_db
    for name in COLUMNS:
        rows = con.execute(f"SELECT * FROM {name}_all USING SAMPLE 20000 ROWS").fetchall()
        assert rows
        for r in rows:
            fields = ["" if v is None else v for v in r]
            assert not breaks_part_a(name, fields), (name, fields)
    for name, key in KEYS.items():
        dup = con.execute(
            f"SELECT count(*) FROM (SELECT {key} FROM {name} GROUP BY 1 HAVING count(*) > 1)"
        ).fetchone()[0]
        assert dup == 0
    # bad rows use keys no good row has, so they never spoil a good row
    for name, key in KEYS.items():
        lines = _lines(delivery["files"][name])
        k = COLUMNS[name].index(key)
        bad_keys = {lines[i - 1].split(";")[k] for i in delivery["bad_lines"][name]}
        good_keys = {r[0] for r in con.execute(f"SELECT {key} FROM {name}").fetchall()}
        assert not bad_keys & good_keys


def test_realistic_shape(oracle_db: duckdb.DuckDBPyConnection) -> None:
    con = oracle_db
    for d in ("2016-06-30", "2019-06-30", "2022-06-30", "2025-06-30"):
        n = con.execute(
            f"""SELECT count(DISTINCT INSZ) FROM wop WHERE MAATREGEL = 'CM'
                AND STARTDATUM <= DATE '{d}' AND coalesce(EINDDATUM, DATE '9999-12-31')
                >= DATE '{d}'"""
        ).fetchone()[0]
        assert 20_000 <= n <= 28_000, (d, n)
    companies = con.execute(
        "SELECT count(DISTINCT KBO_WERKGEVER) FROM wop WHERE MAATREGEL = 'CM'"
    ).fetchone()[0]
    assert 120 <= companies <= 160
    measures = dict(con.execute("SELECT MAATREGEL, count(*) FROM wop GROUP BY 1").fetchall())
    assert measures.keys() == {"CM", "IM", "LDE"}
    assert (
        con.execute("SELECT max(EINDDATUM - STARTDATUM) FROM wop WHERE EINDDATUM IS NOT NULL").fetchone()[0]
        < 5 * 366
    )
    centuries = con.execute("SELECT count(DISTINCT (substr(INSZ, 1, 2) < '10')) FROM wop").fetchone()[0]
    assert centuries == 2
    ev = dict(con.execute("SELECT AANLEIDING, count(*) FROM evaluatie GROUP BY 1").fetchall())
    assert ev["VIJF_JAAR"] > ev["WERKNEMER"] + ev["WERKGEVER"]
    old_pop = con.execute(
        """SELECT avg(CASE WHEN POP_DATUM < CAST(DATUM - INTERVAL 12 MONTH AS DATE)
                  THEN 1 ELSE 0 END) FROM evaluatie WHERE POP_DATUM IS NOT NULL"""
    ).fetchone()[0]
    assert 0.15 <= old_pop <= 0.25


# ---------------------------------------------------------------- determinism


def _digest(result: dict[str, Any]) -> dict[str, str]:
    return {n: hashlib.sha256(Path(p).read_bytes()).hexdigest() for n, p in result["files"].items()}


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", seed=7, scale=0.1)
    b = generate(tmp_path / "b", seed=7, scale=0.1)
    c = generate(tmp_path / "c", seed=8, scale=0.1)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)
