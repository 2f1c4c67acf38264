"""Stage 1, acceptance: the landing folder's delivery judged before anything is loaded."""

from pathlib import Path

from dagster import AssetExecutionContext, Failure, MaterializeResult, asset

from ...ingestion import acceptance
from ...ingestion.landing import Status, survey
from ...ingestion.loader import prepare
from ...ingestion.pseudonym import key_fingerprint
from ..resources import Landing, Pseudonymisation, Published, RunOptions, Warehouse
from .keys import DELIVERY_KEY, RAW_GROUP
from .metadata import markdown_table


@asset(
    key=DELIVERY_KEY,
    group_name=RAW_GROUP,
    description=(
        "Acceptance of the landing folder's delivery: every entry loaded, superseded, ignored or "
        "refused with the reason (raw.landing_files), judged against the last published delivery "
        "(raw.published_files): no refused file, every extract present, no extract older than "
        "the published one, the same pseudonym key."
    ),
    kinds={"duckdb"},
)
def raw_delivery(
    context: AssetExecutionContext,
    warehouse: Warehouse,
    landing: Landing,
    published: Published,
    pseudonymisation: Pseudonymisation,
    run_options: RunOptions,
) -> MaterializeResult:
    key = pseudonymisation.key_bytes()  # refuses to run without a key outside the demo
    delivery = survey(Path(landing.path))
    baseline = acceptance.read_baseline(Path(published.path), wait=published.lock_wait_seconds)
    with warehouse.connect() as con:
        prepare(con, key)
        reasons = acceptance.refusals(
            delivery,
            baseline,
            key_fingerprint(key),
            acceptance.warehouse_fingerprints(con),
            full_refresh=run_options.full_refresh,
        )
        acceptance.record(con, delivery, baseline)
    table = markdown_table(
        ["file", "status", "reason"], [(e.name, e.status.value, e.reason) for e in delivery.entries]
    )
    for e in delivery.entries:
        if e.status in (Status.IGNORED, Status.REFUSED):
            context.log.warning(f"landing folder: {e.name} {e.status.value}: {e.reason}")
    if reasons:
        raise Failure(
            description="delivery refused, nothing loaded: " + "; ".join(reasons),
            metadata={"landing_files": table},
        )
    if run_options.full_refresh:
        context.log.warning(
            "full refresh: every file is reloaded under the current key (person_ids change if the key did)"
        )
    context.log.info(
        "delivery accepted: " + ", ".join(f.name for f in sorted(delivery.current.values(), key=str))
    )
    return MaterializeResult(metadata={"landing_files": table, "dagster/row_count": len(delivery.entries)})
