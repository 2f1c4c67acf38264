"""The one Dagster code location of doorstroom."""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor
from dagster_dbt import DbtCliResource

from .assets.dbt import doorstroom_dbt_assets
from .assets.ingestion import INGESTION_ASSETS, raw_loads, raw_quarantine
from .dbt_project import DBT_EXECUTABLE, doorstroom_dbt
from .resources import resources_from
from .settings import Settings

PIPELINE_JOB = "doorstroom_pipeline"

pipeline_job = define_asset_job(
    PIPELINE_JOB,
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description="Every asset over the landing folder: ingestion, dbt build with its tests, facts.",
)


def build_definitions(settings: Settings) -> Definitions:
    return Definitions(
        assets=[*INGESTION_ASSETS, raw_loads, raw_quarantine, doorstroom_dbt_assets],
        jobs=[pipeline_job],
        resources={
            **resources_from(settings),
            "dbt": DbtCliResource(project_dir=doorstroom_dbt, dbt_executable=DBT_EXECUTABLE),
        },
    )


defs = build_definitions(Settings.from_env())
