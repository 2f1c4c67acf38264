"""Q1-Q3: transitions, their sectors and returns, summed over the cohort years of the period.

Totals are grouping sets and rates are computed here, so every figure comes from SQL.
"""

from __future__ import annotations

import duckdb

from ..records import (
    ClassificationCount,
    ClassificationReach,
    CohortCell,
    ProvinceReturns,
    ProvinceTransitions,
    SectionPair,
    Sector2025Cell,
    SectorCell,
)
from .connection import fetch
from .reference import PROVINCE_ORDER


def q1_by_province(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[ProvinceTransitions]:
    """Closed WOPs, transitions and their rate per province, in province order, then the total."""
    sql = f"""
        select
            province,
            sum(closed_wops)::bigint as closed_wops,
            sum(transitions)::bigint as transitions,
            sum(transitions)::bigint / nullif(sum(closed_wops)::bigint, 0) as transition_rate
        from transitions_by_province f
        where cohort_year between $first and $last
        group by grouping sets ((province), ())
        order by grouping(province), {PROVINCE_ORDER}
    """
    return fetch(con, ProvinceTransitions, sql, {"first": first, "last": last})


def q3_by_province(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[ProvinceReturns]:
    """Returns per province, in province order, then the total, with the transitions of the
    province (Q1; 0 for a province without transitions in the period)."""
    sql = f"""
        with returns as (
            select province, grouping(province) as g, sum(returns)::bigint as returns
            from returns_by_province
            where cohort_year between $first and $last
            group by grouping sets ((province), ())
        ),
        transitions as (
            select province, grouping(province) as g, sum(transitions)::bigint as transitions
            from transitions_by_province
            where cohort_year between $first and $last
            group by grouping sets ((province), ())
        )
        select
            f.province,
            case when t.g is null then 0 else t.transitions end as transitions,
            f.returns
        from returns f
        left join transitions t on t.g = f.g and t.province is not distinct from f.province
        order by f.g, {PROVINCE_ORDER}
    """
    return fetch(con, ProvinceReturns, sql, {"first": first, "last": last})


def _cohort_cells(
    con: duckdb.DuckDBPyConnection, table: str, measure: str, first: int, last: int
) -> list[CohortCell]:
    sql = f"""
        select cohort_year, province, sum({measure})::bigint as count
        from {table}
        where cohort_year between $first and $last
        group by cube (cohort_year, province)
    """
    return fetch(con, CohortCell, sql, {"first": first, "last": last})


def q1_by_year(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[CohortCell]:
    """Transitions per cohort year and province, and every total."""
    return _cohort_cells(con, "transitions_by_province", "transitions", first, last)


def q3_by_year(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[CohortCell]:
    """Returns per cohort year and province, and every total."""
    return _cohort_cells(con, "returns_by_province", "returns", first, last)


def _section_cube(
    con: duckdb.DuckDBPyConnection, record: type, facts: str, column: str, first: int, last: int
) -> list:
    """Transitions per section (of one classification) and province, and every total."""
    sql = f"""
        select {column}, province, sum(transitions)::bigint as transitions
        from {facts}
        where cohort_year between $first and $last
        group by cube ({column}, province)
    """
    return fetch(con, record, sql, {"first": first, "last": last})


def q2_by_section(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[SectorCell]:
    """Transitions per NACE-BEL 2008 section and province, and every total."""
    return _section_cube(con, SectorCell, "transitions_by_sector", "nace_section", first, last)


def q2_by_section_2025(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[Sector2025Cell]:
    """Transitions per NACE-BEL 2025 section and province, and every total."""
    return _section_cube(con, Sector2025Cell, "transitions_by_sector_2025", "nace_section_2025", first, last)


def section_pairs(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[SectionPair]:
    """The NACE-BEL 2008 section of each NACE-BEL 2025 section among the period's transitions,
    as the published file has them (wop_transitions holds both sections of every transition):
    the conversion of contract appendix E, read from the data instead of written again."""
    sql = """
        select distinct nace_section_2025, nace_section
        from wop_transitions
        where has_transition and cohort_year between $first and $last
        order by all
    """
    return fetch(con, SectionPair, sql, {"first": first, "last": last})


# The first day of NACE-BEL 2025: an employment line that starts on or after it is coded in
# NACE-BEL 2025 (contract part A, tewerkstelling.NACE).
NACE_2025_START = "date '2025-01-01'"


def classification_reach(con: duckdb.DuckDBPyConnection, first: int, last: int) -> ClassificationReach:
    """How many transitions of the period's cohort years are dated on or after the start of
    NACE-BEL 2025: when any is, the answer adds the sector table in NACE-BEL 2025."""
    sql = f"""
        select count(*) as transitions_from_2025
        from wop_transitions
        where has_transition
          and cohort_year between $first and $last
          and transition_date >= {NACE_2025_START}
    """
    return fetch(con, ClassificationReach, sql, {"first": first, "last": last})[0]


def nace_classifications(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[ClassificationCount]:
    """Transitions of the period per classification their job's NACE code was delivered in,
    oldest classification first."""
    sql = """
        select nace_classification, count(*) as transitions
        from wop_transitions
        where has_transition and cohort_year between $first and $last
        group by nace_classification
        order by nace_classification
    """
    return fetch(con, ClassificationCount, sql, {"first": first, "last": last})
