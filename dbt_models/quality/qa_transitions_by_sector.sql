-- Frame of the GX suite transitions_by_sector: the sector facts with, per
-- cohort year and province, their total next to the total of the province
-- facts (-1 when the cell is missing from transitions_by_province).
with

transitions_by_sector as (

    select * from {{ ref('transitions_by_sector') }}

),

transitions_by_province as (

    select * from {{ ref('transitions_by_province') }}

),

sector_totals as (

    select
        cohort_year,
        province,
        sum(transitions) as sector_total

    from transitions_by_sector

    group by cohort_year, province

),

final as (

    select
        transitions_by_sector.cohort_year,
        transitions_by_sector.province,
        transitions_by_sector.nace_section,
        transitions_by_sector.transitions,
        sector_totals.sector_total,
        coalesce(transitions_by_province.transitions, -1) as province_total

    from transitions_by_sector

    inner join sector_totals
        on
            transitions_by_sector.cohort_year = sector_totals.cohort_year
            and transitions_by_sector.province = sector_totals.province

    left join transitions_by_province
        on
            transitions_by_sector.cohort_year = transitions_by_province.cohort_year
            and transitions_by_sector.province = transitions_by_province.province

)

select * from final
