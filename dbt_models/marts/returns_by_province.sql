-- Returns (SEC_NEC_SEC) per cohort year and province of the transition they
-- are attributed to: every cohort year that has a cohort WOP times every
-- province value, zeros included.
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

cohort_years as (

    select distinct cohort_year from wop_transitions

),

grid as (

    select
        cohort_years.cohort_year,
        provinces.province,
        provinces.sort_order

    from cohort_years

    cross join provinces

),

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

    from grid

    left join counts
        on
            grid.cohort_year = counts.cohort_year
            and grid.province = counts.province

    order by grid.cohort_year, grid.sort_order

)

select * from final
