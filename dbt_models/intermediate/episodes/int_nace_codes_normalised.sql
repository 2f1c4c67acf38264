-- Every distinct NACE code as delivered, normalised to five digits when it
-- has the form dd.ddd or ddddd, with the section of its division ('?' when
-- the form is wrong or the division belongs to no section).
with

employment_lines as (

    select * from {{ ref('stg_raw__tewerkstelling') }}

),

nace_divisions as (

    select * from {{ ref('nace_divisions') }}

),

distinct_codes as (

    select distinct nace_code

    from employment_lines

    where nace_code is not null

),

normalised as (

    select
        nace_code,
        case
            when regexp_full_match(trim(nace_code), '[0-9]{2}\.[0-9]{3}')
                then replace(trim(nace_code), '.', '')
            when regexp_full_match(trim(nace_code), '[0-9]{5}')
                then trim(nace_code)
        end as nace_code_normalised

    from distinct_codes

),

final as (

    select
        normalised.nace_code,
        normalised.nace_code_normalised,
        nace_divisions.nace_division,
        coalesce(nace_divisions.nace_section, '?') as nace_section

    from normalised

    left join nace_divisions
        on left(normalised.nace_code_normalised, 2) = nace_divisions.nace_division

)

select * from final
