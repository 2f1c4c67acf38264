-- Every distinct NACE code as delivered, per classification of the lines
-- that carry it (a line's STARTDATUM decides: macro nace_classification),
-- normalised to five digits when it has the form dd.ddd or ddddd, with the
-- section of its division in both classifications (contract appendix E):
-- '?' in both when the form is wrong or the division belongs to no section
-- of the code's own classification.
with

employment_lines as (

    select * from {{ ref('stg_raw__tewerkstelling') }}

),

nace_divisions as (

    select * from {{ ref('nace_divisions') }}

),

nace_divisions_2025 as (

    select * from {{ ref('nace_divisions_2025') }}

),

nace_division_conversion as (

    select * from {{ ref('nace_division_conversion') }}

),

distinct_codes as (

    select distinct
        nace_code,
        {{ nace_classification('start_date') }} as nace_classification

    from employment_lines

    where nace_code is not null

),

normalised as (

    select
        nace_code,
        nace_classification,
        case
            when regexp_full_match(trim(nace_code), '[0-9]{2}\.[0-9]{3}')
                then replace(trim(nace_code), '.', '')
            when regexp_full_match(trim(nace_code), '[0-9]{5}')
                then trim(nace_code)
        end as nace_code_normalised

    from distinct_codes

),

own_division as (

    -- The division in the code's own classification; null when it has none.
    select
        normalised.nace_code,
        normalised.nace_classification,
        normalised.nace_code_normalised,
        case normalised.nace_classification
            when '2008' then nace_divisions.nace_division
            else nace_divisions_2025.nace_division
        end as nace_division

    from normalised

    left join nace_divisions
        on left(normalised.nace_code_normalised, 2) = nace_divisions.nace_division

    left join nace_divisions_2025
        on
            left(normalised.nace_code_normalised, 2)
            = nace_divisions_2025.nace_division

),

final as (

    select
        own_division.nace_code,
        own_division.nace_classification,
        own_division.nace_code_normalised,
        own_division.nace_division,
        coalesce(nace_division_conversion.nace_section, '?') as nace_section,
        coalesce(nace_division_conversion.nace_section_2025, '?')
            as nace_section_2025

    from own_division

    left join nace_division_conversion
        on own_division.nace_division = nace_division_conversion.nace_division

)

select * from final
