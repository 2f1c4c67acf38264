"""Running the real Dagster pipeline in process against temporary paths."""

from __future__ import annotations

import os
from pathlib import Path

from dagster import DagsterInstance, ExecuteInProcessResult

from dagster_project.definitions import PIPELINE_JOB, build_definitions
from dagster_project.settings import Settings


def settings_for(tmp: Path, landing: Path) -> Settings:
    env = {
        "DOORSTROOM_LANDING_DIR": str(landing),
        "DOORSTROOM_WAREHOUSE": str(tmp / "warehouse.duckdb"),
        "DOORSTROOM_PUBLISHED": str(tmp / "published" / "doorstroom.duckdb"),
        "DOORSTROOM_TEMP_DIR": str(tmp / "duckdb_tmp"),
        "DOORSTROOM_MEMORY_LIMIT": "4GB",
    }
    return Settings.from_env(env)


def run_pipeline(
    settings: Settings, key: bytes, instance: DagsterInstance | None = None
) -> ExecuteInProcessResult:
    """Execute the pipeline job of freshly built Definitions (pseudonym key from the environment)."""
    os.environ["DOORSTROOM_PSEUDONYM_KEY"] = key.decode()
    try:
        job = build_definitions(settings).resolve_job_def(PIPELINE_JOB)
        return job.execute_in_process(instance=instance or DagsterInstance.ephemeral(), raise_on_error=False)
    finally:
        del os.environ["DOORSTROOM_PSEUDONYM_KEY"]
