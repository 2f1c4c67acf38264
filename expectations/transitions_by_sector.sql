-- The sector facts with, per cohort year and province, their total next to the
-- total of the province facts.
with

sector_totals as (
    select cohort_year, province, sum(transitions) as sector_total
    from marts.transitions_by_sector
    group by all
)

select
    sectors.cohort_year,
    sectors.province,
    sectors.nace_section,
    sectors.transitions,
    sector_totals.sector_total,
    coalesce(provinces.transitions, -1) as province_total,
from marts.transitions_by_sector as sectors
inner join sector_totals using (cohort_year, province)
left join marts.transitions_by_province as provinces using (cohort_year, province)
