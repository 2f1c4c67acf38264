"""The period and the vocabulary of the answer, read from the published reference tables.

Provinces, NACE sections (NACE-BEL 2008 and 2025) and evaluation triggers and outcomes are ordered by their
reference table's sort_order; values the reference table does not know come last,
alphabetically, labelled with the value itself.
"""

from __future__ import annotations

import duckdb

from ..records import EvaluationCode, NaceSection, Period, Province
from .connection import fetch

# Order of the facts (alias f) by a published reference table; unknown values last.
PROVINCE_ORDER = "(select p.sort_order from provinces p where p.province = f.province) nulls last, f.province"


def _section_order(reference: str, column: str) -> str:
    """Order of the facts (alias f) by a NACE sections reference table; unknown values last."""
    return f"(select s.sort_order from {reference} s where s.{column} = f.{column}) nulls last, f.{column}"


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


def provinces(con: duckdb.DuckDBPyConnection) -> list[Province]:
    """Provinces in published order: the reference table, then any other value in the facts."""
    sql = f"""
        select f.province as name, r.abbreviation
        from (
            select province from provinces
            union select province from transitions_by_province
        ) f
        left join provinces r using (province)
        order by {PROVINCE_ORDER}
    """
    return fetch(con, Province, sql)


def _sections(con: duckdb.DuckDBPyConnection, reference: str, facts: str, column: str) -> list[NaceSection]:
    """The sections of a NACE reference table (and any other value of the facts), with their
    Dutch name, in published order."""
    sql = f"""
        select f.{column} as code, coalesce(s.section_name, f.{column}) as name
        from (
            select {column} from {reference}
            union select {column} from {facts}
        ) f
        left join {reference} s using ({column})
        order by {_section_order(reference, column)}
    """
    return fetch(con, NaceSection, sql)


def nace_sections(con: duckdb.DuckDBPyConnection) -> list[NaceSection]:
    """NACE-BEL 2008 sections with their Dutch name in published order."""
    return _sections(con, "nace_sections", "transitions_by_sector", "nace_section")


def nace_sections_2025(con: duckdb.DuckDBPyConnection) -> list[NaceSection]:
    """NACE-BEL 2025 sections with their Dutch name in published order."""
    return _sections(con, "nace_sections_2025", "transitions_by_sector_2025", "nace_section_2025")


def _evaluation_codes(
    con: duckdb.DuckDBPyConnection, column: str, reference: str, first: int, last: int
) -> list[EvaluationCode]:
    sql = f"""
        with present as (
            select distinct {column} as code
            from evaluations_by_year
            where year between $first and $last and {column} is not null
        )
        select
            code,
            coalesce(r.label_nl, code) as label,
            coalesce(r.short_label_nl, code) as short_label,
            coalesce(r.shown_per_year, false) as shown_per_year,
            code in (select code from present) as present
        from (select {column} as code from {reference} union select code from present) f
        left join {reference} r on r.{column} = f.code
        order by r.sort_order nulls last, code
    """
    return fetch(con, EvaluationCode, sql, {"first": first, "last": last})


def evaluation_triggers(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[EvaluationCode]:
    """Every trigger of evaluation_triggers and any other in the period's evaluations, in order."""
    return _evaluation_codes(con, "trigger", "evaluation_triggers", first, last)


def evaluation_outcomes(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[EvaluationCode]:
    """Every outcome of evaluation_outcomes and any other in the period's evaluations, in order."""
    return _evaluation_codes(con, "outcome", "evaluation_outcomes", first, last)
