"""Looking for raw INSZ wherever a run writes: files byte by byte, DuckDB tables value by value.

The INSZ looked for are every 11-digit run of the landing files (valid or not). A byte
scan finds them in text files (logs, run storage, data docs, dbt artefacts) and in the
uncompressed blocks of DuckDB files, free blocks included; DuckDB compresses strings in
its table blocks, so every VARCHAR value of every table is also searched with SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

ELEVEN_DIGITS = re.compile(rb"(?<![0-9])[0-9]{11}(?![0-9])")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def eleven_digit_runs(path: Path) -> set[str]:
    return {m.decode() for m in ELEVEN_DIGITS.findall(path.read_bytes())}


def insz_of(landing_files: Iterable[Path]) -> set[str]:
    """Every 11-digit run in the given input files: each INSZ, valid or not."""
    return set().union(*(eleven_digit_runs(p) for p in landing_files if p.is_file()))


def files_under(*roots: Path, exclude: Path | None = None) -> list[Path]:
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink() and not (exclude and path.is_relative_to(exclude)):
                found.append(path)
    return found


def leaking_files(paths: Iterable[Path], insz: set[str]) -> dict[str, set[str]]:
    """Files that hold one of ``insz`` as a run of exactly 11 digits (only the count is shown)."""
    leaks = {}
    for path in paths:
        if hits := eleven_digit_runs(path) & insz:
            leaks[str(path)] = f"{len(hits)} INSZ"
    return leaks


def leaking_tables(database: Path, insz: set[str]) -> dict[str, int]:
    """Tables of a DuckDB file with a VARCHAR value that contains one of ``insz``."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        con.execute("create temp table _insz as select unnest(?::varchar[]) as v", [sorted(insz)])
        tables = con.execute(
            """
            select schema_name, table_name, list('"' || column_name || '"')
            from duckdb_columns()
            where data_type = 'VARCHAR' and database_name = current_database()
            group by all
            """
        ).fetchall()
        leaks = {}
        for schema, table, columns in tables:
            hits = con.execute(
                "select count(*) from (select unnest(regexp_extract_all("
                f"concat_ws('|', {', '.join(columns)}), '[0-9]{{11}}')) as v "
                f'from "{schema}"."{table}") join _insz using (v)'
            ).fetchone()[0]
            if hits:
                leaks[f"{schema}.{table}"] = hits
        return leaks
    finally:
        con.close()


def leaking_text(text: str, insz: set[str]) -> int:
    return len(set(re.findall(r"(?<![0-9])[0-9]{11}(?![0-9])", text)) & insz)
