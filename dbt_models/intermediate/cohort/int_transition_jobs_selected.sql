-- The transition job of every cohort WOP with a transition: the employment
-- line that is NEC on the transition date. On a tie: the lowest KBO, then the
-- lowest NACE code, an unknown code ('?') last.
with

transitioned_wops as (

    select * from {{ ref('int_cohort_wops_transitioned') }}

),

nec_spells as (

    select * from {{ ref('int_nec_spells_subtracted') }}

),

employment_lines as (

    select * from {{ ref('int_employment_lines_capped') }}

),

candidate_lines as (

    select
        transitioned_wops.wop_id,
        employment_lines.employer_kbo,
        employment_lines.nace_code,
        employment_lines.nace_code_normalised,
        employment_lines.nace_classification,
        employment_lines.nace_section,
        employment_lines.nace_section_2025,
        row_number() over (
            partition by transitioned_wops.wop_id
            order by
                employment_lines.employer_kbo,
                employment_lines.nace_section = '?',
                employment_lines.nace_code_normalised,
                employment_lines.nace_code,
                employment_lines.source_line_number
        ) as job_rank

    from transitioned_wops

    inner join nec_spells
        on
            transitioned_wops.person_id = nec_spells.person_id
            and transitioned_wops.transition_date
            between nec_spells.start_date and nec_spells.end_date

    inner join employment_lines
        on
            nec_spells.person_id = employment_lines.person_id
            and nec_spells.employer_kbo = employment_lines.employer_kbo
            and transitioned_wops.transition_date
            between employment_lines.start_date and employment_lines.end_date

    where transitioned_wops.has_transition

),

final as (

    select
        wop_id,
        employer_kbo as transition_employer_kbo,
        nace_code as transition_nace_code,
        nace_classification,
        nace_section,
        nace_section_2025

    from candidate_lines

    where job_rank = 1

)

select * from final
