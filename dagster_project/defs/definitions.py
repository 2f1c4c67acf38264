"""The one Dagster code location of doorstroom: five stages, one job, its automation."""

from __future__ import annotations

import os
from collections.abc import Mapping

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from ..settings import Settings
from .assets.acceptance import raw_delivery
from .assets.ingestion import INGESTION_ASSETS, raw_loads, raw_quarantine
from .assets.publication import make_publication_asset
from .assets.quality import GX_CHECKS
from .assets.transformation import doorstroom_dbt_assets
from .automation import delivery_sensor, nightly_schedule
from .console import doorstroom_console
from .dbt_project import dbt_resource
from .recovery import WAREHOUSE_WRITER_TAG
from .resources import resources_from

PIPELINE_JOB = "doorstroom_pipeline"

pipeline_job = define_asset_job(
    PIPELINE_JOB,
    selection=AssetSelection.all(),
    executor_def=in_process_executor,  # per-step subprocesses cost seconds each
    tags={WAREHOUSE_WRITER_TAG: "writer"},  # one at a time: see dagster_project/defs/dagster.yaml
    description="Every asset over the landing folder: acceptance, ingestion, dbt, quality gate, publication.",
)


def build_definitions(
    settings: Settings, env: Mapping[str, str] | None = None, key: str | None = None
) -> Definitions:
    """The code location over ``settings``; ``key``: the pseudonym key (default: the environment's)."""
    env = os.environ if env is None else env
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
        schedules=[nightly_schedule(pipeline_job)],
        sensors=[delivery_sensor(pipeline_job)],
        resources={**resources_from(settings, env, key), "dbt": dbt_resource(settings)},
    )


defs = build_definitions(Settings.from_env())
