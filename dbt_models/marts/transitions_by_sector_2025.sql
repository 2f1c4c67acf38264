-- Transitions per cohort year, province and NACE-BEL 2025 section of the
-- transition job: every cohort year that has a cohort WOP times every province
-- value times every section letter A-V and '?', zeros included. Stored in the
-- published order: cohort year, then the sort_order of the provinces and of
-- the NACE sections.
with

wop_transitions as (

    select * from {{ ref('wop_transitions') }}

),

provinces as (

    select * from {{ ref('provinces') }}

),

nace_sections_2025 as (

    select * from {{ ref('nace_sections_2025') }}

),

{{ transitions_by_section('nace_sections_2025', 'nace_section_2025') }}

select * from final
