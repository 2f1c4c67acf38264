"""Ingestion assets: one per extract (newest file -> raw table), then the per-file audit."""

from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from ..ingestion.extracts import EXTRACTS
from ..ingestion.landing import LandingError, newest_files
from ..ingestion.loader import ingest_file
from ..resources import Landing, Warehouse
from ..settings import pseudonym_key

RAW_GROUP = "raw"


def raw_key(name: str) -> AssetKey:
    """Asset key of a raw table; equal to dbt's key for source ``raw.<name>``."""
    return AssetKey([RAW_GROUP, name])


def _ingestion_asset(extract: str) -> AssetsDefinition:
    @asset(
        key=raw_key(extract),
        group_name=RAW_GROUP,
        description=(
            f"Validated rows of the newest {extract}_YYYYMMDD.csv in the landing folder "
            "(INSZ pseudonymised; bad rows to raw.quarantine; one audit row in raw.loads)."
        ),
        kinds={"duckdb", "csv"},
    )
    def _ingest(context: AssetExecutionContext, warehouse: Warehouse, landing: Landing) -> MaterializeResult:
        key = pseudonym_key()  # refuses to run without a key outside the demo
        files = newest_files(Path(landing.path))
        if extract not in files:
            raise LandingError(f"no {extract}_YYYYMMDD.csv file in the landing folder {landing.path}")
        with warehouse.connect() as con:
            result = ingest_file(con, files[extract], key)
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
