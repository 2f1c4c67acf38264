"""Q1-Q3: transitions, their sectors and returns, summed over the cohort years of the period.

Totals are grouping sets and rates are computed here, so every figure comes from SQL.
"""

from __future__ import annotations

import duckdb

from ..records import CohortCell, ProvinceReturns, ProvinceTransitions, SectorCell
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


def q2_by_section(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[SectorCell]:
    """Transitions per NACE section and province, and every total."""
    sql = """
        select nace_section, province, sum(transitions)::bigint as transitions
        from transitions_by_sector
        where cohort_year between $first and $last
        group by cube (nace_section, province)
    """
    return fetch(con, SectorCell, sql, {"first": first, "last": last})
