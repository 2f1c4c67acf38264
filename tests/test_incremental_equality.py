"""Nightly runs over a sequence of deliveries equal a cold build on the last one (issue 14).

Three quarterly demo deliveries (2025-06-30, -09-30, -12-31) with their retroactive
corrections (employment lines changed or withdrawn, WOP end dates moved, one across a
year boundary, a person withdrawn from every extract) are run one after the other on one
warehouse, as the nightly schedule does; then the last delivery alone is built cold in
an empty warehouse. Every published table must be equal, cell for cell and in its order.
This is the guard for any incremental shortcut in the nightly run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.demo.generator import generate_deliveries

from .conftest import KEY
from .pipeline_support import run_in_process, settings_for


def _tables(published: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        names = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        return {n: con.execute(f"select * from {n}").fetchall() for n in names if n != "publication"}
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("incremental")
    generated = generate_deliveries(tmp / "deliveries", seed=42, scale=0.05, quarters=3)
    folders = sorted(p for p in (tmp / "deliveries").iterdir() if p.is_dir())
    warm = settings_for(tmp / "warm", tmp / "warm" / "landing")
    snapshots = []
    for folder in folders:  # night after night: the new delivery supersedes the previous one
        for f in folder.glob("*.csv"):
            warm.landing_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, warm.landing_dir / f.name)
        result = run_in_process(warm, KEY)
        assert result.success, folder.name
        snapshots.append(_tables(warm.published))
    cold = settings_for(tmp / "cold", folders[-1])
    assert run_in_process(cold, KEY).success
    return {
        "corrections": generated["corrections"],
        "snapshots": snapshots,
        "warm": snapshots[-1],
        "cold": _tables(cold.published),
    }


def test_the_sequence_holds_the_corrections_the_equality_must_survive(runs):
    kinds = {c["kind"] for c in runs["corrections"]}
    assert "person_withdrawn" in kinds
    moved = [c for c in runs["corrections"] if c["kind"] == "wop_end_moved"]
    assert any(c["old_end"][:4] != c["new_end"][:4] for c in moved)  # across a cohort year
    assert len([c for c in runs["corrections"] if c["extract"] == "tewerkstelling"]) > 0


def test_the_moving_cutoff_completes_a_cohort_year(runs):
    """2023 + 24 months = 2025-12-31: provisional in the first delivery, complete in the last."""

    def complete(tables: dict) -> dict[int, bool]:
        return {r[0]: r[4] for r in tables["transitions_by_province"]}

    assert complete(runs["snapshots"][0])[2023] is False
    assert complete(runs["warm"])[2023] is True


def test_nightly_runs_equal_a_cold_build_on_the_last_delivery(runs):
    warm, cold = runs["warm"], runs["cold"]
    assert set(warm) == set(cold)
    for table in sorted(cold):
        assert warm[table] == cold[table], table  # every cell, in the published order
    assert runs["snapshots"][0] != warm  # the deliveries did change the figures
