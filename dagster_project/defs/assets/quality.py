"""Stage 4, the quality gate's Great Expectations suites, as blocking Dagster asset checks.

The row-level rules are dbt tests (checks of the dbt assets, stage 3). Each GX suite
validates the rows of its dbt model in the ``quality`` folder, so all suites run in one
step after dbt, in one GX context; it keeps the results and renders the gate's report
page again, and every check result points at that page.
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

from ...quality.expectations import Suite, load_suites, validate_all
from ...quality.report import report_path
from ..resources import DataQuality, Warehouse
from .transformation import doorstroom_dbt_assets, manifest

GX_CHECK_PREFIX = "gx_"


def _model_key(model: str) -> AssetKey:
    return get_asset_key_for_model([doorstroom_dbt_assets], model)  # raises on a mistyped name


def suite_asset_key(suite: Suite) -> AssetKey:
    """The dbt model the check is shown on, by name (never typed as a key). The suite on the
    loads is shown on its quality model, not on raw/loads: every suite runs after dbt, and
    dbt runs after raw/loads, whose blocking checks would have to run first."""
    return _model_key(suite.asset)


def suite_check_key(suite: Suite) -> AssetCheckKey:
    return AssetCheckKey(suite_asset_key(suite), f"{GX_CHECK_PREFIX}{suite.name}")


def frame_sql(suite: Suite) -> str:
    """The rows the suite validates: its quality model, where dbt built it."""
    node = next(
        n for n in manifest()["nodes"].values() if n["resource_type"] == "model" and n["name"] == suite.model
    )
    return f"select * from {node['schema']}.{node['alias']}"


def _gx_checks(suites: list[Suite]) -> AssetChecksDefinition:
    """One step validating every suite in one GX context (one render of the report).

    Subsettable: a run that selects some of the checks (the UI) validates only those.
    """

    @multi_asset_check(
        name=f"{GX_CHECK_PREFIX}suites",
        specs=[
            AssetCheckSpec(
                name=suite_check_key(suite).name,
                asset=suite_check_key(suite).asset_key,
                additional_deps=[_model_key(suite.model)] if suite.model != suite.asset else [],
                blocking=True,
                description=f"Great Expectations suite expectations/{suite.name}.json on the rows of "
                f"{suite.model}: {suite.description}",
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
            frames = [con.execute(frame_sql(suite)).df() for suite in selected]
        docs_dir = Path(data_quality.docs_dir)
        outcomes = validate_all(
            list(zip(selected, frames, strict=True)), docs_dir=docs_dir, run_id=context.run.run_id
        )
        for suite, frame, outcome in zip(selected, frames, outcomes, strict=True):
            key = suite_check_key(suite)
            yield AssetCheckResult(
                asset_key=key.asset_key,
                check_name=key.name,
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


GX_CHECKS = [_gx_checks(load_suites())]
