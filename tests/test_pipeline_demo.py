"""The whole pipeline on the calibrated demo delivery (scale 1), run once in process.

Asserts the official 2019-2022 figures (Q1, Q3), every other cohort year as the
generator planned it, that exactly the generator's bad lines are quarantined, that
counts reconcile, and that no raw INSZ reaches the warehouse or the run's logs.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from .conftest import TEST_ROOT
from .leaks import files_under, insz_of, leaking_files, leaking_tables, leaking_text
from .official import OFFICIAL_RETURNS, OFFICIAL_TRANSITIONS, PROVINCES


@pytest.fixture(scope="module")
def demo_run(demo_pipeline):
    con = duckdb.connect(str(demo_pipeline["settings"].warehouse), read_only=True)
    yield demo_pipeline["result"], con, demo_pipeline["home"], demo_pipeline["messages"]
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
    assert _per_province(con, "transitions_by_province", "transitions", 2019, 2022) == list(
        OFFICIAL_TRANSITIONS.values()
    )
    assert _per_province(con, "returns_by_province", "returns", 2019, 2022) == list(OFFICIAL_RETURNS.values())


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
    largest_share = con.execute(
        "select max(n) / sum(n) from (select sum(transitions) as n from marts.transitions_by_sector "
        "group by nace_section)"
    ).fetchone()[0]
    assert sectors >= 15
    assert largest_share < 0.35  # no single sector takes most transitions


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


def test_no_raw_insz_in_warehouse_published_file_or_logs(demo_pipeline, demo_delivery):
    """Every table of the warehouse and the published file, value by value; every file the run
    wrote (the DuckDB files with their free blocks, the spill folder, GX data docs, Dagster
    storage and compute logs, dbt logs and target), byte by byte; every message it logged."""
    insz = insz_of(Path(p) for p in demo_delivery["files"].values())
    assert len(insz) > 40_000  # every INSZ of the input, valid or not
    settings = demo_pipeline["settings"]
    assert leaking_tables(settings.warehouse, insz) == {}
    assert leaking_tables(settings.published, insz) == {}
    written = files_under(settings.warehouse.parent, TEST_ROOT / "dbt")
    assert settings.published in written and any("gx_data_docs" in p.parts for p in written)
    assert leaking_files(written, insz) == {}
    assert sum(leaking_text(m, insz) for m in demo_pipeline["messages"]) == 0


# Issue 6 (Q4, Q5): the further published tables, read from the analysts' file.
TRIGGERS = ["WERKNEMER", "WERKGEVER", "VIJF_JAAR"]
OUTCOMES = ["DOORSTROOMTRAJECT", "BEHOUD", "AANPASSING"]


@pytest.fixture(scope="module")
def published(demo_pipeline):
    con = duckdb.connect(str(demo_pipeline["settings"].published), read_only=True)
    yield con
    con.close()


def _types(con, table: str) -> dict[str, str]:
    return dict(con.execute(f"select column_name, column_type from (describe {table})").fetchall())


def test_published_kpis_match_the_official_figures_and_stay_in_range(published):
    assert _types(published, "transition_kpis_by_province") == {
        "cohort_year": "INTEGER",
        "province": "VARCHAR",
        "closed_wops": "BIGINT",
        "transitions": "BIGINT",
        "transition_rate": "DOUBLE",
        "median_days_to_transition": "INTEGER",
        "sustained_known": "BIGINT",
        "sustained": "BIGINT",
        "returns": "BIGINT",
        "return_rate": "DOUBLE",
        "follow_up_complete": "BOOLEAN",
    }
    rows = {
        r[0]: r[1:]
        for r in published.execute(
            "select province, sum(transitions)::bigint, sum(returns)::bigint "
            "from transition_kpis_by_province where cohort_year between 2019 and 2022 group by province"
        ).fetchall()
    }
    assert [rows[p][0] for p in PROVINCES] == list(OFFICIAL_TRANSITIONS.values())
    assert [rows[p][1] for p in PROVINCES] == list(OFFICIAL_RETURNS.values())
    # Cell by cell the same grid and counts as the contract's tables.
    assert (
        published.execute(
            "select cohort_year, province, closed_wops, transitions, follow_up_complete "
            "from transition_kpis_by_province order by all"
        ).fetchall()
        == published.execute("select * from transitions_by_province order by all").fetchall()
    )
    assert (
        published.execute(
            "select cohort_year, province, returns from transition_kpis_by_province order by all"
        ).fetchall()
        == published.execute("select * from returns_by_province order by all").fetchall()
    )
    # Published in cohort year and province order.
    first = published.execute("select province from transition_kpis_by_province limit 8").fetchall()
    assert [p for (p,) in first] == PROVINCES
    bad = published.execute(
        """
        select count(*) filter (where (transition_rate is null) != (closed_wops = 0)
                                   or transition_rate not between 0 and 1),
               count(*) filter (where (return_rate is null) != (transitions = 0) or return_rate < 0),
               count(*) filter (where (median_days_to_transition is null) != (transitions = 0)
                                   or median_days_to_transition not between 1 and 731),
               count(*) filter (where not sustained <= sustained_known
                                   or not sustained_known <= transitions)
        from transition_kpis_by_province
        """
    ).fetchone()
    assert bad == (0, 0, 0, 0)
    # 2019-2021: every transition lies before 2024-12-31, so its 12-month point is known.
    assert published.execute(
        "select count(*) from transition_kpis_by_province "
        "where cohort_year between 2019 and 2021 and sustained_known != transitions"
    ).fetchone() == (0,)
    share = published.execute(
        "select sum(sustained) / sum(sustained_known) from transition_kpis_by_province "
        "where cohort_year between 2019 and 2022"
    ).fetchone()[0]
    assert 0.5 < share < 1


def test_published_evaluations_tell_the_story(published):
    assert _types(published, "evaluations_by_year") == {
        "year": "INTEGER",
        "trigger": "VARCHAR",
        "outcome": "VARCHAR",
        "evaluations": "BIGINT",
        "with_recent_pop": "BIGINT",
        "followed_by_transition": "BIGINT",
        "follow_up_complete": "BOOLEAN",
    }
    cells = published.execute("select year, trigger, outcome from evaluations_by_year").fetchall()
    years = sorted({y for y, *_ in cells})
    assert cells == [(y, t, o) for y in years for t in TRIGGERS for o in OUTCOMES]  # dense, in order
    assert years == list(range(2015, 2026))
    per_trigger = dict(
        published.execute(
            "select trigger, sum(evaluations) / (select sum(evaluations) from evaluations_by_year) "
            "from evaluations_by_year group by trigger"
        ).fetchall()
    )
    assert per_trigger["VIJF_JAAR"] > 0.6  # most evaluations are the five-year evaluation
    not_recent = published.execute(
        "select 1 - sum(with_recent_pop) / sum(evaluations) from evaluations_by_year"
    ).fetchone()[0]
    assert 0.15 < not_recent < 0.35  # about a fifth outdated, a few without a POP
    conversion = dict(
        published.execute(
            "select outcome, sum(followed_by_transition) / sum(evaluations) from evaluations_by_year "
            "where follow_up_complete group by outcome"
        ).fetchall()
    )
    assert conversion["DOORSTROOMTRAJECT"] > 0.3
    assert conversion["DOORSTROOMTRAJECT"] > 10 * conversion["BEHOUD"]


def test_published_overdue_evaluations_are_open_unevaluated_cm_wops(published, demo_run):
    _, con, *_ = demo_run
    assert _types(published, "overdue_evaluations") == {
        "wop_id": "VARCHAR",
        "person_id": "VARCHAR",
        "employer_kbo": "VARCHAR",
        "start_date": "DATE",
        "due_date": "DATE",
    }
    cutoff = published.execute("select data_cutoff from publication").fetchone()[0]
    overdue = published.execute("select wop_id, start_date, due_date from overdue_evaluations").fetchall()
    assert len(overdue) > 100
    assert all(start.year >= 2019 and due <= cutoff for _, start, due in overdue)
    ids = [w for w, *_ in overdue]
    assert con.execute(
        """
        select count(*) filter (where maatregel = 'CM' and (einddatum is null or einddatum > ?)
                                    and startdatum + interval 5 year <= ?),
               count(*) filter (where wop_id in (select wop_id from raw.evaluatie where wop_id is not null))
        from raw.wop where wop_id in (select unnest(?::varchar[]))
        """,
        [cutoff, cutoff, ids],
    ).fetchone() == (len(ids), 0)


# Each published table in the order its dbt model sorts it (the publication copies the stored
# order): by the key, provinces, sections, triggers and outcomes by the seeds' sort_order.
PUBLISHED_ORDER = {
    "transitions_by_province": "f.cohort_year, p.sort_order",
    "returns_by_province": "f.cohort_year, p.sort_order",
    "transition_kpis_by_province": "f.cohort_year, p.sort_order",
    "transitions_by_sector": "f.cohort_year, p.sort_order, s.sort_order",
    "wop_transitions": "f.cohort_year, f.wop_id",
    "evaluations_by_year": "f.year, t.sort_order, o.sort_order",
    "overdue_evaluations": "f.due_date, f.wop_id",
    "provinces": "f.sort_order",
    "nace_sections": "f.sort_order",
    "evaluation_triggers": "f.sort_order",
    "evaluation_outcomes": "f.sort_order",
}


@pytest.mark.parametrize("table", sorted(PUBLISHED_ORDER))
def test_published_tables_keep_the_order_their_model_sorts_them_in(published, table):
    columns = [r[0] for r in published.execute(f"describe {table}").fetchall()]
    joins = {
        "province": "left join provinces p using (province)",
        "nace_section": "left join nace_sections s using (nace_section)",
        "trigger": "left join evaluation_triggers t using (trigger)",
        "outcome": "left join evaluation_outcomes o using (outcome)",
    }
    join = " ".join(sql for column, sql in joins.items() if column in columns and table not in sql)
    ordered = published.execute(
        f"select {', '.join('f.' + c for c in columns)} from {table} f {join} "
        f"order by {PUBLISHED_ORDER[table]}"
    ).fetchall()
    stored = published.execute(f"select * from {table}").fetchall()
    assert len(stored) > 1
    assert stored == ordered
