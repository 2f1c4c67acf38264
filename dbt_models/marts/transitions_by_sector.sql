-- Transitions per cohort year, province and NACE section of the transition
-- job: every cohort year that has a cohort WOP times every province value
-- times every section letter A-U and '?', zeros included. Stored in the
-- published order: cohort year, then the sort_order of the provinces and of
-- the NACE sections.
with

wop_transitions as (

    select * from {{ ref('wop_transitions') }}

),

provinces as (

    select * from {{ ref('provinces') }}

),

nace_sections as (

    select * from {{ ref('nace_sections') }}

),

{{ transitions_by_section('nace_sections', 'nace_section') }}

select * from final
