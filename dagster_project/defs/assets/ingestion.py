"""Stage 2, ingestion: one asset per extract (the accepted file -> its raw table, every line
validated), then the per-file audit and the quarantine summary."""

from pathlib import Path

from dagster import AssetExecutionContext, AssetsDefinition, Failure, MaterializeResult, asset

from ...ingestion import acceptance
from ...ingestion.extracts import EXTRACTS
from ...ingestion.landing import ExtractFile, LandingError, parse_file_name
from ...ingestion.loader import FileRejected, ingest_file, prepare
from ..faults import FaultInjection
from ..resources import Landing, Pseudonymisation, RunOptions, Warehouse
from .keys import DELIVERY_KEY, RAW_GROUP, raw_key
from .metadata import markdown_table


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
        context: AssetExecutionContext,
        warehouse: Warehouse,
        landing: Landing,
        pseudonymisation: Pseudonymisation,
        run_options: RunOptions,
        faults: FaultInjection,
    ) -> MaterializeResult:
        key = pseudonymisation.key_bytes()  # refuses to run without a key outside the demo
        with warehouse.connect() as con:
            prepare(con, key)
            name = acceptance.current_file_name(con, extract)
            f: ExtractFile | None = parse_file_name(Path(landing.path) / name) if name else None
            if f is None:
                raise LandingError(f"no accepted {extract}_YYYYMMDD.csv: materialize raw/delivery first")
            try:
                result = ingest_file(
                    con, f, key, force=run_options.full_refresh, checkpoint=faults.checkpoint
                )
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
    table = markdown_table(header, [r[:-1] for r in rows])
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
    table = markdown_table(["extract", "column", "rule", "rows"], rows)
    return MaterializeResult(metadata={"by_rule": table, "dagster/row_count": sum(r[3] for r in rows)})
