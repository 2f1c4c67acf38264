"""The analysts' DuckDB file: written whole into a new file, then swapped in atomically.

Readers that have the old file open keep reading it; a new reader sees the old
file or the new one, never a half-written one. The file is written in an older
storage format so that DuckDB 1.x readers (the duckdb CLI 1.5 among them) open it.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import faults, locks

# Readable by DuckDB 1.2 and later (DuckDB 2.0's own format is not readable by 1.x).
STORAGE_VERSION = "v1.2.0"

PROVINCE_ORDER = "(select sort_order from reference.provinces p where p.province = t.province)"
SECTION_ORDER = "(select sort_order from reference.nace_sections s where s.nace_section = t.nace_section)"
# The order in which the contract lists AANLEIDING and UITKOMST.
TRIGGER_ORDER = "list_position(['WERKNEMER', 'WERKGEVER', 'VIJF_JAAR'], t.trigger)"
OUTCOME_ORDER = "list_position(['DOORSTROOMTRAJECT', 'BEHOUD', 'AANPASSING'], t.outcome)"


@dataclass(frozen=True)
class PublishedTable:
    name: str
    source: str  # relation in the warehouse
    order_by: str


# Contract part C, plus the reference tables the answer needs (Dutch names, order).
PUBLISHED_TABLES = (
    PublishedTable(
        "transitions_by_province", "marts.transitions_by_province", f"cohort_year, {PROVINCE_ORDER}"
    ),
    PublishedTable(
        "transitions_by_sector",
        "marts.transitions_by_sector",
        f"cohort_year, {PROVINCE_ORDER}, {SECTION_ORDER}",
    ),
    PublishedTable("returns_by_province", "marts.returns_by_province", f"cohort_year, {PROVINCE_ORDER}"),
    PublishedTable("wop_transitions", "marts.wop_transitions", "cohort_year, wop_id"),
    # Issue 6 (Q4, Q5): further tables as contract part C allows.
    PublishedTable(
        "transition_kpis_by_province",
        "marts.transition_kpis_by_province",
        f"cohort_year, {PROVINCE_ORDER}",
    ),
    PublishedTable(
        "evaluations_by_year", "marts.evaluations_by_year", f"year, {TRIGGER_ORDER}, {OUTCOME_ORDER}"
    ),
    PublishedTable("overdue_evaluations", "marts.overdue_evaluations", "due_date, wop_id"),
    PublishedTable("provinces", "reference.provinces", "sort_order"),
    PublishedTable("nace_sections", "reference.nace_sections", "sort_order"),
)
PUBLISHED_MODELS = (
    "transitions_by_province",
    "transitions_by_sector",
    "returns_by_province",
    "wop_transitions",
    "transition_kpis_by_province",
    "evaluations_by_year",
    "overdue_evaluations",
)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_leftovers(target: Path) -> None:
    """Remove temporary files of an interrupted publication (never the published file itself)."""
    for path in target.parent.glob(f".{target.name}.*.tmp*"):
        path.unlink(missing_ok=True)


def publish(
    con: duckdb.DuckDBPyConnection, target: Path, checks_passed: list[str], run_id: str
) -> dict[str, int]:
    """Write the published tables from the warehouse ``con`` into a new file, then replace ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        counts = _write(con, tmp, checks_passed, run_id)
        _fsync(tmp)
        os.replace(tmp, target)
    except BaseException:
        # A failed publication (a full disk, say) removes its own files at once.
        remove_leftovers(target)
        raise
    _fsync(target.parent)
    return counts


def _write(
    con: duckdb.DuckDBPyConnection, tmp: Path, checks_passed: list[str], run_id: str
) -> dict[str, int]:
    counts: dict[str, int] = {}
    con.execute("set preserve_insertion_order = true")
    # The path is a parameter, never pasted into the SQL text (a folder named d'Hondt).
    con.execute(f"attach ? as pub (storage_version '{STORAGE_VERSION}')", [str(tmp)])
    try:
        for table in PUBLISHED_TABLES:
            con.execute(
                f"create table pub.main.{table.name} as "
                f"select * from {table.source} t order by {table.order_by}"
            )
            counts[table.name] = con.execute(f"select count(*) from pub.main.{table.name}").fetchone()[0]
            faults.pause("publication")
        con.execute(
            """
            create table pub.main.publication as
            select
                current_timestamp::timestamp as published_at,
                (select data_cutoff from intermediate.int_data_cutoff) as data_cutoff,
                (select list({
                    'extract': extract, 'file_name': file_name, 'extraction_date': extraction_date,
                    'checksum_sha256': checksum_sha256, 'rows_read': rows_read,
                    'rows_loaded': rows_loaded, 'rows_quarantined': rows_quarantined,
                    'exact_duplicates': exact_duplicates} order by extract)
                 from raw.loads where is_current) as input_files,
                ?::varchar[] as checks_passed,
                ? as run_id,
                (select any_value(key_fingerprint) from raw.loads where is_current) as key_fingerprint,
                (select list({
                    'file_name': file_name, 'status': status, 'reason': reason} order by file_name)
                 from raw.landing_files) as landing_files,
            """,
            [sorted(checks_passed), run_id],
        )
        con.execute("checkpoint pub")
    finally:
        con.execute("detach pub")
    return counts


def publication_row(path: Path) -> dict[str, object]:
    """The publication row of a published file, as DuckDB types it (waits for a lock held by
    another process, then raises ``locks.FileLocked`` naming it)."""
    con = locks.connect(path, read_only=True, what="published file")
    try:
        row = con.execute("select * from publication").fetchone()
        names = [d[0] for d in con.description]
    finally:
        con.close()
    return dict(zip(names, row, strict=True))


def read_publication(path: Path) -> dict[str, object]:
    """The publication row as JSON values (for the CLI and tests)."""
    return json.loads(json.dumps(publication_row(path), default=str))
