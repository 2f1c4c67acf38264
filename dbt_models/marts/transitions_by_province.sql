-- Closed cohort WOPs and transitions per cohort year and province: every
-- cohort year that has a cohort WOP times every province value, zeros
-- included. follow_up_complete: 31 December of the year + 24 months is on or
-- before the data cutoff (macro year_follow_up_complete; otherwise the figures
-- are provisional). Stored in the published order: cohort year, then the
-- provinces' sort_order.
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

{{ cohort_province_grid() }},

counts as (

    select
        cohort_year,
        province,
        count(*) as closed_wops,
        count(*) filter (where has_transition) as transitions

    from wop_transitions

    group by cohort_year, province

),

final as (

    select
        cast(grid.cohort_year as integer) as cohort_year,
        cast(grid.province as varchar) as province,
        cast(coalesce(counts.closed_wops, 0) as bigint) as closed_wops,
        cast(coalesce(counts.transitions, 0) as bigint) as transitions,
        {{ year_follow_up_complete('grid.cohort_year', 'data_cutoff.data_cutoff') }}
            as follow_up_complete

    from cohort_province_grid as grid

    cross join data_cutoff

    left join counts
        on
            grid.cohort_year = counts.cohort_year
            and grid.province = counts.province

    order by grid.cohort_year, grid.province_sort_order

)

select * from final
