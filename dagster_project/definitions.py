"""The one Dagster code location of doorstroom."""

from __future__ import annotations

from pathlib import Path

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from .assets.dbt import doorstroom_dbt_assets
from .assets.ingestion import INGESTION_ASSETS, raw_delivery, raw_loads, raw_quarantine
from .assets.publication import make_publication_asset
from .assets.quality import GX_CHECKS
from .automation import delivery_sensor, nightly_schedule
from .console import doorstroom_console
from .dbt_cli import DbtCli
from .dbt_project import DBT_EXECUTABLE, doorstroom_dbt
from .recovery import WAREHOUSE_WRITER_TAG
from .resources import resources_from
from .settings import Settings

PIPELINE_JOB = "doorstroom_pipeline"

pipeline_job = define_asset_job(
    PIPELINE_JOB,
    selection=AssetSelection.all(),
    executor_def=in_process_executor,  # per-step subprocesses cost seconds each
    tags={WAREHOUSE_WRITER_TAG: "writer"},  # one at a time: see dagster_project/dagster.yaml
    description="Every asset over the landing folder: ingestion, dbt build with its tests, facts.",
)


def build_definitions(settings: Settings) -> Definitions:
    assets = [raw_delivery, *INGESTION_ASSETS, raw_loads, raw_quarantine, doorstroom_dbt_assets]
    # The gate: every check of every asset (dbt tests and GX suites) must pass in the run.
    required_checks = [key for a in assets for key in a.check_keys] + [
        key for c in GX_CHECKS for key in c.check_keys
    ]
    return Definitions(
        assets=[*assets, make_publication_asset(required_checks)],
        asset_checks=GX_CHECKS,
        jobs=[pipeline_job],
        loggers={"console": doorstroom_console},
        schedules=[nightly_schedule(pipeline_job, Path(settings.landing_dir), Path(settings.published))],
        sensors=[delivery_sensor(pipeline_job, Path(settings.landing_dir), Path(settings.published))],
        resources={
            **resources_from(settings),
            "dbt": DbtCli(project_dir=doorstroom_dbt, dbt_executable=DBT_EXECUTABLE),
        },
    )


defs = build_definitions(Settings.from_env())
