-- Frame of the GX suite wop_transitions: wop_transitions summarised per cohort
-- year, province and section (a few hundred rows at any scale), with the
-- row-level window and consistency rules counted, the share of cohort WOPs
-- without a residence (the province with fallback_for 'no residence') over
-- all cohort WOPs, and the year of the data cutoff.
with

wop_transitions as (

    select * from {{ ref('wop_transitions') }}

),

provinces as (

    select * from {{ ref('provinces') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

flagged as (

    select
        wop_transitions.cohort_year,
        wop_transitions.province,
        wop_transitions.nace_section,
        wop_transitions.end_date,
        wop_transitions.has_transition,
        wop_transitions.transition_date,
        data_cutoff.data_cutoff,
        coalesce(provinces.fallback_for = 'no residence', false)
            as has_no_residence

    from wop_transitions

    left join provinces
        on wop_transitions.province = provinces.province

    cross join data_cutoff

),

final as (

    select
        cohort_year,
        province,
        nace_section,
        count(*) as cohort_wops,
        count(*) filter (where has_transition) as transitions,
        count(*) filter (
            where
            has_transition
            and not (
                transition_date > end_date
                and transition_date <= end_date + interval 24 month
            )
        ) as transitions_outside_window,
        count(*) filter (
            where has_transition != (transition_date is not null)
        ) as inconsistent_rows,
        sum(count(*) filter (where has_no_residence)) over ()
        / sum(count(*)) over () as onbekend_share_of_all_cohort_wops,
        year(any_value(data_cutoff)) as cutoff_year

    from flagged

    group by cohort_year, province, nace_section

    order by cohort_year, province, nace_section

)

select * from final
