-- Employment spells: the capped lines of one person at one employer merged
-- into maximal runs of consecutive days (gaps and islands, macro
-- merge_intervals). Lines that repeat, overlap or abut (next start = previous
-- end + 1 day) join a spell.
with

employment_lines as (

    select * from {{ ref('int_employment_lines_capped') }}

),

merged as (

    {{ merge_intervals('employment_lines', ['person_id', 'employer_kbo']) }}

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
