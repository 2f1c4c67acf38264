-- Q4 key figures per cohort year and province: transition rate, median days
-- to transition, sustained transitions (NEC day 12 months after the
-- transition) and the return rate. The grid and the counts are those of
-- transitions_by_province and returns_by_province, so the tables agree.
-- Stored in the published order: cohort year, then the provinces' sort_order.
with

transitions_by_province as (

    select * from {{ ref('transitions_by_province') }}

),

returns_by_province as (

    select * from {{ ref('returns_by_province') }}

),

wop_transitions as (

    select * from {{ ref('wop_transitions') }}

),

sustained_transitions as (

    select * from {{ ref('int_cohort_transitions_sustained') }}

),

provinces as (

    select * from {{ ref('provinces') }}

),

transition_figures as (

    select
        wop_transitions.cohort_year,
        wop_transitions.province,
        quantile_disc(sustained_transitions.days_to_transition, 0.5)
            as median_days_to_transition,
        count(*) filter (where sustained_transitions.sustained_known)
            as sustained_known,
        count(*) filter (where sustained_transitions.sustained) as sustained

    from wop_transitions

    inner join sustained_transitions
        on wop_transitions.wop_id = sustained_transitions.wop_id

    group by wop_transitions.cohort_year, wop_transitions.province

),

final as (

    select
        cast(transitions_by_province.cohort_year as integer) as cohort_year,
        cast(transitions_by_province.province as varchar) as province,
        cast(transitions_by_province.closed_wops as bigint) as closed_wops,
        cast(transitions_by_province.transitions as bigint) as transitions,
        cast(
            transitions_by_province.transitions
            / nullif(transitions_by_province.closed_wops, 0) as double
        ) as transition_rate,
        cast(transition_figures.median_days_to_transition as integer)
            as median_days_to_transition,
        cast(coalesce(transition_figures.sustained_known, 0) as bigint)
            as sustained_known,
        cast(coalesce(transition_figures.sustained, 0) as bigint) as sustained,
        cast(coalesce(returns_by_province.returns, 0) as bigint) as returns,
        cast(
            coalesce(returns_by_province.returns, 0)
            / nullif(transitions_by_province.transitions, 0) as double
        ) as return_rate,
        transitions_by_province.follow_up_complete

    from transitions_by_province

    left join transition_figures
        on
            transitions_by_province.cohort_year = transition_figures.cohort_year
            and transitions_by_province.province = transition_figures.province

    left join returns_by_province
        on
            transitions_by_province.cohort_year = returns_by_province.cohort_year
            and transitions_by_province.province = returns_by_province.province

    left join provinces
        on transitions_by_province.province = provinces.province

    order by transitions_by_province.cohort_year, provinces.sort_order

)

select * from final
