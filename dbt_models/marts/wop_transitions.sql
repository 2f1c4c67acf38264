-- One row per cohort WOP (collectief maatwerk, ended on or before the data
-- cutoff): its cohort year, province, transition and follow-up status. Stored
-- in the published order: cohort year, then wop_id.
with

transitioned_wops as (

    select * from {{ ref('int_cohort_wops_transitioned') }}

),

transition_jobs as (

    select * from {{ ref('int_transition_jobs_selected') }}

),

located_wops as (

    select * from {{ ref('int_cohort_wops_located') }}

),

final as (

    select
        transitioned_wops.wop_id,
        transitioned_wops.person_id,
        transitioned_wops.cohort_year,
        located_wops.province,
        transitioned_wops.end_date,
        transitioned_wops.has_transition,
        transitioned_wops.transition_date,
        transition_jobs.transition_employer_kbo,
        transition_jobs.transition_nace_code as nace_code,
        transition_jobs.nace_classification,
        transition_jobs.nace_section,
        transition_jobs.nace_section_2025,
        transitioned_wops.follow_up_complete

    from transitioned_wops

    left join transition_jobs
        on transitioned_wops.wop_id = transition_jobs.wop_id

    left join located_wops
        on transitioned_wops.wop_id = located_wops.wop_id

    order by transitioned_wops.cohort_year, transitioned_wops.wop_id

)

select * from final
