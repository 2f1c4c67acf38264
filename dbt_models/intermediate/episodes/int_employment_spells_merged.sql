-- Employment spells: the lines of one person at one employer merged into
-- maximal runs of consecutive days (gaps and islands, macro merge_intervals).
-- Lines that repeat, overlap or abut (next start = previous end + 1 day) join
-- a spell. Independent of the data cutoff: an open line runs to open_end(),
-- and the cohort models cap at the cutoff. Incremental: a night rebuilds the
-- persons whose lines changed (int_persons_changed.lines_changed), from the
-- spells as built up to the built cutoff plus the lines' days after it when
-- nothing before changed (lines_extended; macro episode_intervals).
-- depends_on: {{ ref('int_persons_changed') }}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_persons',
    changed_flag='lines_changed',
    on_schema_change='fail',
) }}
with

employment_lines as (

    select * from {{ ref('stg_raw__tewerkstelling') }}

),

intervals as (

    {{ episode_intervals('employment_lines', 'lines') }}

),

merged as (

    {{ merge_intervals('intervals', ['person_id', 'employer_kbo']) }}

),

final as (

    select
        person_id,
        employer_kbo,
        start_date,
        interval_number as spell_number,
        end_date

    from merged

)

select * from final
