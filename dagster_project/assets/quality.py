"""Great Expectations suites as blocking Dagster asset checks."""

from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)
from dagster_dbt import get_asset_key_for_model

from ..quality.expectations import Suite, load_suites, validate
from ..resources import Warehouse
from .dbt import doorstroom_dbt_assets

GX_CHECK_PREFIX = "gx_"


def suite_asset_key(suite: Suite) -> AssetKey:
    """A raw asset by its path ("raw/loads"), a dbt model by its name (never typed as a key)."""
    if "/" in suite.asset:
        return AssetKey(suite.asset.split("/"))
    return get_asset_key_for_model([doorstroom_dbt_assets], suite.asset)


def _gx_check(suite: Suite) -> AssetChecksDefinition:
    @asset_check(
        asset=suite_asset_key(suite),
        name=f"{GX_CHECK_PREFIX}{suite.name}",
        blocking=True,
        description=f"Great Expectations suite expectations/{suite.name}.json: {suite.description}",
    )
    def _check(warehouse: Warehouse) -> AssetCheckResult:
        with warehouse.connect() as con:
            frame = con.execute(suite.sql).df()
        docs_dir = Path(warehouse.path).parent / "gx_data_docs"
        outcome = validate(suite, frame, docs_dir=docs_dir)
        return AssetCheckResult(
            passed=outcome.passed,
            severity=AssetCheckSeverity.ERROR,
            description="; ".join(outcome.failures) or f"{outcome.evaluated} expectations met",
            metadata={
                "rows_validated": len(frame),
                "expectations": outcome.evaluated,
                "failures": MetadataValue.md("\n".join(f"- {f}" for f in outcome.failures) or "none"),
                "data_docs": MetadataValue.path(str(docs_dir / "index.html")),
            },
        )

    return _check


GX_CHECKS = [_gx_check(suite) for suite in load_suites()]
