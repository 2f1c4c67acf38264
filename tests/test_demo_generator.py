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
import pytest

from dagster_project.demo import generate

COLUMNS = {
    "wop": ["WOP_ID", "INSZ", "MAATREGEL", "KBO_WERKGEVER", "STARTDATUM", "EINDDATUM"],
    "tewerkstelling": ["INSZ", "KBO_WERKGEVER", "NACE", "STARTDATUM", "EINDDATUM"],
    "verblijfplaats": ["INSZ", "LAND", "POSTCODE", "GELDIG_VAN", "GELDIG_TOT"],
    "evaluatie": ["EVALUATIE_ID", "INSZ", "WOP_ID", "DATUM", "AANLEIDING", "POP_DATUM", "UITKOMST"],
}
KEYS = {"wop": "WOP_ID", "evaluatie": "EVALUATIE_ID"}


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


# ---------------------------------------------------------------- determinism


def _digest(result: dict[str, Any]) -> dict[str, str]:
    return {n: hashlib.sha256(Path(p).read_bytes()).hexdigest() for n, p in result["files"].items()}


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", seed=7, scale=0.1)
    b = generate(tmp_path / "b", seed=7, scale=0.1)
    c = generate(tmp_path / "c", seed=8, scale=0.1)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)
