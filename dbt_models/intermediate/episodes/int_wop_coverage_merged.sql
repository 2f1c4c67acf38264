-- Days covered by a WOP, per person and employer: the WOPs of every measure
-- merged into maximal runs of consecutive days (macro merge_intervals).
-- Independent of the data cutoff: an open WOP runs to open_end(), and the
-- cohort models cap at the cutoff. Incremental like the employment spells
-- (int_persons_changed.wops_changed, macro episode_intervals).
-- depends_on: {{ ref('int_persons_changed') }}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_persons',
    changed_flag='wops_changed',
    on_schema_change='fail',
) }}
with

wops as (

    select * from {{ ref('stg_raw__wop') }}

),

intervals as (

    {{ episode_intervals('wops', 'wops') }}

),

merged as (

    {{ merge_intervals('intervals', ['person_id', 'employer_kbo']) }}

),

final as (

    select
        person_id,
        employer_kbo,
        interval_number as coverage_number,
        start_date,
        end_date

    from merged

)

select * from final
