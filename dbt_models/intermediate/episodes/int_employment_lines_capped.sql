-- Employment lines as known at the data cutoff (macro cap_at_data_cutoff):
-- lines starting after the cutoff are dropped, open lines run up to the
-- cutoff and no line runs past it. Each line keeps its NACE code, the
-- classification its start date gives it and its section in both
-- classifications (for the transition job).
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

classified as (

    select
        *,
        {{ nace_classification('start_date') }} as nace_classification

    from capped

),

final as (

    select
        classified.person_id,
        classified.employer_kbo,
        classified.nace_code,
        classified.nace_classification,
        nace_codes.nace_code_normalised,
        classified.start_date,
        classified.capped_end_date as end_date,
        classified.is_open,
        classified.source_line_number,
        coalesce(nace_codes.nace_section, '?') as nace_section,
        coalesce(nace_codes.nace_section_2025, '?') as nace_section_2025

    from classified

    left join nace_codes
        on
            classified.nace_code = nace_codes.nace_code
            and classified.nace_classification = nace_codes.nace_classification

)

select * from final
