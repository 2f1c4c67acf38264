-- Frame of the GX suite transitions_by_sector_2025: the NACE-BEL 2025 sector
-- facts with, per cohort year and province, their total next to the total of
-- the province facts and of the NACE-BEL 2008 sector facts (both from the
-- frame of the 2008 suite; -1 when the cell is missing there).
with

transitions_by_sector_2025 as (

    select * from {{ ref('transitions_by_sector_2025') }}

),

qa_transitions_by_sector as (

    select * from {{ ref('qa_transitions_by_sector') }}

),

sector_2025_totals as (

    select
        cohort_year,
        province,
        sum(transitions) as sector_total

    from transitions_by_sector_2025

    group by cohort_year, province

),

sector_2008_totals as (

    select distinct
        cohort_year,
        province,
        sector_total as sector_2008_total,
        province_total

    from qa_transitions_by_sector

),

final as (

    select
        transitions_by_sector_2025.cohort_year,
        transitions_by_sector_2025.province,
        transitions_by_sector_2025.nace_section_2025,
        transitions_by_sector_2025.transitions,
        sector_2025_totals.sector_total,
        coalesce(sector_2008_totals.province_total, -1) as province_total,
        coalesce(sector_2008_totals.sector_2008_total, -1) as sector_2008_total

    from transitions_by_sector_2025

    inner join sector_2025_totals
        on
            transitions_by_sector_2025.cohort_year = sector_2025_totals.cohort_year
            and transitions_by_sector_2025.province = sector_2025_totals.province

    left join sector_2008_totals
        on
            transitions_by_sector_2025.cohort_year = sector_2008_totals.cohort_year
            and transitions_by_sector_2025.province = sector_2008_totals.province

)

select * from final
