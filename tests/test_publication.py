"""The published file describes itself (issue 16), on a hand-made warehouse: table and column
comments from dbt's descriptions, the publication record's own comments, and its input files
as a table of their own, readable by the duckdb CLI 1.5 too.

The same is asserted on the real pipeline's file in test_pipeline_gate.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingestion.loader import prepare
from dagster_project.publication import publication_row, publish, published_tables
from dagster_project.publication.publish import (
    INPUT_FILES,
    INPUT_FILES_COLUMNS,
    PUBLICATION_COLUMNS,
)

from .conftest import KEY
from .pipeline_support import published_comments

MANIFEST = {
    "nodes": {
        "model.doorstroom.cells": {
            "name": "cells",
            "package_name": "doorstroom",
            "resource_type": "model",
            "schema": "marts",
            "alias": "cells",
            "config": {"meta": {"published": True}},
            # YAML's folded text: line breaks and a final newline; an apostrophe to quote.
            "description": "Cells per province,\nzeros included (d'Hondt's rule).\n",
            "columns": {
                "province": {"name": "province", "description": "One of the eight values."},
                "transitions": {"name": "transitions", "description": ""},  # left without comment
                "dropped": {"name": "dropped", "description": "Described, not in the table."},
            },
        },
        "model.doorstroom.internal": {
            "name": "internal",
            "package_name": "doorstroom",
            "resource_type": "model",
            "schema": "intermediate",
            "alias": "internal",
            "config": {"meta": {}},
            "description": "Not published.",
            "columns": {},
        },
    }
}


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A warehouse with one mart, a data cutoff, two current loads and an older one; published."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    prepare(con, KEY)
    con.execute("create schema marts; create schema intermediate")
    con.execute("create table marts.cells as select 'Antwerpen' as province, 3::bigint as transitions")
    con.execute("create table intermediate.int_data_cutoff as select date '2025-06-30' as data_cutoff")
    loads = [
        ("wop", "wop_20250630.csv", dt.date(2025, 6, 30), "a" * 64, 10, 8, 1, 1, True),
        ("tewerkstelling", "tewerkstelling_20250630.csv", dt.date(2025, 6, 30), "b" * 64, 5, 5, 0, 0, True),
        ("wop", "wop_20250531.csv", dt.date(2025, 5, 31), "c" * 64, 9, 9, 0, 0, False),
    ]
    for e, name, date, sha, read, loaded, quarantined, duplicates, current in loads:
        con.execute(
            "insert into raw.loads values (?, ?, ?, ?, 100, ?, ?, ?, ?, null, 0, 'fp', current_timestamp, ?)",
            [e, name, date, sha, read, loaded, quarantined, duplicates, current],
        )
    target = tmp_path / "published" / "doorstroom.duckdb"
    counts = publish(con, target, published_tables(MANIFEST), ["marts/cells:a_check"], "run-1")
    con.close()
    assert counts == {"cells": 1}
    return target


def test_tables_and_columns_carry_their_descriptions(published: Path) -> None:
    tables, columns = published_comments(published)
    assert set(tables) == {"cells", "publication", INPUT_FILES}
    assert tables["cells"] == "Cells per province, zeros included (d'Hondt's rule)."
    assert columns[("cells", "province")] == "One of the eight values."
    assert columns[("cells", "transitions")] is None  # no description, no comment
    assert tables["publication"] and tables[INPUT_FILES]
    assert {c for t, c in columns if t == "publication"} == set(PUBLICATION_COLUMNS)
    assert {c for t, c in columns if t == INPUT_FILES} == set(INPUT_FILES_COLUMNS)
    assert all(comment for (t, _), comment in columns.items() if t in ("publication", INPUT_FILES))


def test_input_files_one_row_per_current_file(published: Path) -> None:
    con = duckdb.connect(str(published), read_only=True)
    files = con.execute(f"select * from {INPUT_FILES}").fetchall()
    con.close()
    assert files == [
        ("tewerkstelling", "tewerkstelling_20250630.csv", dt.date(2025, 6, 30), "b" * 64, 5, 5, 0, 0),
        ("wop", "wop_20250630.csv", dt.date(2025, 6, 30), "a" * 64, 10, 8, 1, 1),
    ]
    # Narrower: the row keeps only each file's name and checksum (contract part C).
    compact = duckdb.connect(str(published), read_only=True)
    try:
        (files,) = compact.execute("select input_files from publication").fetchone()
    finally:
        compact.close()
    assert all(set(f) == {"file_name", "checksum_sha256"} for f in files)
    # The acceptance reads the files of the last publication through publication_row, as before.
    row = publication_row(published)
    assert row["data_cutoff"] == dt.date(2025, 6, 30) and row["run_id"] == "run-1"
    assert [(f["extract"], f["file_name"], f["rows_loaded"]) for f in row["input_files"]] == [
        ("tewerkstelling", "tewerkstelling_20250630.csv", 5),
        ("wop", "wop_20250630.csv", 8),
    ]


def test_publication_row_of_a_file_published_before_the_input_files_table(tmp_path: Path) -> None:
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute(
        "create table publication as select date '2025-06-30' as data_cutoff, "
        "[{'extract': 'wop', 'file_name': 'wop_20250630.csv', 'rows_loaded': 8}] as input_files"
    )
    con.close()
    assert publication_row(old)["input_files"] == [
        {"extract": "wop", "file_name": "wop_20250630.csv", "rows_loaded": 8}
    ]


def test_the_duckdb_cli_1_5_reads_the_comments(published: Path) -> None:
    cli = Path(sys.executable).with_name("duckdb")  # the duckdb-cli package from PyPI (dev group)
    out = subprocess.run(
        [
            cli,
            "-readonly",
            "-csv",
            "-noheader",
            str(published),
            "-c",
            "select table_name, comment from duckdb_tables() order by table_name",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert [r[0] for r in rows] == ["cells", "publication", INPUT_FILES]
    assert rows[0][1] == "Cells per province, zeros included (d'Hondt's rule)."
    assert all(r[1] for r in rows)
