"""Stage 5, publication: the analysts' file changes only when every blocking check passed."""

from collections.abc import Sequence
from pathlib import Path

from dagster import (
    AssetCheckKey,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetsDefinition,
    DagsterEventType,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_dbt import get_asset_key_for_model

from ...publication import publish, published_models, published_tables
from ..faults import FaultInjection
from ..resources import Published, Warehouse
from .keys import DELIVERY_KEY, PUBLICATION_KEY
from .transformation import doorstroom_dbt_assets, manifest


def check_gate(context: AssetExecutionContext, required: Sequence[AssetCheckKey]) -> list[AssetCheckKey]:
    """The checks evaluated in this run; raises unless the delivery was accepted in this run, and
    every required check ran and none failed blocking."""
    records = context.instance.get_records_for_run(
        run_id=context.run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    evaluations = {}
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        evaluations[evaluation.asset_check_key] = evaluation
    missing = sorted(set(required) - set(evaluations), key=str)
    failed = sorted(
        (k for k, e in evaluations.items() if not e.passed and e.severity == AssetCheckSeverity.ERROR),
        key=str,
    )
    materialized = {
        r.event_log_entry.dagster_event.asset_key
        for r in context.instance.get_records_for_run(
            run_id=context.run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION
        ).records
    }
    unaccepted = DELIVERY_KEY not in materialized
    if missing or failed or unaccepted:

        def names(keys: list[AssetCheckKey]) -> str:
            shown = ", ".join(f"{k.name} on {k.asset_key.to_user_string()}" for k in keys[:10])
            return shown + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")

        reasons = []
        if unaccepted:
            reasons.append("the delivery was not accepted in this run (run the whole pipeline job)")
        if failed:
            reasons.append(f"blocking checks failed: {names(failed)}")
        if missing:
            reasons.append(f"checks not run in this run: {names(missing)} (run the whole pipeline job)")
        raise Failure(
            description="Not published; the previous publication stays in place. " + "; ".join(reasons)
        )
    return sorted(evaluations, key=str)


def make_publication_asset(required_checks: Sequence[AssetCheckKey]) -> AssetsDefinition:
    @asset(
        key=PUBLICATION_KEY,
        group_name="published",
        deps=[get_asset_key_for_model([doorstroom_dbt_assets], m) for m in published_models(manifest())],
        description=(
            "The analysts' read-only DuckDB file (DOORSTROOM_PUBLISHED): the contract's part C tables "
            "and the publication row. Written only when every blocking check of the same run passed, "
            "into a new file that replaces the old one atomically."
        ),
        kinds={"duckdb"},
    )
    def published_file(
        context: AssetExecutionContext, warehouse: Warehouse, published: Published, faults: FaultInjection
    ) -> MaterializeResult:
        passed = check_gate(context, required_checks)
        with warehouse.connect() as con:
            counts = publish(
                con,
                Path(published.path),
                published_tables(manifest()),
                [f"{k.asset_key.to_user_string()}:{k.name}" for k in passed],
                context.run.run_id,
                checkpoint=faults.checkpoint,
            )
        context.log.info(f"published {published.path}: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
        return MaterializeResult(
            metadata={
                "path": MetadataValue.path(published.path),
                "checks_passed": len(passed),
                **{f"rows/{t}": n for t, n in counts.items()},
            }
        )

    return published_file
