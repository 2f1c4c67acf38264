-- Frame of the GX suite transition_kpis_by_province: the Q4 key figures, each
-- cell next to the same cell of transitions_by_province and
-- returns_by_province (full joins: a cell missing on either side is a
-- mismatch), with the year of the data cutoff.
with

transition_kpis_by_province as (

    select * from {{ ref('transition_kpis_by_province') }}

),

transitions_by_province as (

    select * from {{ ref('transitions_by_province') }}

),

returns_by_province as (

    select * from {{ ref('returns_by_province') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

cells as (

    select
        transition_kpis_by_province.cohort_year,
        transition_kpis_by_province.province,
        transition_kpis_by_province.closed_wops,
        transition_kpis_by_province.transitions,
        transition_kpis_by_province.transition_rate,
        transition_kpis_by_province.median_days_to_transition,
        transition_kpis_by_province.sustained_known,
        transition_kpis_by_province.sustained,
        transition_kpis_by_province.returns,
        transition_kpis_by_province.return_rate,
        transition_kpis_by_province.follow_up_complete,
        transitions_by_province.closed_wops as facts_closed_wops,
        transitions_by_province.transitions as facts_transitions,
        transitions_by_province.follow_up_complete as facts_follow_up_complete,
        returns_by_province.returns as facts_returns,
        coalesce(
            transition_kpis_by_province.cohort_year,
            transitions_by_province.cohort_year
        ) as cell_cohort_year

    from transition_kpis_by_province

    full join transitions_by_province
        on
            transition_kpis_by_province.cohort_year
            = transitions_by_province.cohort_year
            and transition_kpis_by_province.province
            = transitions_by_province.province

    full join returns_by_province
        on
            coalesce(
                transition_kpis_by_province.cohort_year,
                transitions_by_province.cohort_year
            ) = returns_by_province.cohort_year
            and coalesce(
                transition_kpis_by_province.province,
                transitions_by_province.province
            ) = returns_by_province.province

),

final as (

    -- coalesce(a = b, a is null and b is null): a is not distinct from b
    select
        cells.cohort_year,
        cells.province,
        cells.closed_wops,
        cells.transitions,
        cells.transition_rate,
        cells.median_days_to_transition,
        cells.sustained_known,
        cells.sustained,
        cells.returns,
        cells.return_rate,
        cells.follow_up_complete,
        cells.cell_cohort_year,
        coalesce(
            cells.closed_wops = cells.facts_closed_wops,
            cells.closed_wops is null and cells.facts_closed_wops is null
        )
        and coalesce(
            cells.transitions = cells.facts_transitions,
            cells.transitions is null and cells.facts_transitions is null
        )
        and coalesce(
            cells.follow_up_complete = cells.facts_follow_up_complete,
            cells.follow_up_complete is null
            and cells.facts_follow_up_complete is null
        ) as counts_match_transitions_by_province,
        coalesce(
            cells.returns = cells.facts_returns,
            cells.returns is null and cells.facts_returns is null
        ) as returns_match_returns_by_province,
        year(data_cutoff.data_cutoff) as cutoff_year

    from cells

    cross join data_cutoff

)

select * from final
