"""The answer's SQL: set-based queries on the published file, opened read-only.

Every function takes a read-only connection to the published DuckDB file and the
period of cohort years (both bounds included) and returns plain rows. Totals are
computed here too (grouping sets), so every figure of the report comes from SQL
on the published tables. Rows of a grouping set's total level carry ``None`` in
the grouped column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

# Tables added by the evaluation-figures issue (Q4, Q5): shown when published.
OPTIONAL_TABLES: dict[str, frozenset[str]] = {
    "transition_kpis_by_province": frozenset(
        {
            "cohort_year",
            "province",
            "closed_wops",
            "transitions",
            "transition_rate",
            "median_days_to_transition",
            "sustained_known",
            "sustained",
            "returns",
            "return_rate",
        }
    ),
    "evaluations_by_year": frozenset(
        {
            "year",
            "trigger",
            "outcome",
            "evaluations",
            "with_recent_pop",
            "followed_by_transition",
            "follow_up_complete",
        }
    ),
}

# Order of provinces and sections (the published reference tables); unknown values last.
_PROVINCE_ORDER = "coalesce((select p.sort_order from provinces p where p.province = f.province), 999)"
_SECTION_ORDER = (
    "coalesce((select s.sort_order from nace_sections s where s.nace_section = f.nace_section), 999)"
)


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


@dataclass(frozen=True)
class Period:
    first: int
    last: int
    years: list[int]  # cohort years of the period present in the published tables
    provisional_years: list[int]  # of those, the years whose follow-up is incomplete
    all_years: list[int]  # every published cohort year
    data_cutoff: dt.date | None
    published_at: dt.datetime | None


def period(con: duckdb.DuckDBPyConnection, first: int, last: int) -> Period:
    years = con.execute(
        """
        select cohort_year, bool_and(follow_up_complete) as complete,
               cohort_year between $first and $last as in_period
        from transitions_by_province group by cohort_year order by cohort_year
        """,
        {"first": first, "last": last},
    ).fetchall()
    publication = con.execute("select data_cutoff, published_at from publication").fetchone()
    return Period(
        first=first,
        last=last,
        years=[y for y, _, inside in years if inside],
        provisional_years=[y for y, complete, inside in years if inside and not complete],
        all_years=[y for y, _, _ in years],
        data_cutoff=publication[0] if publication else None,
        published_at=publication[1] if publication else None,
    )


def optional_tables(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """For each optional table: True when it is published with (at least) its defined columns."""
    columns = con.execute(
        """
        select table_name, list(column_name)
        from information_schema.columns
        where table_schema = 'main' and table_name in (select unnest($names))
        group by table_name
        """,
        {"names": list(OPTIONAL_TABLES)},
    ).fetchall()
    present = {name: set(cols) for name, cols in columns}
    return {name: required <= present.get(name, set()) for name, required in OPTIONAL_TABLES.items()}


def provinces(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Province values in published order (reference table, then any other value in the facts)."""
    return [
        r[0]
        for r in con.execute(
            f"""
            select province from (
                select province from provinces
                union select province from transitions_by_province
            ) f
            order by {_PROVINCE_ORDER}, province
            """
        ).fetchall()
    ]


def sections(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(nace_section, Dutch section name) in published order."""
    return con.execute(
        f"""
        select f.nace_section, coalesce(s.section_name, f.nace_section)
        from (
            select nace_section from nace_sections
            union select nace_section from transitions_by_sector
        ) f
        left join nace_sections s using (nace_section)
        order by {_SECTION_ORDER}, f.nace_section
        """
    ).fetchall()


def _by_province(
    con: duckdb.DuckDBPyConnection, table: str, measures: list[str], first: int, last: int
) -> list[tuple]:
    """(province | None for the total, sum of each measure) over the period, in province order."""
    sums = ", ".join(f"sum({m})::bigint" for m in measures)
    return con.execute(
        f"""
        select province, {sums}
        from {table} f
        where cohort_year between $first and $last
        group by grouping sets ((province), ())
        order by grouping(province), {_PROVINCE_ORDER}, province
        """,
        {"first": first, "last": last},
    ).fetchall()


def _cube(
    con: duckdb.DuckDBPyConnection,
    table: str,
    dims: tuple[str, str],
    measures: list[str],
    first: int,
    last: int,
) -> list[tuple]:
    """(dim 1 | None, dim 2 | None, sum of each measure): every cell and every total."""
    sums = ", ".join(f"sum({m})::bigint" for m in measures)
    return con.execute(
        f"""
        select {dims[0]}, {dims[1]}, {sums}
        from {table}
        where cohort_year between $first and $last
        group by cube ({dims[0]}, {dims[1]})
        """,
        {"first": first, "last": last},
    ).fetchall()


def q1_by_province(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[tuple]:
    """(province | None for the total, closed_wops, transitions) over the period."""
    return _by_province(con, "transitions_by_province", ["closed_wops", "transitions"], first, last)


def q1_by_year(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[tuple]:
    """(cohort_year | None, province | None, closed_wops, transitions): cells and every total."""
    dims = ("cohort_year", "province")
    return _cube(con, "transitions_by_province", dims, ["closed_wops", "transitions"], first, last)


def q2_by_section(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[tuple]:
    """(nace_section | None, province | None, transitions): cells and every total."""
    return _cube(con, "transitions_by_sector", ("nace_section", "province"), ["transitions"], first, last)


def q3_by_province(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[tuple]:
    """(province | None for the total, returns) over the period, in province order."""
    return _by_province(con, "returns_by_province", ["returns"], first, last)


def q3_by_year(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[tuple]:
    """(cohort_year | None, province | None, returns): cells and every total."""
    return _cube(con, "returns_by_province", ("cohort_year", "province"), ["returns"], first, last)


@dataclass(frozen=True)
class Kpi:
    cohort_year: int | None  # None: the whole period
    province: str | None  # None: every province
    closed_wops: int
    transitions: int
    transition_rate: float | None
    median_days: int | None
    sustained_known: int
    sustained: int
    sustained_share: float | None
    returns: int
    return_rate: float | None


def q4_kpis(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[Kpi]:
    """transition_kpis_by_province per year and province, and summed over provinces and/or years.

    Rates of a total are ratios of its sums. The median of a (year, province) cell is the
    published one; the median of a total is taken over its transitions in wop_transitions
    (days from end_date to transition_date, lower middle value), as the table defines it.
    """
    rows = con.execute(
        """
        with sums as (
            select
                cohort_year, province,
                grouping(cohort_year) as g_year, grouping(province) as g_province,
                sum(closed_wops)::bigint as closed_wops,
                sum(transitions)::bigint as transitions,
                max(median_days_to_transition) as cell_median,
                sum(sustained_known)::bigint as sustained_known,
                sum(sustained)::bigint as sustained,
                sum(returns)::bigint as returns
            from transition_kpis_by_province
            where cohort_year between $first and $last
            group by cube (cohort_year, province)
        ),
        medians as (
            select
                cohort_year, province,
                grouping(cohort_year) as g_year, grouping(province) as g_province,
                quantile_disc(transition_date - end_date, 0.5) as median_days
            from wop_transitions
            where has_transition and cohort_year between $first and $last
            group by cube (cohort_year, province)
        )
        select
            s.cohort_year, s.province, s.closed_wops, s.transitions,
            s.transitions / nullif(s.closed_wops, 0) as transition_rate,
            case when s.g_year = 0 and s.g_province = 0 then s.cell_median else m.median_days end,
            s.sustained_known, s.sustained,
            s.sustained / nullif(s.sustained_known, 0) as sustained_share,
            s.returns,
            s.returns / nullif(s.transitions, 0) as return_rate
        from sums s
        left join medians m
            on s.g_year = m.g_year and s.g_province = m.g_province
            and s.cohort_year is not distinct from m.cohort_year
            and s.province is not distinct from m.province
        """,
        {"first": first, "last": last},
    ).fetchall()
    return [
        Kpi(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            None if r[5] is None else int(r[5]),
            r[6],
            r[7],
            r[8],
            r[9],
            r[10],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Evaluations:
    year: int | None  # None: the whole period
    trigger: str | None  # None: every trigger
    outcome: str | None  # None: every outcome
    evaluations: int
    with_recent_pop: int
    recent_pop_share: float | None
    followed_by_transition: int
    conversion: float | None
    follow_up_complete: bool


def q5_evaluations(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[Evaluations]:
    """evaluations_by_year for the years of the period, with every total (cube over year, trigger,
    outcome). follow_up_complete of a total: every year in it is complete."""
    rows = con.execute(
        """
        select
            year, trigger, outcome,
            sum(evaluations)::bigint as n,
            sum(with_recent_pop)::bigint as pop,
            sum(with_recent_pop) / nullif(sum(evaluations), 0),
            sum(followed_by_transition)::bigint as followed,
            sum(followed_by_transition) / nullif(sum(evaluations), 0),
            bool_and(follow_up_complete)
        from evaluations_by_year
        where year between $first and $last
        group by cube (year, trigger, outcome)
        """,
        {"first": first, "last": last},
    ).fetchall()
    return [Evaluations(*r) for r in rows]
