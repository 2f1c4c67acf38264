"""The demo generator: contract form, bad rows, realistic shape, determinism.

That the calibrated delivery gives the official figures, and that exactly the bad
lines it reports are quarantined, is asserted on the real pipeline in
test_pipeline_demo.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest

from dagster_project.demo import generate
from dagster_project.demo.dates import day
from dagster_project.demo.employment import line_nace
from dagster_project.demo.population import nace_2025_of
from dagster_project.demo.reference import NACE_CATEGORIES, NACE_INDEX, ODD_NACE

COLUMNS = {
    "wop": ["WOP_ID", "INSZ", "MAATREGEL", "KBO_WERKGEVER", "STARTDATUM", "EINDDATUM"],
    "tewerkstelling": ["INSZ", "KBO_WERKGEVER", "NACE", "STARTDATUM", "EINDDATUM"],
    "verblijfplaats": ["INSZ", "LAND", "POSTCODE", "GELDIG_VAN", "GELDIG_TOT"],
    "evaluatie": ["EVALUATIE_ID", "INSZ", "WOP_ID", "DATUM", "AANLEIDING", "POP_DATUM", "UITKOMST"],
}
KEYS = {"wop": "WOP_ID", "evaluatie": "EVALUATIE_ID"}
# The odd NACE codes a line can get (empty aside): none in division 45.
ODD = ("8810", "88.1", "A1.234", "00.000", "04.100", "34.000", "40.110")
# NACE-BEL 2025 codes of the demo's garages (45.200 in NACE-BEL 2008), compact form.
GARAGE_2025 = {"95311", "95313", "95314", "95315", "95319"}


@pytest.fixture(scope="module")
def delivery(demo_delivery: dict[str, Any]) -> dict[str, Any]:
    return demo_delivery


def _lines(path: str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").split("\n")[:-1]


@pytest.fixture(scope="module")
def oracle_db(delivery: dict[str, Any], tmp_path_factory: pytest.TempPathFactory):
    """The delivery's good rows (the reported bad lines left out) in DuckDB, dates typed."""
    tmp = tmp_path_factory.mktemp("good")
    con = duckdb.connect()
    for name, path in delivery["files"].items():
        bad = set(delivery["bad_lines"][name])
        good = [ln for i, ln in enumerate(_lines(path), start=1) if i not in bad]
        good_path = tmp / f"{name}.csv"
        good_path.write_text("\n".join(good) + "\n", encoding="utf-8")
        casts = ", ".join(
            f"CAST({c} AS DATE) AS {c}" if c.endswith("DATUM") or c.startswith("GELDIG") else c
            for c in COLUMNS[name]
        )
        con.execute(
            f"CREATE TABLE {name} AS SELECT {casts} FROM read_csv('{good_path}', delim=';', "
            "header=true, all_varchar=true)"
        )
    yield con
    con.close()


def test_files_and_headers(delivery: dict[str, Any]) -> None:
    for name, path in delivery["files"].items():
        assert Path(path).name == f"{name}_20250630.csv"
        with open(path, encoding="utf-8") as f:
            assert f.readline().rstrip("\n").split(";") == COLUMNS[name]


def test_bad_rows_are_few_and_use_fresh_keys(delivery: dict[str, Any], oracle_db) -> None:
    for name, path in delivery["files"].items():
        lines = _lines(path)
        bad = delivery["bad_lines"][name]
        assert len(lines) - 1 == delivery["rows"][name]
        assert 0 < len(bad) < 0.05 * delivery["rows"][name] and delivery["duplicates"][name] > 0
    # Bad rows never share a key with a good row, so they never spoil one.
    for name, key in KEYS.items():
        lines = _lines(delivery["files"][name])
        k = COLUMNS[name].index(key)
        bad_lines = set(delivery["bad_lines"][name])
        bad_keys = {lines[i - 1].split(";")[k] for i in bad_lines if len(lines[i - 1].split(";")) > k}
        good_keys = {ln.split(";")[k] for i, ln in enumerate(lines[1:], start=2) if i not in bad_lines}
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


# ---------------------------------------------------------------- NACE-BEL 2025


def _names(codes: np.ndarray) -> list[str]:
    return [NACE_CATEGORIES[i] for i in codes]


def test_nace_bel_2025_code_of_an_employer() -> None:
    """Only division 45 changes: the k-th garage takes entry k (mod 8) of 95.311, 95.314,
    95.311, 95.315, 95.311, 95.313, 95.311, 95.319, in its own notation."""
    codes = ["45.200", "47.111", "45200", "45.200", "62010", "45.200", "45200", "45.200", "45.200"]
    codes += ["45.200", "01.110", "45200"]
    got = nace_2025_of(np.array([NACE_INDEX[c] for c in codes], dtype=np.int16))
    assert _names(got) == [
        "95.311",
        "47.111",
        "95314",
        "95.311",
        "62010",
        "95.315",
        "95311",
        "95.313",
        "95.311",
        "95.319",
        "01.110",
        "95311",  # the ninth garage: the list starts again
    ]
    assert set(ODD) == set(ODD_NACE) - {""}
    assert not any(c.startswith("45") for c in ODD_NACE)  # an odd code is never in division 45


def test_a_line_carries_the_code_of_its_start() -> None:
    """Contract part A: NACE-BEL 2008 on a line that starts before 2025-01-01, 2025 from it."""
    employers = np.array([NACE_INDEX["45.200"], NACE_INDEX["47.111"]], dtype=np.int16)
    employer = np.array([0, 0, 0, 1, 1])
    start = np.array([day(d) for d in ("2024-10-01", "2025-01-01", "2025-04-01", "2024-12-31", "2025-01-01")])
    got = line_nace(employers[employer], nace_2025_of(employers)[employer], start)
    assert _names(got) == ["45.200", "95.311", "95.311", "47.111", "47.111"]


def test_nace_bel_2025_from_2025(oracle_db: duckdb.DuckDBPyConnection) -> None:
    """No line from 2025-01-01 on has a division-45 code. Each employer has one code on its
    lines before 2025 and one from 2025 on (odd codes left out): the same code, except for
    the garages (45.200 or 45200), which have one of group 95.31 in their own notation."""
    con = oracle_db
    assert (
        con.execute(
            "SELECT count(*) FROM tewerkstelling WHERE STARTDATUM >= DATE '2025-01-01' AND NACE LIKE '45%'"
        ).fetchone()[0]
        == 0
    )
    assert (
        con.execute(
            "SELECT count(*) FROM tewerkstelling WHERE STARTDATUM < DATE '2025-01-01' "
            "AND replace(NACE, '.', '') LIKE '9531%'"
        ).fetchone()[0]
        == 0
    )
    rows = con.execute(
        f"""SELECT KBO_WERKGEVER, STARTDATUM >= DATE '2025-01-01', list(DISTINCT NACE)
            FROM tewerkstelling WHERE NACE IS NOT NULL AND NACE NOT IN {ODD} GROUP BY 1, 2"""
    ).fetchall()
    assert all(len(c) == 1 for _, _, c in rows)
    code = {(kbo, later): c[0] for kbo, later, c in rows}
    both = [kbo for kbo, later in code if later and (kbo, False) in code]
    garages = [kbo for kbo in both if code[kbo, False] in ("45.200", "45200")]
    for kbo in both:
        before, after = code[kbo, False], code[kbo, True]
        if kbo in garages:
            assert after.replace(".", "") in GARAGE_2025 and ("." in after) == ("." in before), kbo
        else:
            assert after == before, kbo
    assert len(both) > 3_000 and len(garages) > 50  # about 3 % of the employers are garages
    assert {code[kbo, True].replace(".", "") for kbo in garages} == GARAGE_2025
    assert {code[kbo, False] for kbo in garages} == {"45.200", "45200"}


# ---------------------------------------------------------------- determinism


def _digest(result: dict[str, Any]) -> dict[str, str]:
    return {n: hashlib.sha256(Path(p).read_bytes()).hexdigest() for n, p in result["files"].items()}


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", seed=7, scale=0.1)
    b = generate(tmp_path / "b", seed=7, scale=0.1)
    c = generate(tmp_path / "c", seed=8, scale=0.1)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)
