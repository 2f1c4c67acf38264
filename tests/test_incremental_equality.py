"""Nightly runs over a sequence of deliveries equal a cold build on the last one (issue 14).

Three quarterly demo deliveries (2025-06-30, -09-30, -12-31) with their retroactive
corrections (employment lines changed or withdrawn, WOP end dates moved, one across a
year boundary, a person withdrawn from every extract) are run one after the other on one
warehouse, as the nightly schedule does; then the last delivery alone is built cold in
an empty warehouse. Every published table must be equal, cell for cell and in its order.
This is the guard of the incremental episodes (dagster_project/incremental.py): the later
nights must really be incremental (a small change set), and a changed state version (other
models, another key) must rebuild everything instead of merging.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dagster_project.demo.generator import generate_deliveries
from dagster_project.settings import PROJECT_ROOT

from .conftest import KEY
from .pipeline_support import run_in_process, settings_for


def _change_set(warehouse: Path) -> tuple[int, int, int]:
    """(changed persons, persons whose spells were extended, all persons) of the last dbt run."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "select count(*) filter (where is_changed), count(*) filter (where lines_extended), count(*) "
            "from intermediate.int_persons_changed"
        ).fetchone()
    finally:
        con.close()


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
    snapshots, change_sets = [], []
    for folder in folders:  # night after night: the new delivery supersedes the previous one
        for f in folder.glob("*.csv"):
            warm.landing_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, warm.landing_dir / f.name)
        result = run_in_process(warm, KEY)
        assert result.success, folder.name
        snapshots.append(_tables(warm.published))
        change_sets.append(_change_set(warm.warehouse))
    cold = settings_for(tmp / "cold", folders[-1])
    assert run_in_process(cold, KEY).success
    return {
        "corrections": generated["corrections"],
        "snapshots": snapshots,
        "change_sets": change_sets,
        "warm_settings": warm,
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


def test_the_later_nights_rebuild_only_the_changed_persons(runs):
    (first_changed, first_extended, first_all), *later = runs["change_sets"]
    assert first_changed == first_all and first_extended == 0  # the first night builds everyone
    for changed, extended, everyone in later:
        # Everyone still employed gets the new quarter's lines: most of them only that
        # (their spells are extended); the corrections make a few rebuild from all lines.
        assert 0 < changed < everyone, (changed, everyone)
        assert changed / 2 < extended < changed, (extended, changed)


def _dbt(args: list[str], settings, target: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DOORSTROOM_WAREHOUSE": str(settings.warehouse),
        "DOORSTROOM_TEMP_DIR": str(settings.temp_dir),
    }
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            *args,
            "--profiles-dir",
            ".",
            "--target-path",
            str(target),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_dbt_refuses_to_merge_into_state_of_another_version(runs, tmp_path: Path):
    """A plain incremental dbt run under another state version (other models or key) stops
    before it changes anything, and says what to do."""
    warm = runs["warm_settings"]
    before = _change_set(warm.warehouse)
    run = _dbt(
        [
            "run",
            "--select",
            "int_person_fingerprints",
            "--vars",
            json.dumps({"episode_state_version": "other"}),
        ],
        warm,
        tmp_path / "target",
    )
    assert run.returncode != 0
    assert "run with --full-refresh" in run.stdout
    assert _change_set(warm.warehouse) == before


def test_a_changed_state_version_rebuilds_everything(runs):
    """State built under other models or another key (here: its recorded version changed) is
    not merged into: the pipeline rebuilds every person, and the figures stay those of a cold build."""
    warm = runs["warm_settings"]
    con = duckdb.connect(str(warm.warehouse))
    con.execute("update intermediate.int_episode_state set state_version = 'built-by-older-models'")
    con.close()
    assert run_in_process(warm, KEY).success
    changed, extended, everyone = _change_set(warm.warehouse)
    assert changed == everyone and extended == 0  # a full build: every person rebuilt
    assert _tables(warm.published) == runs["cold"]
