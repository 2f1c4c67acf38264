"""The read-only connection to the published file, and rows fetched as named records."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, TypeVar

import duckdb

R = TypeVar("R")


class PublishedFileMissing(FileNotFoundError):
    """The published file does not exist (no successful run yet)."""


def connect(database: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published file."""
    if not Path(database).is_file():
        raise PublishedFileMissing(
            f"published file not found: {database} (run `make pipeline` or `make demo` first, "
            "or pass --database)"
        )
    return duckdb.connect(str(database), read_only=True)


def fetch(
    con: duckdb.DuckDBPyConnection, record: type[R], sql: str, params: dict[str, Any] | None = None
) -> list[R]:
    """The rows of ``sql`` as ``record``s: each column goes to the field of its name, and the
    query must name exactly the record's fields."""
    cursor = con.execute(sql, params or {})
    names = [d[0] for d in cursor.description]
    fields = [f.name for f in dataclasses.fields(record)]  # type: ignore[arg-type]
    if sorted(names) != sorted(fields):
        raise ValueError(f"{record.__name__}: the query gives {names}, the record has {fields}")
    return [record(**dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
