"""Ingest one extract file into the raw schema: parse, validate, pseudonymise, load.

Every data record of the file ends up in exactly one place: the raw table, the
quarantine, or the count of exact duplicates. The whole load of a file is one
transaction: a rejected file leaves the warehouse as it was.
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import duckdb
import numpy as np

from . import pseudonym
from .extracts import EXTRACTS, Extract, Kind
from .landing import ExtractFile, sha256_of
from .pseudonym import mask_numbers
from .validation import (
    MAX_LINE_BYTES,
    READER_LINE_TOO_LONG,
    RULE_CONTROL,
    RULE_LINE_TOO_LONG,
    checked_sql,
    conflicts_sql,
    duplicates_sql,
    key_conflict_violation,
    line_shifts_sql,
)


class FileRejected(ValueError):
    """The whole file is refused (names the file and the reason; never row content)."""


class OutOfMemory(FileRejected):
    """DuckDB ran out of memory while loading the file: not the file's fault, the limit's."""


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
    problem = con.execute("select rule from _line_problems where line_number = 1").fetchone()
    if problem:
        raise FileRejected(f"{f.name} line 1 (header): {problem[0]}")
    # With no problem on line 1, it is the first row the reader returned.
    row = con.execute(
        f"""
        select csv_split(line), csv_quoting_ok(line),
               case when strlen(line) > {MAX_LINE_BYTES} then ? when has_control(line) then ? end
        from _file_lines where rowid = 0
        """,
        [RULE_LINE_TOO_LONG, RULE_CONTROL],
    ).fetchall()
    if not row or row[0][0] is None:
        raise FileRejected(f"{f.name}: the file is empty (no header row)")
    fields, quoting_ok, line_rule = row[0]
    if line_rule:
        raise FileRejected(f"{f.name} line 1 (header): {line_rule}")
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
    con: duckdb.DuckDBPyConnection,
    f: ExtractFile,
    key: bytes,
    force: bool = False,
    checkpoint: Callable[[str], None] = lambda stage: None,
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
            checkpoint("ingestion")  # fault injection (crash tests): inside the write transaction
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    except duckdb.Error as exc:
        # The chain is cut so that the driver's message (which may quote a value) does not
        # reach the logs through the traceback either.
        raise duckdb_failure(con, f.name, exc) from None
    finally:
        for table in _TEMP_TABLES:
            con.execute(f"drop table if exists {table}")
    return result


_TEMP_TABLES = (
    "_file_lines",
    "_line_rejects",
    "_line_reject_scans",
    "_line_problems",
    "_line_shifts",
    "_checked",
    "_duplicates",
    "_conflicts",
    "_pseudonyms",
)


def duckdb_failure(con: duckdb.DuckDBPyConnection, file_name: str, exc: duckdb.Error) -> FileRejected:
    """The error to raise for a DuckDB error while loading ``file_name``.

    Out of memory says so, with the setting to raise and its value on this connection
    (``DOORSTROOM_MEMORY_LIMIT`` sets it: dagster_project/resources.py). Any other error
    keeps the driver's message, masked: it may quote a value.
    """
    if isinstance(exc, duckdb.OutOfMemoryException):
        try:
            (limit,) = con.execute("select current_setting('memory_limit')").fetchone()
        except duckdb.Error:
            limit = "unknown"
        return OutOfMemory(
            f"{file_name}: DuckDB ran out of memory while loading it: raise DOORSTROOM_MEMORY_LIMIT "
            f"(DuckDB's memory_limit, now {limit}), or give DOORSTROOM_TEMP_DIR more free disk to "
            "spill to"
        )
    return FileRejected(
        f"{file_name}: DuckDB failed while loading it ({type(exc).__name__}: {mask_numbers(str(exc))})"
    )


class _Staged(NamedTuple):
    extra: list[str]  # header columns outside the contract (ignored)
    records: int  # non-blank data lines: the rows read
    blank_lines: int


def _stage(con: duckdb.DuckDBPyConnection, f: ExtractFile, extract: Extract) -> _Staged:
    """Read and check the file into temporary tables, outside the write transaction."""
    lines = _read_lines(con, f)
    header_width, positions, extra = _header(con, f, extract)
    con.execute(
        checked_sql(extract, header_width, positions, f.extraction_date, lines.renumbered, lines.controls)
    )
    (physical_lines,) = con.execute(
        "select (select count(*) from _file_lines) + (select count(*) from _line_problems)"
    ).fetchone()
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


# The column delimiter of the reader, which must not split a line: four control bytes
# that no text holds (a file holding them is read whole). A single 0x01 is data.
_DELIMITER = b"\x01\x02\x03\x04"


class _Lines(NamedTuple):
    renumbered: bool  # the reader skipped lines: line numbers shift past them (_line_shifts)
    controls: bool  # the file holds a control character (sql_functions.sql, has_control)


def _read_lines(con: duckdb.DuckDBPyConnection, f: ExtractFile) -> _Lines:
    """Read the file's physical lines into ``_file_lines(line)``, in file order (insertion
    order is preserved), and the lines DuckDB's reader skips into ``_line_problems``.

    A line is one record; a quoted field may not span lines (such a record is quarantined
    for its number of fields, line by line). DuckDB's CSV reader splits the lines, in
    parallel: with a delimiter no line holds (``_DELIMITER``) and no quote, a line is one
    VARCHAR value. It skips and records in its rejects table (``store_rejects``) a line of
    ``max_line_size`` bytes or more (quarantined: validation.RULE_LINE_TOO_LONG) and a line
    that is not UTF-8 (the file is refused, naming its first such byte).

    What the reader gets wrong is avoided or checked against the bytes (``_scan_bytes``):
    it takes every CR for a line break and a trailing delimiter for an empty column, and a
    line break of the other kind in a file (CR LF in an LF file) can fail the read or add a
    row; such a file, and one holding the delimiter, is read whole (``_read_lines_whole``).
    In its rejects table the line numbers drift by one in a CR LF file read in parallel,
    and the byte offsets after a blank line: a skipped line is numbered from the bytes
    (``_long_lines``). The lines read plus the lines skipped must be the file's lines, else
    the file is read whole.
    """
    for table in ("_line_rejects", "_line_reject_scans"):  # the reader appends to them
        con.execute(f"drop table if exists {table}")
    facts = _scan_bytes(f.path)
    if not facts.uniform_breaks or facts.delimiter:
        _read_lines_whole(con, f)
        return _Lines(renumbered=False, controls=True)
    # The reader skips a line of max_line_size bytes or more before its LF, a CR included.
    # So that it never skips a line within the limit (MAX_LINE_BYTES bytes, a CR LF line
    # break excluded), its limit is 2 bytes higher; the few lines over MAX_LINE_BYTES it
    # still returns are caught in validation (strlen), like the lines of _read_lines_whole.
    reader_limit = MAX_LINE_BYTES + 2
    delimiter = _DELIMITER.decode()
    try:
        con.execute(
            f"""
            create or replace temp table _file_lines as
            select line from read_csv(?, columns = {{'line': 'VARCHAR'}}, delim = '{delimiter}',
                                      quote = '', escape = '', header = false,
                                      auto_detect = false, encoding = 'utf-8',
                                      max_line_size = {reader_limit}, store_rejects = true,
                                      rejects_table = '_line_rejects',
                                      rejects_scan = '_line_reject_scans')
            """,
            [str(f.path)],
        )
    except duckdb.InvalidInputException:  # not seen once the line breaks are uniform
        _read_lines_whole(con, f)
        return _Lines(renumbered=False, controls=True)
    first_not_utf8 = con.execute(
        "select min(line) from _line_rejects where error_type = 'INVALID ENCODING'"
    ).fetchone()[0]
    if first_not_utf8 is not None:
        raise _not_utf8(f, first_not_utf8)
    rejected = con.execute(
        "select count(distinct line), count(*) filter (where error_type <> ?) from _line_rejects",
        [READER_LINE_TOO_LONG],
    ).fetchone()
    long_lines = _long_lines(f.path, reader_limit) if rejected[0] else []
    (lines_read,) = con.execute("select count(*) from _file_lines").fetchone()
    if rejected[1] or len(long_lines) != rejected[0] or lines_read + len(long_lines) != facts.lines:
        # Not seen: the reader and the bytes disagree; reading the file whole is exact.
        _read_lines_whole(con, f)
        return _Lines(renumbered=False, controls=True)
    con.execute(
        """
        create or replace temp table _line_problems as
        select unnest(?::bigint[]) as line_number, ? as rule, null::varchar as line
        """,
        [long_lines, RULE_LINE_TOO_LONG],
    )
    if long_lines:
        con.execute(line_shifts_sql())
    return _Lines(renumbered=bool(long_lines), controls=facts.controls)


class _ByteFacts(NamedTuple):
    lines: int  # LF bytes, and a last line without LF
    uniform_breaks: bool  # every line break LF, or every one CR LF; no other CR
    delimiter: bool  # the file holds _DELIMITER
    controls: bool  # the file holds a control character (has_control, sql_functions.sql)


def _scan_bytes(path: Path, block_size: int = 1 << 24) -> _ByteFacts:
    """What the reader needs to know of the file's bytes, in one pass over 16 MiB blocks.

    numpy counts the LF bytes and the bytes below 0x20; the rarer bytes are looked for
    first (memchr) and counted only when present. A control character is a byte below
    0x20 other than LF, CR and TAB, DEL, or U+0080-U+009F (0xC2 0x80-0x9F in UTF-8); a CR
    of a uniform file is part of its CR LF line breaks.
    """
    lf = cr = crlf = 0
    delimiter = controls = False
    previous = b""  # the end of the previous block (a CR LF, 0xC2 0x8n or delimiter across)
    with path.open("rb") as fh:
        while block := fh.read(block_size):
            data = np.frombuffer(block, np.uint8)
            block_lf = int(np.count_nonzero(data == 10))
            block_cr = block.count(b"\r") if b"\r" in block else 0
            block_tab = block.count(b"\t") if b"\t" in block else 0
            lf += block_lf
            cr += block_cr
            if block_cr or previous.endswith(b"\r"):
                crlf += block.count(b"\r\n") + (previous.endswith(b"\r") and block.startswith(b"\n"))
            if not controls:
                below_space = int(np.count_nonzero(data < 32))
                controls = below_space > block_lf + block_cr + block_tab or b"\x7f" in block
            if not controls and (b"\xc2" in block or previous.endswith(b"\xc2")):
                joined = np.frombuffer(previous[-1:] + block, np.uint8)
                after = joined[1:][joined[:-1] == 0xC2]
                controls = bool(np.any((after >= 0x80) & (after <= 0x9F)))
            if b"\x01" in block or b"\x01" in previous:
                delimiter = delimiter or _DELIMITER in previous[-3:] + block[:3] or _DELIMITER in block
            previous = block[-3:]
    lines = lf + (previous[-1:] not in (b"", b"\n"))
    uniform = cr == 0 or (cr == crlf == lf)
    return _ByteFacts(lines, uniform, delimiter, controls)


def _long_lines(path: Path, reader_limit: int, block_size: int = 1 << 24) -> list[int]:
    """The numbers (from 1) of the lines DuckDB's reader skips for their size:
    ``reader_limit`` bytes or more before their LF (a CR included), or before the end of
    the file. Vectorised over 16 MiB blocks (numpy finds the LF bytes); the Python loop
    is over the lines found. Only run when the reader skipped lines.

    The reader also counts the empty lines just before a line (a few bytes each): a line
    that only they bring to the limit is skipped too, and not found here; the counts then
    differ and the file is read whole (``_read_lines``)."""
    found: list[int] = []
    lines = 0  # lines ended (LF bytes) before the block
    line_start = 0  # file offset where the line not yet ended starts
    offset = 0  # file offset of the block
    with path.open("rb") as fh:
        while block := fh.read(block_size):
            ends = np.flatnonzero(np.frombuffer(block, np.uint8) == 10) + offset  # LF offsets
            starts = np.concatenate(([line_start], ends[:-1] + 1)) if ends.size else ends
            found += [lines + int(i) + 1 for i in np.flatnonzero(ends - starts >= reader_limit)]
            lines += ends.size
            if ends.size:
                line_start = int(ends[-1]) + 1
            offset += len(block)
    if offset - line_start >= reader_limit:  # a last line without LF
        found.append(lines + 1)
    return found


def _read_lines_whole(con: duckdb.DuckDBPyConnection, f: ExtractFile) -> None:
    """The lines of a file DuckDB's CSV reader cannot split: the text split at LF.

    Same lines as the reader's: a BOM is dropped, CR LF ends a line like LF, a last line
    without a line break is a line. Any other CR stays in its line (a control character:
    the line is quarantined); so does 0x01, and a line over the limit is caught in
    validation. No line is skipped (``_line_problems`` is empty).
    """
    try:
        con.execute(
            """
            create or replace temp table _file_lines as
            with whole as (
                select case when starts_with(content, chr(65279)) then content[2:] else content end as text
                from read_text(?)
            ),

            parts as (
                select string_split(text, chr(10)) as lines, ends_with(text, chr(10)) as ends_with_lf
                from whole
            ),

            split as (
                select unnest(case when ends_with_lf then lines[:-2] else lines end) as line
                from parts
            )

            select case when ends_with(line, chr(13)) then line[:-2] else line end as line
            from split
            """,
            [str(f.path)],
        )
    except duckdb.InvalidInputException as exc:  # read_text: the content is not UTF-8
        if first_byte_not_utf8(f.path):
            raise _not_utf8(f, None) from None
        raise duckdb_failure(con, f.name, exc) from None
    _no_line_problems(con)


def _no_line_problems(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create or replace temp table _line_problems (line_number bigint, rule varchar, line varchar)"
    )


def first_byte_not_utf8(path: Path, block_size: int = 1 << 22) -> tuple[int, int, int] | None:
    """Where the first byte that is not UTF-8 is: (line number, byte offset in the file,
    byte offset in its line), all counted from the file's start (line from 1, offsets
    from 0); None if the file is UTF-8. Reads blocks up to that byte (C-speed decode and
    newline counts, no loop over lines)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    block_start = 0  # file offset of the block
    newlines = 0  # line breaks before the block
    last_newline = -1  # file offset of the last line break before the block
    with path.open("rb") as fh:
        while True:
            block = fh.read(block_size)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                # The decoder's input was its pending bytes (an incomplete character at the
                # end of the previous block, at most 3) followed by this block.
                pending = len(exc.object) - len(block)
                offset = block_start - pending + exc.start
                # The pending bytes hold no line break (they are part of one character).
                before = exc.object[: exc.start]
                in_block = before.rfind(b"\n")
                line_start = (block_start - pending + in_block + 1) if in_block >= 0 else last_newline + 1
                return newlines + before.count(b"\n") + 1, offset, offset - line_start
            if not block:
                return None
            newlines += block.count(b"\n")
            if (i := block.rfind(b"\n")) >= 0:
                last_newline = block_start + i
            block_start += len(block)


def _not_utf8(f: ExtractFile, reader_line: int | None) -> FileRejected:
    """The refusal of a file that is not UTF-8: where its first such byte is, never the bytes."""
    where = first_byte_not_utf8(f.path)
    if where is None:  # DuckDB and Python disagree: keep DuckDB's line
        at = f" (DuckDB: line {reader_line})" if reader_line else ""
        return FileRejected(f"{f.name}: cannot be read as a UTF-8 text file{at}")
    line, offset, in_line = where
    return FileRejected(
        f"{f.name}: cannot be read as a UTF-8 text file: the first byte that is not UTF-8 is on "
        f"line {line}, at byte offset {offset} of the file (byte {in_line + 1} of the line)"
    )


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
