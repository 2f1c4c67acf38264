-- Transitions per cohort year, province and NACE-BEL 2025 section of the
-- transition job: every cohort year that has a cohort WOP times every province
-- value times every section letter A-V and '?', zeros included. Stored in the
-- published order: cohort year, then the sort_order of the provinces and of
-- the NACE sections.
with

wop_transitions as (

    select * from {{ ref('wop_transitions') }}

),

provinces as (

    select * from {{ ref('provinces') }}

),

nace_sections_2025 as (

    select * from {{ ref('nace_sections_2025') }}

),

{{ cohort_province_grid() }},

grid as (

    select
        cohort_province_grid.*,
        nace_sections_2025.nace_section_2025,
        nace_sections_2025.sort_order as section_sort_order

    from cohort_province_grid

    cross join nace_sections_2025

),

counts as (

    select
        cohort_year,
        province,
        nace_section_2025,
        count(*) as transitions

    from wop_transitions

    where has_transition

    group by cohort_year, province, nace_section_2025

),

final as (

    select
        cast(grid.cohort_year as integer) as cohort_year,
        cast(grid.province as varchar) as province,
        cast(grid.nace_section_2025 as varchar) as nace_section_2025,
        cast(coalesce(counts.transitions, 0) as bigint) as transitions

    from grid

    left join counts
        on
            grid.cohort_year = counts.cohort_year
            and grid.province = counts.province
            and grid.nace_section_2025 = counts.nace_section_2025

    order by
        grid.cohort_year, grid.province_sort_order, grid.section_sort_order

)

select * from final
