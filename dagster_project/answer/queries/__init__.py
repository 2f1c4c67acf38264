"""The answer's SQL: set-based queries on the published file, opened read-only.

Every query takes a read-only connection to the published DuckDB file and the period
of cohort years (both bounds included) and returns named records (``records``).
Totals (grouping sets), rates, shares and conversions are computed in SQL, so every
figure of the report comes from SQL on the published tables; the vocabulary (province
abbreviations, evaluation labels, order) comes from the published reference tables.
"""

from __future__ import annotations

import duckdb

from ..records import AnswerData, EvaluationData, Sectors2025
from .connection import PublishedFileMissing, connect, fetch
from .counts import (
    classification_reach,
    nace_classifications,
    q1_by_province,
    q1_by_year,
    q2_by_section,
    q2_by_section_2025,
    q3_by_province,
    q3_by_year,
    section_pairs,
)
from .evaluation import MEDIANS_SQL, q4_kpis, q5_evaluations, transition_medians, trigger_shares
from .reference import (
    evaluation_outcomes,
    evaluation_triggers,
    nace_sections,
    nace_sections_2025,
    period,
    provinces,
)

__all__ = [
    "MEDIANS_SQL",
    "OPTIONAL_TABLES",
    "PublishedFileMissing",
    "collect",
    "connect",
    "fetch",
    "optional_tables",
    "transition_medians",
]

# Tables added by the evaluation-figures issue (Q4, Q5) and by NACE-BEL 2025 (issue 15, Q2 in
# the 2025 sections; with them wop_transitions.nace_classification): shown when published.
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
    "transitions_by_sector_2025": frozenset({"cohort_year", "province", "nace_section_2025", "transitions"}),
    "nace_sections_2025": frozenset({"nace_section_2025", "section_name", "sort_order"}),
}


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


def _evaluations(con: duckdb.DuckDBPyConnection, first: int, last: int) -> EvaluationData:
    return EvaluationData(
        triggers=evaluation_triggers(con, first, last),
        outcomes=evaluation_outcomes(con, first, last),
        evaluations=q5_evaluations(con, first, last),
        trigger_shares=trigger_shares(con, first, last),
    )


def _sectors_2025(con: duckdb.DuckDBPyConnection, first: int, last: int) -> Sectors2025 | None:
    """Q2 in NACE-BEL 2025 when the period's cohort years hold a transition dated from 2025 on
    (decided in SQL on wop_transitions), else None."""
    if not classification_reach(con, first, last).transitions_from_2025:
        return None
    return Sectors2025(
        sections=nace_sections_2025(con),
        cells=q2_by_section_2025(con, first, last),
        classifications=nace_classifications(con, first, last),
        section_pairs=section_pairs(con, first, last),
    )


def collect(con: duckdb.DuckDBPyConnection, first: int, last: int) -> AnswerData:
    """Everything the report shows, for the cohort years first..last."""
    optional = optional_tables(con)
    return AnswerData(
        period=period(con, first, last),
        provinces=provinces(con),
        sections=nace_sections(con),
        q1=q1_by_province(con, first, last),
        q1_by_year=q1_by_year(con, first, last),
        q2=q2_by_section(con, first, last),
        q3=q3_by_province(con, first, last),
        q3_by_year=q3_by_year(con, first, last),
        q4=q4_kpis(con, first, last) if optional["transition_kpis_by_province"] else None,
        q5=_evaluations(con, first, last) if optional["evaluations_by_year"] else None,
        q2_2025=_sectors_2025(con, first, last)
        if optional["transitions_by_sector_2025"] and optional["nace_sections_2025"]
        else None,
    )
