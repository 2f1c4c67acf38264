"""Issue 12, point 3: a bad byte or a very long line is a problem of its line, not of the file.

Only a file that is not UTF-8 is refused, naming where its first such byte is; running out
of memory is reported as running out of memory. Line numbers and byte offsets below are
counted by hand: the header is 56 bytes (line 2 starts at byte 57), a ``good_wop`` row is
50 bytes (line 3 starts at byte 108 with LF line breaks).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dagster_project.ingestion.loader import FileRejected

from .test_ingestion import P1, WOP_HEADER, good_wop, load, quarantine

CONTROL = "control character in the line"
TOO_LONG = "line longer than 2000000 bytes"
HEADER = ";".join(WOP_HEADER).encode()


def row(*args: str, **over: str) -> bytes:
    return ";".join(good_wop(*args, **over)).encode()


def write_lines(landing: Path, lines: list[bytes], newline: bytes = b"\n", bom: bool = False) -> Path:
    path = landing / "wop_20250630.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + b"".join(line + newline for line in lines))
    return path


def counts(result) -> tuple[int, int, int, int, int]:
    return (
        result.rows_read,
        result.rows_loaded,
        result.rows_quarantined,
        result.exact_duplicates,
        result.blank_lines,
    )


def loaded_lines(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    return con.execute("select _line_number, wop_id from raw.wop order by 1").fetchall()


def masked_rows(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0] for r in con.execute("select row_masked from raw.quarantine order by line_number").fetchall()
    ]


def test_a_0x01_byte_in_one_field_quarantines_that_line_only(con, write_csv):
    rows = [good_wop("W1"), good_wop("W2", MAATREGEL="C\x01M"), good_wop("W3")]
    result = load(con, write_csv("wop_20250630.csv", WOP_HEADER, rows))
    assert len(HEADER) == 56 and len(row("W1")) == 50  # the sizes the docstring uses
    assert counts(result) == (3, 2, 1, 0, 0)
    assert quarantine(con) == [(3, "*", CONTROL)]
    assert loaded_lines(con) == [(2, "W1"), (4, "W3")]
    # The line's text, numbers that could be an INSZ masked, the control character shown.
    assert masked_rows(con) == ["W2;<masked>;C\ufffdM;<masked>;2019-01-01;2020-12-31"]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
def test_a_3_mb_line_quarantines_that_line_only(con, landing, newline):
    long_line = b"W2;" + b"x" * 3_000_000
    lines = [HEADER, row("W1"), long_line, row("W3"), row("W4")]
    result = load(con, write_lines(landing, lines, newline))
    assert counts(result) == (4, 3, 1, 0, 0)
    assert quarantine(con) == [(3, "*", TOO_LONG)]
    assert loaded_lines(con) == [(2, "W1"), (4, "W3"), (5, "W4")]
    assert masked_rows(con) == ["<not kept: line longer than 2000000 bytes>"]


def test_the_line_limit_is_2000000_bytes_without_the_line_break(con, landing):
    at_limit, over = b"y" * 2_000_000, b"z" * 2_000_001
    lines = [HEADER, at_limit, over, row("W1")]
    load(con, write_lines(landing, lines, b"\r\n"))
    assert quarantine(con) == [
        (2, "*", "wrong number of fields: expected 6, got 1"),  # within the limit: a record
        (3, "*", TOO_LONG),
    ]


def test_other_control_characters_quarantine_their_line_but_tab_is_text(con, landing):
    lines = [
        HEADER,
        row("W1"),
        row("W2", WOP_ID="W\x002"),  # NUL
        row("W3", EINDDATUM="2020-12-31\x1a"),  # the DOS end-of-file byte
        row("W4", WOP_ID="W\r4"),  # a CR that does not end the line
        row("W5", WOP_ID="W\u00855"),  # U+0085, a C1 control (valid UTF-8)
        row("W\t6"),  # TAB is text
    ]
    result = load(con, write_lines(landing, lines))
    assert counts(result) == (6, 2, 4, 0, 0)
    assert quarantine(con) == [(3, "*", CONTROL), (4, "*", CONTROL), (5, "*", CONTROL), (6, "*", CONTROL)]
    assert loaded_lines(con) == [(2, "W1"), (7, "W\t6")]


def test_crlf_bom_blank_line_and_a_repeated_0x01_line_keep_their_line_numbers(con, landing):
    """DuckDB's rejects table numbers these lines wrongly; the line numbers are the file's."""
    bad = row("W2", MAATREGEL="C\x01M")
    lines = [HEADER, row("W1"), b"", bad, bad, row("W3")]
    result = load(con, write_lines(landing, lines, b"\r\n", bom=True))
    # 5 data lines: 1 blank, 4 rows read = 2 loaded + 1 quarantined + 1 exact duplicate.
    assert counts(result) == (4, 2, 1, 1, 1)
    assert quarantine(con) == [(4, "*", CONTROL)]
    assert loaded_lines(con) == [(2, "W1"), (6, "W3")]


def test_a_0x01_at_the_end_of_a_line_or_alone_is_not_dropped(con, landing):
    """DuckDB's CSV reader drops a trailing delimiter: such a line must not load without it."""
    lines = [HEADER, row("W1") + b"\x01", b"\x01", row("W3")]
    result = load(con, write_lines(landing, lines))
    assert counts(result) == (3, 1, 2, 0, 0)
    assert quarantine(con) == [(2, "*", CONTROL), (3, "*", CONTROL)]
    assert loaded_lines(con) == [(4, "W3")]


def test_mixed_line_breaks_keep_every_line_in_its_place(con, landing):
    """CR LF lines in an LF file: DuckDB's reader fails on some and adds a row for others."""
    data = b"".join(
        [HEADER, b"\n", row("W1"), b"\n", row("W2"), b"\r\n", row("W3") + b"\x01", b"\r\n", row("W4"), b"\n"]
    )
    path = landing / "wop_20250630.csv"
    path.write_bytes(data)
    result = load(con, path)
    assert counts(result) == (4, 3, 1, 0, 0)
    assert quarantine(con) == [(4, "*", CONTROL)]
    assert loaded_lines(con) == [(2, "W1"), (3, "W2"), (5, "W4")]


def test_a_line_with_a_control_character_keeps_no_insz(con, landing):
    split_insz = P1[:5] + "\x01" + P1[5:]
    lines = [HEADER, f"W1;{P1}\x01;CM".encode(), row("W2", INSZ=split_insz), row("W3", WOP_ID="W\x023")]
    result = load(con, write_lines(landing, lines))
    assert counts(result) == (3, 0, 3, 0, 0)
    dump = str(con.execute("select * from raw.quarantine").fetchall())
    assert P1 not in dump and P1[:9] not in dump and split_insz not in dump
    assert masked_rows(con)[0] == "W1;<masked>\ufffd;CM"


def test_a_control_character_in_the_header_refuses_the_file(con, landing):
    path = write_lines(landing, [HEADER.replace(b"INSZ", b"IN\x01SZ"), row("W1")])
    with pytest.raises(FileRejected) as info:
        load(con, path)
    assert str(info.value) == "wop_20250630.csv line 1 (header): control character in the line"


@pytest.mark.parametrize(
    ("stray_cr", "offset"),
    [(False, 109), (True, 110)],  # a CR inside line 2 moves the byte one on
    ids=["lf", "stray-cr"],
)
def test_a_file_that_is_not_utf8_is_refused_naming_line_and_byte_offset(con, landing, stray_cr, offset):
    load(con, write_lines(landing, [HEADER, row("OLD")]))
    line_2 = row("W\r1") if stray_cr else row("W1")
    lines = [HEADER, line_2, b"W\xe92;" + P1.encode(), b"W\xff3"]  # latin-1 e-acute on line 3
    path = write_lines(landing, lines)
    with pytest.raises(FileRejected) as info:
        load(con, path)
    message = str(info.value)
    assert message == (
        "wop_20250630.csv: cannot be read as a UTF-8 text file: the first byte that is not UTF-8 "
        f"is on line 3, at byte offset {offset} of the file (byte 2 of the line)"
    )
    assert P1 not in message
    assert loaded_lines(con) == [(2, "OLD")]  # the previous load stays whole


def test_first_byte_not_utf8_across_block_boundaries(tmp_path):
    from dagster_project.ingestion.loader import first_byte_not_utf8

    path = tmp_path / "x.csv"
    path.write_bytes("ab\n\u20ac\n".encode() + b"c\xe2\x82")  # a truncated euro sign at the end
    for block_size in (1, 2, 3, 4, 5, 1 << 22):
        # line 3 starts at byte 7 (a, b, LF, 3 bytes of the euro sign, LF); its byte 2
        assert first_byte_not_utf8(path, block_size) == (3, 8, 1)
    path.write_bytes("ab\n\u20ac\n".encode())
    assert first_byte_not_utf8(path, 2) is None


def test_out_of_memory_is_reported_as_out_of_memory(con, landing):
    load(con, write_lines(landing, [HEADER, row("OLD")]))
    rows = [row(f"W{i}") for i in range(100_000)]  # 5 MB
    path = write_lines(landing, [HEADER, *rows])
    con.execute("set temp_directory = ''")  # nowhere to spill
    con.execute("set memory_limit = '1MB'")
    (limit,) = con.execute("select current_setting('memory_limit')").fetchone()
    with pytest.raises(FileRejected) as info:
        load(con, path)
    con.execute("set memory_limit = '1GB'")
    assert type(info.value).__name__ == "OutOfMemory"
    assert str(info.value) == (
        "wop_20250630.csv: DuckDB ran out of memory while loading it: raise DOORSTROOM_MEMORY_LIMIT "
        f"(DuckDB's memory_limit, now {limit}), or give DOORSTROOM_TEMP_DIR more free disk to spill to"
    )
    assert loaded_lines(con) == [(2, "OLD")]  # the previous load stays whole
