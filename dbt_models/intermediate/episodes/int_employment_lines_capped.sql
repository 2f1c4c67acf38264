-- Employment lines as known at the data cutoff (macro cap_at_data_cutoff):
-- lines starting after the cutoff are dropped, open lines run up to the
-- cutoff and no line runs past it. Each line keeps its NACE code and section
-- (for the transition job).
with

employment_lines as (

    select * from {{ ref('stg_raw__tewerkstelling') }}

),

nace_codes as (

    select * from {{ ref('int_nace_codes_normalised') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

capped as (

    {{ cap_at_data_cutoff('employment_lines', 'data_cutoff') }}

),

final as (

    select
        capped.person_id,
        capped.employer_kbo,
        capped.nace_code,
        nace_codes.nace_code_normalised,
        capped.start_date,
        capped.capped_end_date as end_date,
        capped.is_open,
        capped.source_line_number,
        coalesce(nace_codes.nace_section, '?') as nace_section

    from capped

    left join nace_codes
        on capped.nace_code = nace_codes.nace_code

)

select * from final
