"""Ingest one extract file into the raw schema: parse, validate, pseudonymise, load.

Every data record of the file ends up in exactly one place: the raw table, the
quarantine, or the count of exact duplicates. The whole load of a file is one
transaction: a rejected file leaves the warehouse as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from importlib import resources
from typing import NamedTuple

import duckdb

from . import pseudonym
from .extracts import EXTRACTS, Extract, Kind
from .landing import ExtractFile, sha256_of
from .pseudonym import mask_numbers
from .validation import checked_sql, conflicts_sql, duplicates_sql, key_conflict_violation


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
    """Header width, the position of each contract column, and the extra column names.

    The messages never quote the header's fields: when the header row is missing, the
    first line is a data row (seen: an INSZ in a message). They name the contract
    columns, which are this project's own words.
    """
    row = con.execute(
        "select csv_split(line), csv_quoting_ok(line) from _file_lines where rowid = 0"
    ).fetchall()
    if not row or row[0][0] is None:
        raise FileRejected(f"{f.name}: the file is empty (no header row)")
    fields, quoting_ok = row[0]
    if not quoting_ok:
        raise FileRejected(f"{f.name} line 1 (header): malformed quoting")
    names = [(name or "").strip().upper() for name in fields]
    wanted = [c.name for c in extract.columns]
    missing = [c for c in wanted if c not in names]
    if missing:
        found = len(wanted) - len(missing)
        hint = " (is the header row missing?)" if found == 0 else ""
        raise FileRejected(
            f"{f.name} line 1 (header): missing column(s) {', '.join(missing)}; the header has "
            f"{len(names)} field(s), {found} of them contract column(s){hint}"
        )
    repeated = sorted({c for c in wanted if names.count(c) > 1})
    if repeated:
        raise FileRejected(f"{f.name} line 1 (header): column(s) {', '.join(repeated)} appear more than once")
    extra = [mask_numbers(n) for n in names if n not in wanted]
    return len(names), {c: names.index(c) + 1 for c in wanted}, extra


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
    """The raw table's columns. A value without a format of its own that looks like it
    could hold an INSZ is not kept as delivered: a free field (NACE, LAND, POSTCODE
    outside Belgium) keeps it masked, a key (WOP_ID, EVALUATIE_ID) is replaced by its
    keyed hash, so that keys stay unique and still join across extracts."""
    cols = []
    for c in extract.columns:
        v = f'"{c.name}"'
        if c.kind is Kind.INSZ:
            cols.append(f"p.pseudonym as {c.raw_name}")
        elif c.kind is Kind.DATE:
            cols.append(f'"{c.name}__date" as {c.raw_name}')
        elif c.kind is Kind.TEXT and c.name.endswith("_ID"):
            cols.append(
                f"case when mask_numbers({v}) = {v} then {v} "
                f"else 'pseudonym:' || hmac_sha256(k.ipad, k.opad, {v}) end as {c.raw_name}"
            )
        elif c.kind is Kind.NACE:
            cols.append(f"case when nace_form_ok({v}) then {v} else mask_numbers({v}) end as {c.raw_name}")
        elif c.kind in (Kind.TEXT, Kind.POSTCODE):
            cols.append(f"mask_numbers({v}) as {c.raw_name}")
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
        elif c.kind is Kind.DATE:  # the text is kept only when the date did not parse
            date = f'"{c.name}__date"'
            parts.append(f"'{c.name}': coalesce(strftime({date}, '%Y-%m-%d'), mask_numbers({v}))")
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
        staged = _stage(con, f, extract)
        con.execute("begin transaction")
        try:
            result = _write(con, f, extract, checksum, fingerprint, staged)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    except duckdb.Error as exc:
        # A driver's message may quote a value; it is masked, and the chain is cut so that
        # the original message does not reach the logs through the traceback either.
        raise FileRejected(
            f"{f.name}: DuckDB failed while loading it ({type(exc).__name__}: {mask_numbers(str(exc))})"
        ) from None
    finally:
        for table in _TEMP_TABLES:
            con.execute(f"drop table if exists {table}")
    return result


_TEMP_TABLES = ("_file_lines", "_checked", "_duplicates", "_conflicts", "_pseudonyms")


class _Staged(NamedTuple):
    extra: list[str]  # header columns outside the contract (ignored)
    records: int  # non-blank data lines: the rows read
    blank_lines: int


def _stage(con: duckdb.DuckDBPyConnection, f: ExtractFile, extract: Extract) -> _Staged:
    """Read and check the file into temporary tables, outside the write transaction."""
    # Physical lines in file order (insertion order is preserved): line number = rowid + 1.
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
    header_width, positions, extra = _header(con, f, extract)
    con.execute(checked_sql(extract, header_width, positions, f.extraction_date))
    (physical_lines,) = con.execute("select count(*) from _file_lines").fetchone()
    (records,) = con.execute("select count(*) from _checked").fetchone()
    con.execute("drop table _file_lines")  # frees the memory of the file's text early
    con.execute(duplicates_sql(extract))
    con.execute(conflicts_sql(extract) or "create or replace temp table _conflicts (line_number bigint)")
    # One HMAC per distinct INSZ (people have many rows), valid or not.
    con.execute(
        """
        create or replace temp table _pseudonyms as
        select insz, hmac_sha256(k.ipad, k.opad, insz) as pseudonym
        from (select distinct "INSZ" as insz from _checked where "INSZ" is not null), _pseudonym_key k
        """
    )
    return _Staged(extra, records, physical_lines - 1 - records)


def _write(
    con: duckdb.DuckDBPyConnection,
    f: ExtractFile,
    extract: Extract,
    checksum: str,
    fingerprint: str,
    staged: _Staged,
) -> LoadResult:
    """Replace the extract's raw rows, quarantine and current audit row (in the caller's transaction)."""
    table = f"raw.{extract.name}"
    con.execute(f"delete from {table}")
    (loaded,) = con.execute(
        f"""
        insert into {table}
        select {_raw_select(extract)}, ? as _source_file, line_number as _line_number
        from _checked left join _pseudonyms p on p.insz = _checked."INSZ", _pseudonym_key k
        where violations is null
          and line_number not in (select line_number from _duplicates)
          and line_number not in (select line_number from _conflicts)
        """,
        [f.name],
    ).fetchone()
    con.execute("delete from raw.quarantine where extract = ?", [extract.name])
    conflict = key_conflict_violation(extract.key) if extract.key else "null"
    (quarantined,) = con.execute(
        f"""
        insert into raw.quarantine
        with rejected as (
            select
                _checked.* exclude (violations),
                case
                    when k.line_number is null then violations
                    when violations is null then [{conflict}]
                    else list_append(violations, {conflict})
                end as violations,
            from _checked
            left join _conflicts k using (line_number)
            where (violations is not null or k.line_number is not null)
              and line_number not in (select line_number from _duplicates)
        )

        select ?, ?, line_number, violations[1].column, violations[1].rule,
               array_to_string(list_transform(violations, lambda v: v.column || ': ' || v.rule), '; '),
               coalesce(masked_line, {_masked_row(extract)})
        from rejected left join _pseudonyms p on p.insz = rejected."INSZ"
        order by line_number
        """,
        [extract.name, f.name],
    ).fetchone()
    (duplicates,) = con.execute("select count(*) from _duplicates").fetchone()
    result = LoadResult(
        extract=extract.name,
        file_name=f.name,
        extraction_date=f.extraction_date,
        checksum_sha256=checksum,
        file_bytes=f.path.stat().st_size,
        rows_read=staged.records,
        rows_loaded=loaded,
        rows_quarantined=quarantined,
        exact_duplicates=duplicates,
        blank_lines=staged.blank_lines,
        extra_columns=", ".join(staged.extra) or None,
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
