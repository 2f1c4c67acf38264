"""The analysts' DuckDB file: written whole into a new file, then swapped in atomically.

Readers that have the old file open keep reading it; a new reader sees the old
file or the new one, never a half-written one. The file is written in an older
storage format so that DuckDB 1.x readers (the duckdb CLI 1.5 among them) open it.

The file describes itself: every table and column carries a comment (``COMMENT ON``,
read with ``duckdb_tables()`` and ``duckdb_columns()``): the dbt descriptions for the
published models and seeds, the texts below for the publication record and its input files.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
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
    description: str = ""  # the table's comment in the published file (dbt's description)
    columns: Mapping[str, str] = field(default_factory=dict, hash=False)  # column -> its comment


PUBLICATION = "publication"
INPUT_FILES = "publication_input_files"

# The comments of the publication record and of its input files (the published models and
# seeds take theirs from dbt's descriptions).
PUBLICATION_COMMENT = (
    "One row: when this file was published, the data cutoff, the checks that passed and the run "
    f"that wrote it. The files it was made from are in {INPUT_FILES}, one row per file."
)
PUBLICATION_COLUMNS = {
    "published_at": "When this file was written (local time of the machine that ran the pipeline).",
    "data_cutoff": (
        "The data cutoff: the extraction date of the tewerkstelling file. Nothing after this day is "
        "known; figures whose follow-up ends after it are provisional (follow_up_complete = false)."
    ),
    "input_files": (
        "The input files of this publication with their checksums (file_name, checksum_sha256), "
        "one per extract; their counts are in publication_input_files."
    ),
    "checks_passed": (
        "Every quality check (dbt data test or GX suite, as asset:check) that passed in the run that "
        "wrote this file; the file is written only when every blocking check passed."
    ),
    "run_id": "The Dagster run that wrote this file.",
    "key_fingerprint": (
        "Non-secret fingerprint of the pseudonym key that made person_id (not the key itself): "
        "person_id values are comparable between files with the same fingerprint only."
    ),
    "landing_files": (
        "Every entry of the landing folder at the acceptance of the delivery: file_name, status "
        "(current, superseded or ignored) and reason."
    ),
}
INPUT_FILES_COMMENT = (
    "The input files this publication was made from: one row per extract, the newest file of "
    "each (rows_read = rows_loaded + rows_quarantined + exact_duplicates)."
)
INPUT_FILES_COLUMNS = {
    "extract": "The extract: wop, tewerkstelling, verblijfplaats or evaluatie.",
    "file_name": "The file's name in the landing folder (<extract>_YYYYMMDD.csv).",
    "extraction_date": "The extraction date in the file's name.",
    "checksum_sha256": "SHA-256 of the file's bytes, in hexadecimal (compare with sha256sum).",
    "rows_read": "Data lines read from the file.",
    "rows_loaded": "Rows loaded into the warehouse.",
    "rows_quarantined": "Lines set aside in quarantine for breaking the contract (not loaded).",
    "exact_duplicates": (
        "Rows equal in every contract column to an earlier row of the file (counted, not loaded again)."
    ),
}


def _literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _comment(
    con: duckdb.DuckDBPyConnection, table: str, description: str, columns: Mapping[str, str]
) -> None:
    """``COMMENT ON`` the table ``pub.main.<table>`` and those of its columns that have a text
    (a described column the table lacks is skipped; an empty text leaves no comment)."""
    relation = f"pub.main.{_identifier(table)}"
    if description:
        con.execute(f"comment on table {relation} is {_literal(description)}")
    present = {
        r[0]
        for r in con.execute(
            "select column_name from duckdb_columns() "
            "where database_name = 'pub' and schema_name = 'main' and table_name = ?",
            [table],
        ).fetchall()
    }
    for column, text in columns.items():
        if text and column in present:
            con.execute(f"comment on column {relation}.{_identifier(column)} is {_literal(text)}")


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
            _comment(con, table.name, table.description, table.columns)
            counts[table.name] = con.execute(f"select count(*) from pub.main.{table.name}").fetchone()[0]
            checkpoint("publication")
        # The input files, one row per file with their counts; the publication row keeps
        # only their names and checksums (contract part C), so that it stays readable.
        con.execute(
            f"""
            create table pub.main.{INPUT_FILES} as
            select extract, file_name, extraction_date, checksum_sha256, rows_read, rows_loaded,
                   rows_quarantined, exact_duplicates
            from raw.loads
            where is_current
            order by extract
            """
        )
        _comment(con, INPUT_FILES, INPUT_FILES_COMMENT, INPUT_FILES_COLUMNS)
        con.execute(
            """
            create table pub.main.publication as
            select
                current_timestamp::timestamp as published_at,
                (select data_cutoff from intermediate.int_data_cutoff) as data_cutoff,
                (select list({'file_name': file_name, 'checksum_sha256': checksum_sha256}
                             order by extract)
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
        _comment(con, PUBLICATION, PUBLICATION_COMMENT, PUBLICATION_COLUMNS)
        con.execute("checkpoint pub")
    finally:
        con.execute("detach pub")
    return counts


def publication_row(path: Path, wait: float | None = None) -> dict[str, object]:
    """The publication row of a published file, as DuckDB types it, with ``input_files``: the
    rows of publication_input_files as dicts (a file published before that table existed has
    them, counts included, as the list column of the row). Waits for a lock held by another
    process, then raises ``locks.FileLocked`` naming it."""
    con = locks.connect(path, read_only=True, what="published file", wait=wait)
    try:
        row = con.execute(f"select * from {PUBLICATION}").fetchone()
        names = [d[0] for d in con.description]
        record = dict(zip(names, row, strict=True))
        has_table = con.execute(
            "select count(*) from duckdb_tables() where table_name = ?", [INPUT_FILES]
        ).fetchone()[0]
        if has_table:
            files = con.execute(f"select * from {INPUT_FILES} order by extract")
            columns = [d[0] for d in files.description]
            record["input_files"] = [dict(zip(columns, f, strict=True)) for f in files.fetchall()]
    finally:
        con.close()
    return record


def read_publication(path: Path) -> dict[str, object]:
    """The publication row as JSON values (for the CLI and tests)."""
    return json.loads(json.dumps(publication_row(path), default=str))
