"""Great Expectations suites as blocking Dagster asset checks.

Each step keeps its suites' results and renders the gate's report page again (readable
offline, both steps' suites on it); every check result points at that page.
"""

from collections.abc import Iterator
from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)
from dagster_dbt import get_asset_key_for_model

from ..quality.expectations import Suite, load_suites, validate_all
from ..quality.report import report_path
from ..resources import DataQuality, Warehouse
from .dbt import doorstroom_dbt_assets

GX_CHECK_PREFIX = "gx_"


def suite_asset_key(suite: Suite) -> AssetKey:
    """A raw asset by its path ("raw/loads"), a dbt model by its name (never typed as a key)."""
    if "/" in suite.asset:
        return AssetKey(suite.asset.split("/"))
    return get_asset_key_for_model([doorstroom_dbt_assets], suite.asset)


def suite_check_key(suite: Suite) -> AssetCheckKey:
    return AssetCheckKey(suite_asset_key(suite), f"{GX_CHECK_PREFIX}{suite.name}")


def _gx_checks(stage: str, suites: list[Suite]) -> AssetChecksDefinition:
    """One step validating the stage's suites in one GX context (one render of the report).

    Subsettable: a run that selects some of the checks (the UI) validates only those.
    """

    @multi_asset_check(
        name=f"{GX_CHECK_PREFIX}{stage}_suites",
        specs=[
            AssetCheckSpec(
                name=suite_check_key(suite).name,
                asset=suite_check_key(suite).asset_key,
                blocking=True,
                description=f"Great Expectations suite expectations/{suite.name}.json: {suite.description}",
            )
            for suite in suites
        ],
        can_subset=True,
    )
    def _checks(
        context: AssetCheckExecutionContext, warehouse: Warehouse, data_quality: DataQuality
    ) -> Iterator[AssetCheckResult]:
        selected = [s for s in suites if suite_check_key(s) in context.selected_asset_check_keys]
        with warehouse.connect() as con:
            frames = [con.execute(suite.sql).df() for suite in selected]
        docs_dir = Path(data_quality.docs_dir)
        outcomes = validate_all(
            list(zip(selected, frames, strict=True)), docs_dir=docs_dir, run_id=context.run.run_id
        )
        for suite, frame, outcome in zip(selected, frames, outcomes, strict=True):
            yield AssetCheckResult(
                asset_key=suite_asset_key(suite),
                check_name=suite_check_key(suite).name,
                passed=outcome.passed,
                severity=AssetCheckSeverity.ERROR,
                description="; ".join(outcome.failures) or f"{outcome.evaluated} expectations met",
                metadata={
                    "rows_validated": len(frame),
                    "expectations": outcome.evaluated,
                    "failures": MetadataValue.md("\n".join(f"- {f}" for f in outcome.failures) or "none"),
                    "report": MetadataValue.path(str(report_path(docs_dir))),
                },
            )

    return _checks


def _by_stage(suites: list[Suite]) -> dict[str, list[Suite]]:
    stages: dict[str, list[Suite]] = {}
    for suite in suites:
        stages.setdefault(suite.stage, []).append(suite)
    return stages


GX_CHECKS = [_gx_checks(stage, suites) for stage, suites in _by_stage(load_suites()).items()]
