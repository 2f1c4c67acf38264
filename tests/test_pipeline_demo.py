"""The whole pipeline on the calibrated demo delivery (scale 1), run once in process.

Asserts the official 2019-2022 figures (Q1, Q3), every other cohort year as the
generator planned it, that exactly the generator's bad lines are quarantined, that
counts reconcile, and that no raw INSZ reaches the warehouse or the run's logs.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from .conftest import KEY
from .pipeline_support import run_pipeline, settings_for

PROVINCES = [
    "Antwerpen",
    "Limburg",
    "Oost-Vlaanderen",
    "Vlaams-Brabant",
    "West-Vlaanderen",
    "Brussel",
    "Buiten Brussel/Vlaanderen",
    "Onbekend",
]
OFFICIAL_TRANSITIONS = [742, 353, 581, 255, 678, 8, 10, 0]
OFFICIAL_RETURNS = [150, 63, 105, 44, 123, 2, 0, 0]


@pytest.fixture(scope="module")
def demo_run(demo_delivery, tmp_path_factory: pytest.TempPathFactory, capfd_module=None):
    tmp = tmp_path_factory.mktemp("demo_run")
    settings = settings_for(tmp, Path(demo_delivery["files"]["wop"]).parent)
    home = tmp / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with DagsterInstance.local_temp(tempdir=str(home)) as instance:
        result = run_pipeline(settings, KEY, instance=instance)
        messages = [e.message or "" for e in instance.all_logs(result.run_id)]
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    yield result, con, home, messages
    con.close()


def _per_province(con, table: str, measure: str, first: int, last: int) -> list[int]:
    rows = dict(
        con.execute(
            f"select province, sum({measure})::bigint from marts.{table} "
            "where cohort_year between ? and ? group by province",
            [first, last],
        ).fetchall()
    )
    return [rows[p] for p in PROVINCES]


def test_run_succeeds(demo_run):
    result, *_ = demo_run
    assert result.success
    assert [c.check_name for c in result.get_asset_check_evaluations() if not c.passed] == []


def test_official_figures_2019_2022(demo_run):
    _, con, *_ = demo_run
    assert _per_province(con, "transitions_by_province", "transitions", 2019, 2022) == OFFICIAL_TRANSITIONS
    assert _per_province(con, "returns_by_province", "returns", 2019, 2022) == OFFICIAL_RETURNS


def test_every_cohort_year_as_planned(demo_run, demo_delivery):
    _, con, *_ = demo_run
    for year, plan in demo_delivery["planned_transitions"].items():
        if con.execute(
            "select count(*) from marts.transitions_by_province where cohort_year = ?", [year]
        ).fetchone()[0]:
            assert _per_province(con, "transitions_by_province", "transitions", year, year) == [
                plan.get(p, 0) for p in PROVINCES
            ], year
    for year, plan in demo_delivery["planned_returns"].items():
        if sum(plan.values()):
            assert _per_province(con, "returns_by_province", "returns", year, year) == [
                plan.get(p, 0) for p in PROVINCES
            ], year


def test_transitions_in_many_sectors(demo_run):
    _, con, *_ = demo_run
    sectors = con.execute(
        "select count(distinct nace_section) from marts.transitions_by_sector where transitions > 0"
    ).fetchone()[0]
    assert sectors >= 15


def test_exactly_the_bad_lines_are_quarantined_and_counts_reconcile(demo_run, demo_delivery):
    _, con, *_ = demo_run
    for extract, bad in demo_delivery["bad_lines"].items():
        got = [
            r[0]
            for r in con.execute(
                "select line_number from raw.quarantine where extract = ? order by 1", [extract]
            ).fetchall()
        ]
        assert got == sorted(bad), extract
        read, loaded, quarantined, duplicates = con.execute(
            "select rows_read, rows_loaded, rows_quarantined, exact_duplicates from raw.loads "
            "where extract = ? and is_current",
            [extract],
        ).fetchone()
        assert read == demo_delivery["rows"][extract]
        assert (quarantined, duplicates) == (len(bad), demo_delivery["duplicates"][extract])
        assert read == loaded + quarantined + duplicates
        assert quarantined < 0.05 * read


ELEVEN_DIGITS = re.compile(rb"[0-9]{11}")


def _eleven_digit_runs(path: Path) -> set[str]:
    return {m.decode() for m in ELEVEN_DIGITS.findall(path.read_bytes())}


def _input_insz(demo_delivery) -> set[str]:
    """Every 11-digit run in the input files: each INSZ, valid or not (and nothing less)."""
    return set().union(*(_eleven_digit_runs(Path(p)) for p in demo_delivery["files"].values()))


def test_no_raw_insz_in_warehouse_or_logs(demo_run, demo_delivery):
    _, con, home, messages = demo_run
    insz = _input_insz(demo_delivery)
    assert len(insz) > 40_000  # every INSZ of the input, valid or not
    con.execute("create temp table _insz as select unnest(?::varchar[]) as v", [sorted(insz)])
    tables = con.execute(
        """
        select schema_name, table_name, list('"' || column_name || '"')
        from duckdb_columns()
        where data_type = 'VARCHAR' and database_name = current_database()
        group by all
        """
    ).fetchall()
    assert len(tables) > 20
    for schema, table, columns in tables:
        hits = con.execute(
            f"select count(*) from (select unnest(regexp_extract_all(concat_ws('|', {', '.join(columns)}), "
            f'\'[0-9]{{11}}\')) as v from "{schema}"."{table}") join _insz using (v)'
        ).fetchone()[0]
        assert hits == 0, f"{schema}.{table}"
    # The files themselves: the warehouse and everything the run logged.
    texts = [
        Path(
            con.execute(
                "select path from duckdb_databases() where database_name = current_database()"
            ).fetchone()[0]
        )
    ]
    texts += [p for p in home.rglob("*") if p.is_file()]
    texts += [p for p in (Path(__file__).parent.parent / "data" / "dbt" / "logs").rglob("*") if p.is_file()]
    for path in texts:
        assert not _eleven_digit_runs(path) & insz, path
    leaked_messages = {m for text in messages for m in re.findall(r"[0-9]{11}", text)} & insz
    assert not leaked_messages
