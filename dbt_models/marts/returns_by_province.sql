-- Returns (SEC_NEC_SEC) per cohort year and province of the transition they
-- are attributed to: every cohort year that has a cohort WOP times every
-- province value, zeros included. Stored in the published order: cohort year,
-- then the provinces' sort_order.
with

wop_transitions as (

    select * from {{ ref('wop_transitions') }}

),

wop_returns as (

    select * from {{ ref('wop_returns') }}

),

provinces as (

    select * from {{ ref('provinces') }}

),

{{ cohort_province_grid() }},

counts as (

    select
        cohort_year,
        province,
        count(*) as returns

    from wop_returns

    group by cohort_year, province

),

final as (

    select
        cast(grid.cohort_year as integer) as cohort_year,
        cast(grid.province as varchar) as province,
        cast(coalesce(counts.returns, 0) as bigint) as returns

    from cohort_province_grid as grid

    left join counts
        on
            grid.cohort_year = counts.cohort_year
            and grid.province = counts.province

    order by grid.cohort_year, grid.province_sort_order

)

select * from final
