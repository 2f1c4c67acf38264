"""The dbt project (repository root: dbt_project.yml, profiles.yml, dbt_models/, seeds/)."""

from __future__ import annotations

import os
from pathlib import Path

from dagster_dbt import DbtProject

from .settings import PROJECT_ROOT

# dbt artifacts and logs stay in the ignored data folder (or where DBT_TARGET_PATH says:
# the tests use a temporary one). dagster-dbt copies the partial-parse file from
# DBT_TARGET_PATH into each invocation's own target folder beside it.
DBT_TARGET_PATH = Path(os.environ.get("DBT_TARGET_PATH") or PROJECT_ROOT / "data" / "dbt" / "target")
os.environ.setdefault("DBT_TARGET_PATH", str(DBT_TARGET_PATH))
os.environ.setdefault("DBT_LOG_PATH", str(PROJECT_ROOT / "data" / "dbt" / "logs"))

# dbt of this environment, started through a wrapper that has it killed when the pipeline
# process dies (kill -9 included): an orphaned dbt would hold the warehouse lock.
DBT_EXECUTABLE = str(Path(__file__).with_name("dbt_child.sh"))

doorstroom_dbt = DbtProject(
    project_dir=PROJECT_ROOT,
    profiles_dir=PROJECT_ROOT,
    target_path=DBT_TARGET_PATH,
)
# Under `dagster dev` the manifest is re-parsed on load; elsewhere `make` runs
# `dbt parse` first (see the Makefile's manifest target).
doorstroom_dbt.prepare_if_dev()
