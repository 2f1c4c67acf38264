"""Ingestion of hand-made extracts: every quarantine rule of contract part A, one by one."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingestion.extracts import EXTRACTS
from dagster_project.ingestion.landing import parse_file_name, survey
from dagster_project.ingestion.loader import FileRejected, ingest_file
from dagster_project.ingestion.pseudonym import pseudonym

from .conftest import KEY, insz, kbo

WOP_HEADER = ["WOP_ID", "INSZ", "MAATREGEL", "KBO_WERKGEVER", "STARTDATUM", "EINDDATUM"]
TW_HEADER = ["INSZ", "KBO_WERKGEVER", "NACE", "STARTDATUM", "EINDDATUM"]
VB_HEADER = ["INSZ", "LAND", "POSTCODE", "GELDIG_VAN", "GELDIG_TOT"]
EV_HEADER = ["EVALUATIE_ID", "INSZ", "WOP_ID", "DATUM", "AANLEIDING", "POP_DATUM", "UITKOMST"]

P1 = insz("850730", 33)
K1 = kbo(4031707)


def good_wop(wop_id: str = "W1", **over: str) -> list[str]:
    row = {
        "WOP_ID": wop_id,
        "INSZ": P1,
        "MAATREGEL": "CM",
        "KBO_WERKGEVER": K1,
        "STARTDATUM": "2019-01-01",
        "EINDDATUM": "2020-12-31",
    }
    row.update(over)
    return [row[c] for c in WOP_HEADER]


def load(con: duckdb.DuckDBPyConnection, path: Path):
    f = parse_file_name(path)
    assert f is not None
    return ingest_file(con, f, KEY)


def quarantine(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select line_number, column_name, rule from raw.quarantine order by line_number"
    ).fetchall()


def test_valid_rows_load_with_pseudonym_and_types(con, write_csv):
    path = write_csv("wop_20250630.csv", WOP_HEADER, [good_wop("W1"), good_wop("W2", EINDDATUM="")])
    result = load(con, path)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.exact_duplicates) == (
        2,
        2,
        0,
        0,
    )
    rows = con.execute(
        "select wop_id, insz_pseudonym, startdatum, einddatum, _line_number from raw.wop order by wop_id"
    ).fetchall()
    assert rows[0][1] == pseudonym(P1, KEY)
    assert str(rows[0][2]) == "2019-01-01" and str(rows[0][3]) == "2020-12-31"
    assert rows[1][3] is None  # empty field = null: an open dossier
    assert [r[4] for r in rows] == [2, 3]


@pytest.mark.parametrize(
    ("override", "column", "rule_start"),
    [
        ({"WOP_ID": ""}, "WOP_ID", "required value missing"),
        ({"INSZ": ""}, "INSZ", "required value missing"),
        ({"INSZ": P1[:-1] + str((int(P1[-1]) + 1) % 10)}, "INSZ", "invalid INSZ"),
        ({"INSZ": P1[:10]}, "INSZ", "invalid INSZ"),
        ({"INSZ": "85.07.30-033." + P1[-2:]}, "INSZ", "invalid INSZ"),
        ({"MAATREGEL": "XX"}, "MAATREGEL", "unknown code"),
        ({"MAATREGEL": "cm"}, "MAATREGEL", "unknown code"),
        ({"MAATREGEL": ""}, "MAATREGEL", "required value missing"),
        ({"KBO_WERKGEVER": K1[:-1] + str((int(K1[-1]) + 1) % 10)}, "KBO_WERKGEVER", "invalid KBO"),
        ({"KBO_WERKGEVER": "2" + K1[1:]}, "KBO_WERKGEVER", "invalid KBO"),
        ({"STARTDATUM": ""}, "STARTDATUM", "required value missing"),
        ({"STARTDATUM": "2019-02-29"}, "STARTDATUM", "date does not parse"),
        ({"STARTDATUM": "01/02/2019"}, "STARTDATUM", "date does not parse"),
        ({"STARTDATUM": "2019-1-1"}, "STARTDATUM", "date does not parse"),
        ({"STARTDATUM": "1949-12-31"}, "STARTDATUM", "date outside 1950-01-01 .. 2026-06-30"),
        ({"EINDDATUM": "2026-07-01"}, "EINDDATUM", "date outside"),
        ({"EINDDATUM": "2018-12-31"}, "EINDDATUM", "end before start"),
    ],
)
def test_each_wop_rule_quarantines_one_row(con, write_csv, override, column, rule_start):
    rows = [good_wop("W0"), good_wop("W1", **override)]
    result = load(con, write_csv("wop_20250630.csv", WOP_HEADER, rows))
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    [(line, col, rule)] = quarantine(con)
    assert (line, col) == (3, column)
    assert rule.startswith(rule_start)


def test_date_bounds_are_inclusive(con, write_csv):
    rows = [
        good_wop("W1", STARTDATUM="1950-01-01", EINDDATUM="2026-06-30"),  # both bounds valid
        good_wop("W2", STARTDATUM="2020-02-29", EINDDATUM="2020-02-29"),  # leap day; end = start
    ]
    result = load(con, write_csv("wop_20250630.csv", WOP_HEADER, rows))
    assert result.rows_loaded == 2


def test_extraction_date_on_leap_day_bounds_at_28_february(con, write_csv):
    rows = [good_wop("W1", EINDDATUM="2025-02-28"), good_wop("W2", EINDDATUM="2025-03-01")]
    load(con, write_csv("wop_20240229.csv", WOP_HEADER, rows))
    assert [(r[0], r[1]) for r in quarantine(con)] == [(3, "EINDDATUM")]


def test_wrong_number_of_fields_and_bad_quoting(con, write_csv):
    rows = [good_wop("W1"), good_wop("W2")[:5], [*good_wop("W3"), "x"], ['"W4', *good_wop("W4")[1:]]]
    result = load(con, write_csv("wop_20250630.csv", WOP_HEADER, rows))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 1, 3)
    got = quarantine(con)
    assert [(r[0], r[1]) for r in got] == [(3, "*"), (4, "*"), (5, "*")]
    assert got[0][2] == "wrong number of fields: expected 6, got 5"
    assert got[1][2] == "wrong number of fields: expected 6, got 7"
    assert got[2][2] == "malformed quoting"


def test_quoted_fields_with_delimiter_and_escaped_quote(con, write_csv):
    rows = [['"W;1"', P1, '"CM"', K1, "2019-01-01", '""'], ['"W""2"', P1, "CM", K1, "2019-01-01", ""]]
    result = load(con, write_csv("wop_20250630.csv", WOP_HEADER, rows))
    assert result.rows_loaded == 2
    assert con.execute("select wop_id from raw.wop order by 1").fetchall() == [('W"2',), ("W;1",)]


def test_bom_shuffled_mixed_case_and_extra_columns(con, write_csv):
    header = ["einddatum", "Kbo_Werkgever", "OPMERKING", "insz", "MaatRegel", "startdatum", "wop_id"]
    row = ["2020-12-31", K1, "vrije tekst", P1, "CM", "2019-01-01", "W1"]
    result = load(con, write_csv("wop_20250630.csv", header, [row], bom=True))
    assert (result.rows_loaded, result.extra_columns) == (1, "OPMERKING")
    assert con.execute("select wop_id, maatregel, kbo_werkgever from raw.wop").fetchall() == [
        ("W1", "CM", K1)
    ]


def test_missing_column_rejects_the_file_naming_file_and_column(con, write_csv):
    load(con, write_csv("wop_20250101.csv", WOP_HEADER, [good_wop("W1")]))
    path = write_csv(
        "wop_20250630.csv",
        [c for c in WOP_HEADER if c != "MAATREGEL"],
        [good_wop("W2")[:2] + good_wop("W2")[3:]],
    )
    with pytest.raises(
        FileRejected, match=r"wop_20250630\.csv line 1 \(header\): missing column\(s\) MAATREGEL"
    ):
        load(con, path)
    # The previous load stays whole.
    assert con.execute("select wop_id from raw.wop").fetchall() == [("W1",)]


def test_exact_duplicates_load_once_and_conflicting_keys_quarantine_all(con, write_csv):
    rows = [
        good_wop("W1"),
        good_wop("W1"),
        good_wop("W1"),
        good_wop("W2"),
        good_wop("W2", EINDDATUM="2021-01-01"),
        good_wop("W3"),
    ]
    result = load(con, write_csv("wop_20250630.csv", WOP_HEADER, rows))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.exact_duplicates) == (
        6,
        2,
        2,
        2,
    )
    assert quarantine(con) == [
        (5, "WOP_ID", "conflicting duplicate key"),
        (6, "WOP_ID", "conflicting duplicate key"),
    ]
    assert con.execute("select wop_id from raw.wop order by 1").fetchall() == [("W1",), ("W3",)]


def test_tewerkstelling_nace_never_quarantines(con, write_csv):
    rows = [
        [P1, K1, nace, "2020-01-01", "2020-03-31"]
        for nace in ["87.101", "87101", "", "8710", "xx.yyy", "00.000"]
    ]
    result = load(con, write_csv("tewerkstelling_20250630.csv", TW_HEADER, rows))
    assert (result.rows_loaded, result.rows_quarantined) == (6, 0)
    assert con.execute("select count(*) from raw.tewerkstelling where nace is null").fetchone() == (1,)


def test_tewerkstelling_rules(con, write_csv):
    rows = [
        [P1, K1, "87.101", "2020-01-01", ""],
        [P1, "", "87.101", "2020-01-01", ""],
        [P1, K1, "87.101", "2020-04-01", "2020-03-31"],
    ]
    load(con, write_csv("tewerkstelling_20250630.csv", TW_HEADER, rows))
    assert quarantine(con) == [
        (3, "KBO_WERKGEVER", "required value missing"),
        (4, "EINDDATUM", "end before start (STARTDATUM)"),
    ]


def test_verblijfplaats_postcode_rules(con, write_csv):
    rows = [
        [P1, "BE", "2000", "2010-01-01", ""],
        [P1, "BE", "", "2010-01-01", ""],
        [P1, "BE", "200", "2010-01-01", ""],
        [P1, "BE", "B-2000", "2010-01-01", ""],
        [P1, "NL", "", "2010-01-01", ""],
        [P1, "FR", "75001", "2010-01-01", ""],
        [P1, "", "2000", "2010-01-01", ""],
        [P1, "BE", "2000", "2010-01-01", "2009-12-31"],
    ]
    result = load(con, write_csv("verblijfplaats_20250630.csv", VB_HEADER, rows))
    assert result.rows_loaded == 3
    assert quarantine(con) == [
        (3, "POSTCODE", "required value missing (POSTCODE is required when LAND is BE)"),
        (4, "POSTCODE", "Belgian POSTCODE not 4 digits"),
        (5, "POSTCODE", "Belgian POSTCODE not 4 digits"),
        (8, "LAND", "required value missing"),
        (9, "GELDIG_TOT", "end before start (GELDIG_VAN)"),
    ]


def test_evaluatie_rules(con, write_csv):
    def ev(eid: str, **over: str) -> list[str]:
        row = {
            "EVALUATIE_ID": eid,
            "INSZ": P1,
            "WOP_ID": "W1",
            "DATUM": "2024-05-01",
            "AANLEIDING": "VIJF_JAAR",
            "POP_DATUM": "2023-09-01",
            "UITKOMST": "BEHOUD",
        }
        row.update(over)
        return [row[c] for c in EV_HEADER]

    rows = [
        ev("E1"),
        ev("E2", WOP_ID="", POP_DATUM=""),
        ev("E3", AANLEIDING="MINISTER"),
        ev("E4", UITKOMST="ONTSLAG"),
        ev("E5", DATUM=""),
        ev("E6", POP_DATUM="2023-13-01"),
        ev("E7"),
        ev("E7", UITKOMST="AANPASSING"),
    ]
    result = load(con, write_csv("evaluatie_20250630.csv", EV_HEADER, rows))
    assert result.rows_loaded == 2
    assert [(r[0], r[1]) for r in quarantine(con)] == [
        (4, "AANLEIDING"),
        (5, "UITKOMST"),
        (6, "DATUM"),
        (7, "POP_DATUM"),
        (8, "EVALUATIE_ID"),
        (9, "EVALUATIE_ID"),
    ]


def test_born_from_2000_insz_is_valid(con, write_csv):
    rows = [[insz("050101", 12, born_2000=True), K1, "87101", "2024-01-01", ""]]
    assert load(con, write_csv("tewerkstelling_20250630.csv", TW_HEADER, rows)).rows_loaded == 1


def test_counts_reconcile_and_reingest_is_idempotent(con, write_csv):
    rows = [good_wop("W1"), good_wop("W1"), good_wop("W2", MAATREGEL="?"), good_wop("W3")[:3], good_wop("W4")]
    path = write_csv("wop_20250630.csv", WOP_HEADER, rows)
    first = load(con, path)
    assert first.rows_read == first.rows_loaded + first.rows_quarantined + first.exact_duplicates == 5
    snapshot = con.execute("select * from raw.wop order by all").fetchall(), quarantine(con)
    second = load(con, path)
    assert second.skipped and second.rows_loaded == first.rows_loaded
    forced = ingest_file(con, parse_file_name(path), KEY, force=True)
    assert not forced.skipped
    assert (con.execute("select * from raw.wop order by all").fetchall(), quarantine(con)) == snapshot
    assert con.execute("select count(*), count(*) filter (is_current) from raw.loads").fetchone() == (1, 1)


def test_newest_file_of_each_extract_is_current(landing, con, write_csv):
    write_csv("wop_20250101.csv", WOP_HEADER, [good_wop("OLD")])
    write_csv("wop_20250630.csv", WOP_HEADER, [good_wop("NEW")])
    write_csv("notes.txt", ["x"], [])
    files = survey(landing).current
    assert set(files) == {"wop"} and files["wop"].name == "wop_20250630.csv"
    load(con, landing / "wop_20250101.csv")
    load(con, landing / "wop_20250630.csv")
    assert con.execute("select wop_id from raw.wop").fetchall() == [("NEW",)]
    assert con.execute("select file_name, is_current from raw.loads order by 1").fetchall() == [
        ("wop_20250101.csv", False),
        ("wop_20250630.csv", True),
    ]


def test_no_raw_insz_in_quarantine_even_in_malformed_rows(con, write_csv):
    rows = [good_wop("W1", MAATREGEL="X"), [*good_wop("W2"), "extra"], [P1, "oops"]]
    load(con, write_csv("wop_20250630.csv", WOP_HEADER, rows))
    dump = str(con.execute("select * from raw.quarantine").fetchall())
    assert P1 not in dump and P1[:9] not in dump
    assert pseudonym(P1, KEY) in dump  # the well-formed row keeps the pseudonym, for tracing


def test_every_extract_has_a_raw_table(con, write_csv):
    headers = {
        "wop": WOP_HEADER,
        "tewerkstelling": TW_HEADER,
        "verblijfplaats": VB_HEADER,
        "evaluatie": EV_HEADER,
    }
    assert set(headers) == set(EXTRACTS)
    for name, header in headers.items():
        load(con, write_csv(f"{name}_20250630.csv", header, []))
    assert con.execute("select count(*) from raw.loads where is_current").fetchone() == (4,)


def test_quarantined_row_keeps_its_dates_as_written_and_no_insz(con, write_csv):
    rows = [good_wop("W1", KBO_WERKGEVER="123", EINDDATUM="2020-13-01"), good_wop("W2", MAATREGEL="XX")]
    load(con, write_csv("wop_20250630.csv", WOP_HEADER, rows))
    masked = [
        json.loads(r[0])
        for r in con.execute("select row_masked from raw.quarantine order by line_number").fetchall()
    ]
    assert masked[0]["STARTDATUM"] == "2019-01-01" and masked[0]["EINDDATUM"] == "2020-13-01"
    assert masked[1]["STARTDATUM"] == "2019-01-01" and masked[1]["EINDDATUM"] == "2020-12-31"
    assert masked[0]["KBO_WERKGEVER"] == "123" and masked[1]["MAATREGEL"] == "XX"
    assert masked[0]["INSZ_PSEUDONYM"] == pseudonym(P1, KEY) and P1 not in json.dumps(masked)


def test_duplicates_compare_the_values_not_the_text(con, write_csv):
    """Equal values are duplicates even with other spacing; an unparsable date differs from another."""
    rows = [
        good_wop("W1"),
        [f" {v} " for v in good_wop("W1")],  # the same values, padded: an exact duplicate
        good_wop("W2", EINDDATUM="2020-13-01"),
        good_wop("W2", EINDDATUM="2020-14-01"),  # same key, other unparsable date: not a duplicate
    ]
    result = load(con, write_csv("wop_20250630.csv", WOP_HEADER, rows))
    assert (result.rows_loaded, result.rows_quarantined, result.exact_duplicates) == (1, 2, 1)
    assert [r[0] for r in quarantine(con)] == [4, 5]


# ------------------------------------------------------------------ issue 11: nothing personal leaks


def test_a_file_without_its_header_row_is_rejected_without_quoting_it(con, write_csv):
    """The first line is then a data row: the message names the file, line and columns only."""
    path = write_csv("wop_20250630.csv", good_wop("W1"), [good_wop("W2")])
    with pytest.raises(FileRejected) as info:
        load(con, path)
    message = str(info.value)
    assert message == (
        "wop_20250630.csv line 1 (header): missing column(s) WOP_ID, INSZ, MAATREGEL, KBO_WERKGEVER, "
        "STARTDATUM, EINDDATUM; the header has 6 field(s), 0 of them contract column(s) "
        "(is the header row missing?)"
    )
    for value in good_wop("W1"):
        assert value not in message


def test_a_header_repeating_a_column_names_the_column_only(con, write_csv):
    path = write_csv("wop_20250630.csv", [*WOP_HEADER, "insz"], [[*good_wop("W1"), P1]])
    with pytest.raises(FileRejected, match=r"line 1 \(header\): column\(s\) INSZ appear more than once"):
        load(con, path)


def test_extra_column_names_that_look_like_an_insz_are_masked(con, write_csv):
    result = load(con, write_csv("wop_20250630.csv", [*WOP_HEADER, P1, "REMARK"], [[*good_wop(), "a", "b"]]))
    assert result.extra_columns == "<masked>, REMARK"


def test_values_failing_their_format_are_not_kept_raw(con, write_csv):
    """An INSZ typed into a free field (NACE, LAND, a foreign POSTCODE) or a key never reaches a
    table: a free field keeps it masked, a key its keyed hash (still unique, still joins)."""
    dotted = f"{P1[:2]}.{P1[2:4]}.{P1[4:6]}-{P1[6:9]}.{P1[9:]}"
    load(
        con,
        write_csv(
            "tewerkstelling_20250630.csv",
            TW_HEADER,
            [
                [P1, K1, P1, "2020-01-01", ""],
                [P1, K1, dotted, "2020-02-01", ""],
                [P1, K1, "88.101", "2020-03-01", ""],
                [P1, K1, "88101", "2020-04-01", ""],
                [P1, K1, "onbekend", "2020-05-01", ""],
            ],
        ),
    )
    nace = [r[0] for r in con.execute("select nace from raw.tewerkstelling order by startdatum").fetchall()]
    assert nace == ["<masked>", "<masked>", "88.101", "88101", "onbekend"]
    load(con, write_csv("verblijfplaats_20250630.csv", VB_HEADER, [[P1, "NL", P1, "2020-01-01", ""]]))
    assert con.execute("select land, postcode from raw.verblijfplaats").fetchall() == [("NL", "<masked>")]
    load(con, write_csv("wop_20250630.csv", WOP_HEADER, [good_wop(P1), good_wop("W2")]))
    ids = [r[0] for r in con.execute("select wop_id from raw.wop order by wop_id").fetchall()]
    assert ids == ["W2", "pseudonym:" + pseudonym(P1, KEY)]
    dump = str([con.execute(f"select * from raw.{t}").fetchall() for t in EXTRACTS])
    assert P1 not in dump and P1[:9] not in dump and dotted not in dump
