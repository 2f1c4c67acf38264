"""The dbt project (repository root: dbt_project.yml, profiles.yml, dbt_models/, seeds/) and
its CLI resource, made from the settings."""

from __future__ import annotations

from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from ..settings import PROJECT_ROOT, Settings
from .dbt_cli import DbtCli

# dbt of this environment, started through a wrapper that has it killed when the pipeline
# process dies (kill -9 included): an orphaned dbt would hold the warehouse lock.
DBT_EXECUTABLE = str(Path(__file__).with_name("dbt_child.sh"))

# Artifacts (the manifest that the assets are defined from, each run's target folder) go
# where the settings say; dagster-dbt copies the partial-parse file from there into each
# invocation's own target folder beside it.
doorstroom_dbt = DbtProject(
    project_dir=PROJECT_ROOT,
    profiles_dir=PROJECT_ROOT,
    target_path=Settings.from_env().dbt_target_path,
)
# Under `dagster dev` the manifest is re-parsed on load; elsewhere `make` runs
# `dbt parse` first (see the Makefile's manifest target).
doorstroom_dbt.prepare_if_dev()


def dbt_resource(settings: Settings) -> DbtCliResource:
    """dbt over the settings' warehouse: an explicit profile written from profiles.yml and the
    settings (nothing reaches dbt through this process's environment)."""
    return DbtCli(
        project_dir=doorstroom_dbt,
        profiles_dir=str(settings.write_dbt_profile()),
        dbt_executable=DBT_EXECUTABLE,
    )
