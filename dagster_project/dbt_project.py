"""The dbt project (repository root: dbt_project.yml, profiles.yml, dbt_models/, seeds/)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from .settings import PROJECT_ROOT

DBT_TARGET_PATH = PROJECT_ROOT / "data" / "dbt" / "target"
# dbt artifacts and logs stay in the ignored data folder. dagster-dbt copies the
# partial-parse file from DBT_TARGET_PATH into each invocation's own target folder.
os.environ.setdefault("DBT_TARGET_PATH", str(DBT_TARGET_PATH))
os.environ.setdefault("DBT_LOG_PATH", str(PROJECT_ROOT / "data" / "dbt" / "logs"))

# The dbt of this environment, found whether or not the virtualenv is on PATH.
DBT_EXECUTABLE = shutil.which("dbt") or str(Path(sys.executable).with_name("dbt"))

doorstroom_dbt = DbtProject(
    project_dir=PROJECT_ROOT,
    profiles_dir=PROJECT_ROOT,
    target_path=DBT_TARGET_PATH,
)
# Under `dagster dev` the manifest is re-parsed on load; elsewhere `make` runs
# `dbt parse` first (see the Makefile's manifest target).
doorstroom_dbt.prepare_if_dev()
