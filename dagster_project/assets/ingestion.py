"""Ingestion assets: the delivery's acceptance, one asset per extract (newest file -> raw
table), then the per-file audit."""

from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from ..ingestion import acceptance
from ..ingestion.extracts import EXTRACTS
from ..ingestion.landing import ExtractFile, LandingError, Status, parse_file_name, survey
from ..ingestion.loader import FileRejected, ingest_file, prepare
from ..ingestion.pseudonym import key_fingerprint
from ..resources import Landing, Published, RunOptions, Warehouse
from ..settings import pseudonym_key

RAW_GROUP = "raw"


def raw_key(name: str) -> AssetKey:
    """Asset key of a raw table; equal to dbt's key for source ``raw.<name>``."""
    return AssetKey([RAW_GROUP, name])


DELIVERY_KEY = raw_key("delivery")


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
    run_options: RunOptions,
) -> MaterializeResult:
    key = pseudonym_key()  # refuses to run without a key outside the demo
    delivery = survey(Path(landing.path))
    baseline = acceptance.read_baseline(Path(published.path))
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
    table = _markdown(
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


def _ingestion_asset(extract: str) -> AssetsDefinition:
    @asset(
        key=raw_key(extract),
        group_name=RAW_GROUP,
        deps=[DELIVERY_KEY],
        description=(
            f"Validated rows of the newest {extract}_YYYYMMDD.csv in the landing folder, as accepted "
            "by raw/delivery (INSZ pseudonymised; bad rows to raw.quarantine; one audit row in raw.loads)."
        ),
        kinds={"duckdb", "csv"},
    )
    def _ingest(
        context: AssetExecutionContext, warehouse: Warehouse, landing: Landing, run_options: RunOptions
    ) -> MaterializeResult:
        key = pseudonym_key()  # refuses to run without a key outside the demo
        with warehouse.connect() as con:
            prepare(con, key)
            name = acceptance.current_file_name(con, extract)
            f: ExtractFile | None = parse_file_name(Path(landing.path) / name) if name else None
            if f is None:
                raise LandingError(f"no accepted {extract}_YYYYMMDD.csv: materialize raw/delivery first")
            try:
                result = ingest_file(con, f, key, force=run_options.full_refresh)
            except FileRejected as exc:
                raise Failure(description=str(exc)) from None
        verb = "already current, not reloaded" if result.skipped else "loaded"
        context.log.info(
            f"{result.file_name} {verb}: {result.rows_read} rows read = {result.rows_loaded} loaded "
            f"+ {result.rows_quarantined} quarantined + {result.exact_duplicates} exact duplicates"
            + (f"; extra columns ignored: {result.extra_columns}" if result.extra_columns else "")
        )
        metadata = result.as_metadata()
        metadata["dagster/row_count"] = result.rows_loaded
        return MaterializeResult(metadata=metadata)

    _ingest.__name__ = f"ingest_{extract}"
    return _ingest


INGESTION_ASSETS = [_ingestion_asset(name) for name in EXTRACTS]


def _markdown(header: list[str], rows: list[tuple]) -> MetadataValue:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return MetadataValue.md("\n".join(lines))


@asset(
    key=raw_key("loads"),
    group_name=RAW_GROUP,
    deps=[raw_key(name) for name in EXTRACTS],
    description="One audit row per ingested file: rows read = loaded + quarantined + exact duplicates.",
    kinds={"duckdb"},
)
def raw_loads(warehouse: Warehouse) -> MaterializeResult:
    with warehouse.connect() as con:
        rows = con.execute(
            """
            select extract, file_name, extraction_date::varchar, rows_read, rows_loaded,
                   rows_quarantined, exact_duplicates,
                   rows_read = rows_loaded + rows_quarantined + exact_duplicates as reconciles
            from raw.loads where is_current order by extract
            """
        ).fetchall()
    if not all(r[-1] for r in rows):
        bad = [r[1] for r in rows if not r[-1]]
        raise RuntimeError(f"row counts do not reconcile for {', '.join(bad)}")
    header = ["extract", "file", "extraction date", "read", "loaded", "quarantined", "duplicates"]
    table = _markdown(header, [r[:-1] for r in rows])
    return MaterializeResult(metadata={"current_files": table, "dagster/row_count": len(rows)})


@asset(
    key=raw_key("quarantine"),
    group_name=RAW_GROUP,
    deps=[raw_key(name) for name in EXTRACTS],
    description="Quarantined rows of the current files: file, line, column, rule, masked row.",
    kinds={"duckdb"},
)
def raw_quarantine(warehouse: Warehouse) -> MaterializeResult:
    with warehouse.connect() as con:
        rows = con.execute(
            """
            select extract, column_name, rule, count(*) from raw.quarantine
            group by all order by extract, count(*) desc
            """
        ).fetchall()
    table = _markdown(["extract", "column", "rule", "rows"], rows)
    return MaterializeResult(metadata={"by_rule": table, "dagster/row_count": sum(r[3] for r in rows)})
