"""The analysts' DuckDB file: written whole into a new file, then swapped in atomically.

Readers that have the old file open keep reading it; a new reader sees the old
file or the new one, never a half-written one. The file is written in an older
storage format so that DuckDB 1.x readers (the duckdb CLI 1.5 among them) open it.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .. import locks

# Readable by DuckDB 1.2 and later (DuckDB 2.0's own format is not readable by 1.x).
STORAGE_VERSION = "v1.2.0"


@dataclass(frozen=True)
class PublishedTable:
    """A relation of the warehouse that is copied, as is and in its stored order, into the
    published file. Which ones, and their order, are decided in dbt (``catalogue.py``)."""

    name: str
    relation: str  # schema.table in the warehouse


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
    con: duckdb.DuckDBPyConnection,
    target: Path,
    tables: Sequence[PublishedTable],
    checks_passed: list[str],
    run_id: str,
    checkpoint: Callable[[str], None] = lambda stage: None,
) -> dict[str, int]:
    """Write ``tables`` from the warehouse ``con`` into a new file, then replace ``target``.

    ``checkpoint`` is called after each table (fault injection: the crash tests pause there)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        counts = _write(con, tmp, tables, checks_passed, run_id, checkpoint)
        _fsync(tmp)
        os.replace(tmp, target)
    except BaseException:
        # A failed publication (a full disk, say) removes its own files at once.
        remove_leftovers(target)
        raise
    _fsync(target.parent)
    return counts


def _write(
    con: duckdb.DuckDBPyConnection,
    tmp: Path,
    tables: Sequence[PublishedTable],
    checks_passed: list[str],
    run_id: str,
    checkpoint: Callable[[str], None],
) -> dict[str, int]:
    counts: dict[str, int] = {}
    con.execute("set preserve_insertion_order = true")
    # The path is a parameter, never pasted into the SQL text (a folder named d'Hondt).
    con.execute(f"attach ? as pub (storage_version '{STORAGE_VERSION}')", [str(tmp)])
    try:
        for table in tables:
            # A copy in the stored order: the dbt model decided the order (marts end in an
            # order by, kept because insertion order is preserved here and in dbt's marts).
            con.execute(f"create table pub.main.{table.name} as select * from {table.relation}")
            counts[table.name] = con.execute(f"select count(*) from pub.main.{table.name}").fetchone()[0]
            checkpoint("publication")
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


def publication_row(path: Path, wait: float | None = None) -> dict[str, object]:
    """The publication row of a published file, as DuckDB types it (waits for a lock held by
    another process, then raises ``locks.FileLocked`` naming it)."""
    con = locks.connect(path, read_only=True, what="published file", wait=wait)
    try:
        row = con.execute("select * from publication").fetchone()
        names = [d[0] for d in con.description]
    finally:
        con.close()
    return dict(zip(names, row, strict=True))


def read_publication(path: Path) -> dict[str, object]:
    """The publication row as JSON values (for the CLI and tests)."""
    return json.loads(json.dumps(publication_row(path), default=str))
