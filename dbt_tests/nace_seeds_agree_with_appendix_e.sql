-- The NACE seeds mirror official tables and so repeat some letters: the
-- conversion table (contract appendix E) must agree with the divisions of
-- each classification. Returns one row per disagreement. In Dagster it is a
-- check on the conversion seed (a test of several refs names its asset).
{{ config(meta={'dagster': {'ref': {'name': 'nace_division_conversion'}}}) }}
with

nace_divisions as (

    select * from {{ ref('nace_divisions') }}

),

nace_divisions_2025 as (

    select * from {{ ref('nace_divisions_2025') }}

),

nace_division_conversion as (

    select * from {{ ref('nace_division_conversion') }}

),

final as (

    select
        nace_division_conversion.nace_section,
        nace_divisions.nace_section as nace_section_2008_seed,
        nace_division_conversion.nace_section_2025,
        nace_divisions_2025.nace_section_2025 as nace_section_2025_seed,
        coalesce(
            nace_division_conversion.nace_division,
            nace_divisions.nace_division,
            nace_divisions_2025.nace_division
        ) as nace_division

    from nace_division_conversion

    full outer join nace_divisions
        on nace_division_conversion.nace_division = nace_divisions.nace_division

    full outer join nace_divisions_2025
        on nace_division_conversion.nace_division = nace_divisions_2025.nace_division

    where
        nace_division_conversion.nace_section
        is distinct from nace_divisions.nace_section
        or (
            nace_division_conversion.nace_division != '45'
            and nace_division_conversion.nace_section_2025
            is distinct from nace_divisions_2025.nace_section_2025
        )
        or (
            nace_division_conversion.nace_division = '45'
            and nace_divisions_2025.nace_division is not null
        )
        or nace_division_conversion.nace_division is null

)

select * from final
