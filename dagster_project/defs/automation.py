"""The nightly schedule and the landing-folder sensor of the pipeline job."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from dagster import (
    DefaultScheduleStatus,
    DefaultSensorStatus,
    JobDefinition,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    schedule,
    sensor,
)

from ..ingestion.acceptance import PublishedFileUnreadable
from ..ingestion.extracts import EXTRACTS
from ..ingestion.freshness import up_to_date
from ..ingestion.landing import LandingError, extract_files
from . import recovery
from .resources import Landing, Published

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

    PipelineJob = JobDefinition | UnresolvedAssetJobDefinition

NIGHTLY_CRON = "0 2 * * *"
TIMEZONE = "Europe/Brussels"


def complete_deliveries(landing_dir: Path) -> list[str]:
    """Extraction dates (YYYYMMDD) for which all four extracts are in the landing folder, oldest first."""
    extracts_by_date: dict[str, set[str]] = defaultdict(set)
    for f in extract_files(landing_dir):
        extracts_by_date[f.extraction_date.strftime("%Y%m%d")].add(f.extract)
    return sorted(d for d, extracts in extracts_by_date.items() if extracts == set(EXTRACTS))


def nightly_schedule(job: PipelineJob) -> ScheduleDefinition:
    @schedule(
        name="nightly_pipeline",
        job=job,
        cron_schedule=NIGHTLY_CRON,
        execution_timezone=TIMEZONE,
        default_status=DefaultScheduleStatus.RUNNING,
        description=(
            "Every night at 02:00 Brussels time: the whole pipeline over the landing folder, "
            "skipped when the published file already holds the newest delivery."
        ),
    )
    def _schedule(
        context: ScheduleEvaluationContext, landing: Landing, published: Published
    ) -> RunRequest | SkipReason:
        recovery.fail_dead_runs(context.instance)
        if reason := _published_already(landing, published):
            return SkipReason(f"nothing to do: {reason}")
        return RunRequest(tags={"doorstroom/trigger": "nightly"})

    return _schedule


def _published_already(landing: Landing, published: Published) -> str | None:
    try:
        return up_to_date(Path(landing.path), Path(published.path))
    except (LandingError, PublishedFileUnreadable):
        return None  # the run fails and says why, where the operator looks


def delivery_sensor(job: PipelineJob) -> SensorDefinition:
    @sensor(
        name="new_delivery",
        job=job,
        minimum_interval_seconds=60,
        default_status=DefaultSensorStatus.RUNNING,
        description=(
            "Launches one pipeline run when a complete new delivery (all four extracts with one new "
            "extraction date) has arrived in the landing folder; a partial delivery waits."
        ),
    )
    def _sensor(
        context: SensorEvaluationContext, landing: Landing, published: Published
    ) -> SensorResult | SkipReason:
        # Every tick: a writer run whose process died would hold the queue for ever.
        recovery.fail_dead_runs(context.instance)
        try:
            complete = complete_deliveries(Path(landing.path))
        except LandingError as exc:
            return SkipReason(str(exc))
        newest_done = context.cursor or ""
        new = [d for d in complete if d > newest_done]
        if not new:
            return SkipReason(f"no complete new delivery (last processed: {newest_done or 'none'})")
        # One run processes the newest files of every extract: launch it for the newest delivery,
        # unless the published file already holds it (make demo published it, say).
        date = new[-1]
        if reason := _published_already(landing, published):
            return SensorResult(skip_reason=f"nothing to do: {reason}", cursor=date)
        return SensorResult(
            run_requests=[RunRequest(run_key=f"delivery-{date}", tags={"doorstroom/delivery": date})],
            cursor=date,
        )

    return _sensor
