"""Ingest one extract file into the raw schema: parse, validate, pseudonymise, load.

Every data record of the file ends up in exactly one place: the raw table, the
quarantine, or the count of exact duplicates. The whole load of a file is one
transaction: a rejected file leaves the warehouse as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from importlib import resources

import duckdb

from . import pseudonym
from .extracts import EXTRACTS, Extract, Kind
from .landing import ExtractFile, sha256_of
from .validation import checked_sql


class FileRejected(ValueError):
    """The whole file is refused (names the file and the reason; never row content)."""


@dataclass(frozen=True)
class LoadResult:
    extract: str
    file_name: str
    extraction_date: dt.date
    checksum_sha256: str
    file_bytes: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    exact_duplicates: int
    blank_lines: int
    extra_columns: str | None
    skipped: bool  # the same file was already the current load under the same key

    def as_metadata(self) -> dict[str, object]:
        data = asdict(self)
        data["extraction_date"] = self.extraction_date.isoformat()
        data["extra_columns"] = self.extra_columns or ""
        return data


def _sql_resource(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def prepare(con: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """Create the raw schema (if new) and this connection's macros and key table."""
    con.execute(_sql_resource("raw_schema.sql"))
    con.execute(_sql_resource("sql_functions.sql"))
    pseudonym.install(con, key)


def _header(
    con: duckdb.DuckDBPyConnection, f: ExtractFile, extract: Extract
) -> tuple[int, dict[str, int], list[str]]:
    row = con.execute(
        "select csv_split(line), csv_quoting_ok(line) from _raw_lines where line_number = 1"
    ).fetchall()
    if not row or row[0][0] is None:
        raise FileRejected(f"{f.name}: the file is empty (no header row)")
    fields, quoting_ok = row[0]
    if not quoting_ok:
        raise FileRejected(f"{f.name}: the header row has malformed quoting")
    names = [(name or "").strip().upper() for name in fields]
    positions: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if name in positions:
            raise FileRejected(f"{f.name}: column {name} appears more than once in the header")
        positions[name] = i
    wanted = [c.name for c in extract.columns]
    missing = [c for c in wanted if c not in positions]
    if missing:
        raise FileRejected(
            f"{f.name}: missing column(s) {', '.join(missing)}; the header has {', '.join(names)}"
        )
    extra = [n for n in names if n not in wanted]
    return len(names), {c: positions[c] for c in wanted}, extra


def _current_load(
    con: duckdb.DuckDBPyConnection, f: ExtractFile, checksum: str, fingerprint: str
) -> LoadResult | None:
    row = con.execute(
        """
        select extraction_date, checksum_sha256, file_bytes, rows_read, rows_loaded,
               rows_quarantined, exact_duplicates, blank_lines, extra_columns
        from raw.loads
        where extract = ? and file_name = ? and checksum_sha256 = ? and key_fingerprint = ?
          and is_current
        """,
        [f.extract, f.name, checksum, fingerprint],
    ).fetchall()
    if not row:
        return None
    r = row[0]
    return LoadResult(f.extract, f.name, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], skipped=True)


def _raw_select(extract: Extract) -> str:
    cols = []
    for c in extract.columns:
        v = f'"{c.name}"'
        if c.kind is Kind.INSZ:
            cols.append(f"p.pseudonym as {c.raw_name}")
        elif c.kind is Kind.DATE:
            cols.append(f'"{c.name}__date" as {c.raw_name}')
        else:
            cols.append(f"{v} as {c.raw_name}")
    return ", ".join(cols)


def _masked_row(extract: Extract) -> str:
    """The record as JSON, the INSZ replaced by its pseudonym, number-like text masked."""
    parts = []
    for c in extract.columns:
        v = f'"{c.name}"'
        if c.kind is Kind.INSZ:
            parts.append("'INSZ_PSEUDONYM': p.pseudonym")
        elif c.kind is Kind.KBO:
            parts.append(f"'{c.name}': case when kbo_valid({v}) then {v} else mask_numbers({v}) end")
        else:
            parts.append(f"'{c.name}': mask_numbers({v})")
    return "to_json({" + ", ".join(parts) + "})::varchar"


def ingest_file(
    con: duckdb.DuckDBPyConnection, f: ExtractFile, key: bytes, force: bool = False
) -> LoadResult:
    """Load ``f`` as the current file of its extract (idempotent: same file, same key, same state)."""
    extract = EXTRACTS[f.extract]
    checksum = sha256_of(f.path)
    fingerprint = pseudonym.key_fingerprint(key)
    prepare(con, key)
    if not force and (done := _current_load(con, f, checksum, fingerprint)):
        return done

    try:
        _header_width, _positions, extra, blank_lines = _stage(con, f, extract)
        con.execute("begin transaction")
        try:
            result = _write(con, f, extract, checksum, fingerprint, extra, blank_lines)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        for table in ("_file_lines", "_raw_lines", "_lines", "_checked", "_pseudonyms"):
            con.execute(f"drop table if exists {table}")
    return result


def _stage(
    con: duckdb.DuckDBPyConnection, f: ExtractFile, extract: Extract
) -> tuple[int, dict[str, int], list[str], int]:
    """Read the file into ``_checked`` (temporary tables, outside the write transaction)."""
    # Physical lines in file order (insertion order is preserved): line_number = rowid + 1.
    # A line is one record; a quoted field may not span lines (such a record is
    # quarantined for its number of fields, line by line).
    try:
        con.execute(
            """
            create or replace temp table _file_lines as
            select line from read_csv(?, columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '',
                                      escape = '', header = false, auto_detect = false,
                                      encoding = 'utf-8')
            """,
            [str(f.path)],
        )
    except duckdb.Error as exc:
        raise FileRejected(f"{f.name}: cannot be read as a UTF-8 text file ({type(exc).__name__})") from None
    con.execute(
        "create or replace temp table _raw_lines as select rowid + 1 as line_number, line from _file_lines"
    )
    header_width, positions, extra = _header(con, f, extract)
    con.execute(
        """
        create or replace temp table _lines as
        select line_number, line from _raw_lines where line_number > 1 and trim(line) != ''
        """
    )
    (blank_lines,) = con.execute(
        "select count(*) from _raw_lines where line_number > 1 and coalesce(trim(line), '') = ''"
    ).fetchone()
    con.execute(checked_sql(extract, header_width, positions, f.extraction_date))
    # One HMAC per distinct INSZ (people have many rows), valid or not.
    con.execute(
        """
        create or replace temp table _pseudonyms as
        select insz, hmac_sha256(k.ipad, k.opad, insz) as pseudonym
        from (select distinct "INSZ" as insz from _checked where "INSZ" is not null), _pseudonym_key k
        """
    )
    return header_width, positions, extra, blank_lines


def _write(
    con: duckdb.DuckDBPyConnection,
    f: ExtractFile,
    extract: Extract,
    checksum: str,
    fingerprint: str,
    extra: list[str],
    blank_lines: int,
) -> LoadResult:
    """Replace the extract's raw rows, quarantine and current audit row (in the caller's transaction)."""
    table = f"raw.{extract.name}"
    con.execute(f"delete from {table}")
    con.execute(
        f"""
        insert into {table}
        select {_raw_select(extract)}, ? as _source_file, line_number as _line_number
        from _checked left join _pseudonyms p on p.insz = _checked."INSZ"
        where not is_duplicate and len(violations) = 0
        order by line_number
        """,
        [f.name],
    )
    con.execute("delete from raw.quarantine where extract = ?", [extract.name])
    con.execute(
        f"""
        insert into raw.quarantine
        select ?, ?, line_number, violations[1].column, violations[1].rule,
               array_to_string(list_transform(violations, lambda v: v.column || ': ' || v.rule), '; '),
               coalesce(masked_line, {_masked_row(extract)})
        from _checked left join _pseudonyms p on p.insz = _checked."INSZ"
        where not is_duplicate and len(violations) > 0
        order by line_number
        """,
        [extract.name, f.name],
    )
    (rows_read, loaded, quarantined, duplicates) = con.execute(
        """
        select count(*),
               count(*) filter (not is_duplicate and len(violations) = 0),
               count(*) filter (not is_duplicate and len(violations) > 0),
               count(*) filter (is_duplicate)
        from _checked
        """
    ).fetchone()
    result = LoadResult(
        extract=extract.name,
        file_name=f.name,
        extraction_date=f.extraction_date,
        checksum_sha256=checksum,
        file_bytes=f.path.stat().st_size,
        rows_read=rows_read,
        rows_loaded=loaded,
        rows_quarantined=quarantined,
        exact_duplicates=duplicates,
        blank_lines=blank_lines,
        extra_columns=", ".join(extra) or None,
        skipped=False,
    )
    con.execute("delete from raw.loads where extract = ? and file_name = ?", [extract.name, f.name])
    con.execute("update raw.loads set is_current = false where extract = ?", [extract.name])
    con.execute(
        """
        insert into raw.loads values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, true)
        """,
        [
            result.extract,
            result.file_name,
            result.extraction_date,
            result.checksum_sha256,
            result.file_bytes,
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            result.exact_duplicates,
            result.extra_columns,
            result.blank_lines,
            fingerprint,
        ],
    )
    return result
