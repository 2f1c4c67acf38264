"""Every dbt unit test (the rules of contract part B, hand-computed) against a real DuckDB."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from dagster_project.ingestion.loader import prepare
from dagster_project.settings import PROJECT_ROOT

from .conftest import KEY

DBT = str(Path(sys.executable).with_name("dbt"))


def _dbt(args: list[str], env: dict[str, str], target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DBT, *args, "--profiles-dir", ".", "--target-path", str(target)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_unit_test_passes(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    prepare(con, KEY)  # the raw schema, empty
    con.close()
    env = {**os.environ, "DOORSTROOM_WAREHOUSE": str(warehouse), "DOORSTROOM_TEMP_DIR": str(tmp_path / "tmp")}
    target = tmp_path / "target"
    # Unit tests need their parents to exist: build every model empty first.
    built = _dbt(
        ["build", "--empty", "--exclude-resource-type", "unit_test", "--exclude-resource-type", "test"],
        env,
        target,
    )
    assert built.returncode == 0, built.stdout[-3000:]
    tested = _dbt(["test", "--select", "test_type:unit"], env, target)
    assert tested.returncode == 0, tested.stdout[-5000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    unit = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit) >= 24
    assert {r["status"] for r in unit} == {"pass"}


def test_not_null_columns_names_each_column_with_nulls(tmp_path: Path) -> None:
    """The generic test that replaces per-column not_null tests: one row per column with nulls."""
    env = {
        **os.environ,
        "DOORSTROOM_WAREHOUSE": str(tmp_path / "w.duckdb"),
        "DOORSTROOM_TEMP_DIR": str(tmp_path),
    }
    rows = "(values (1, 'x', null), (null, 'y', null), (3, 'z', 1)) as t(a, b, c)"
    inline = f'{{{{ test_not_null_columns(model="{rows}", column_names=["a", "b", "c"]) }}}}'
    shown = _dbt(
        ["show", "--inline", inline, "--output", "json", "--log-format", "json"], env, tmp_path / "t"
    )
    assert shown.returncode == 0, shown.stdout[-3000:]
    preview = next(
        json.loads(line)["data"]["preview"] for line in shown.stdout.splitlines() if '"preview"' in line
    )
    assert sorted((r["column_name"], r["null_rows"]) for r in json.loads(preview)) == [("a", 1), ("c", 2)]
