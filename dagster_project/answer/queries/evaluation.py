"""Q4 and Q5: the key figures per province and VDAB's evaluations, with every total.

Rates and shares, also those of a total (ratios of its sums), are computed here.
"""

from __future__ import annotations

import duckdb

from ..records import Evaluations, Kpi, TransitionMedian, TriggerShare
from .connection import fetch

# The median number of days from the end of a WOP to its transition (the lower middle value)
# per cohort year and province, and of every total. transition_kpis_by_province publishes the
# same rule per cell (a test keeps the two equal).
MEDIANS_SQL = """
    select
        cohort_year, province,
        grouping(cohort_year) as g_year, grouping(province) as g_province,
        quantile_disc(transition_date - end_date, 0.5) as median_days
    from wop_transitions
    where has_transition and cohort_year between $first and $last
    group by cube (cohort_year, province)
"""


def transition_medians(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[TransitionMedian]:
    """MEDIANS_SQL: the median per cohort year and province, and of every total."""
    sql = f"select cohort_year, province, median_days from ({MEDIANS_SQL})"
    return fetch(con, TransitionMedian, sql, {"first": first, "last": last})


def q4_kpis(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[Kpi]:
    """transition_kpis_by_province per year and province, and summed over provinces and/or years.

    The median of a (year, province) cell is the published one; the median of a total is
    taken over its transitions in wop_transitions (MEDIANS_SQL).
    """
    sql = f"""
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
        medians as ({MEDIANS_SQL})
        select
            s.cohort_year, s.province, s.closed_wops, s.transitions,
            s.transitions / nullif(s.closed_wops, 0) as transition_rate,
            case when s.g_year = 0 and s.g_province = 0 then s.cell_median else m.median_days end
                as median_days,
            s.sustained_known, s.sustained,
            s.sustained / nullif(s.sustained_known, 0) as sustained_share,
            s.returns,
            s.returns / nullif(s.transitions, 0) as return_rate
        from sums s
        left join medians m
            on s.g_year = m.g_year and s.g_province = m.g_province
            and s.cohort_year is not distinct from m.cohort_year
            and s.province is not distinct from m.province
    """
    return fetch(con, Kpi, sql, {"first": first, "last": last})


def q5_evaluations(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[Evaluations]:
    """evaluations_by_year for the years of the period, with every total (cube over year, trigger,
    outcome). follow_up_complete of a total: every year in it is complete."""
    sql = """
        select
            year, trigger, outcome,
            sum(evaluations)::bigint as evaluations,
            sum(with_recent_pop)::bigint as with_recent_pop,
            sum(with_recent_pop) / nullif(sum(evaluations), 0) as recent_pop_share,
            1 - sum(with_recent_pop) / nullif(sum(evaluations), 0) as outdated_pop_share,
            sum(followed_by_transition)::bigint as followed_by_transition,
            sum(followed_by_transition) / nullif(sum(evaluations), 0) as conversion,
            bool_and(follow_up_complete) as follow_up_complete
        from evaluations_by_year
        where year between $first and $last
        group by cube (year, trigger, outcome)
    """
    return fetch(con, Evaluations, sql, {"first": first, "last": last})


def trigger_shares(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[TriggerShare]:
    """Per year of the period, the share of its evaluations with each trigger shown per year
    (evaluation_triggers.shown_per_year); 0 when the year has none with that trigger."""
    sql = """
        with years as (
            select year, sum(evaluations)::bigint as evaluations
            from evaluations_by_year
            where year between $first and $last
            group by year
        )
        select
            y.year, t.trigger,
            coalesce(sum(e.evaluations), 0)::bigint / nullif(y.evaluations, 0) as share
        from years y
        cross join (select trigger from evaluation_triggers where shown_per_year) t
        left join evaluations_by_year e on e.year = y.year and e.trigger = t.trigger
        group by y.year, t.trigger, y.evaluations
    """
    return fetch(con, TriggerShare, sql, {"first": first, "last": last})
