-- Employment spells: the capped lines of one person at one employer merged
-- into maximal runs of consecutive days (gaps and islands). Lines that
-- repeat, overlap or abut (next start = previous end + 1 day) join a spell.
-- One sort of the lines: a line starts a spell when it starts after the
-- running maximum end of the lines before it (+ 1 day); a spell ends where
-- the next spell's running maximum stops, the last one at the maximum end.
with

employment_lines as (

    select * from {{ ref('int_employment_lines_capped') }}

),

with_previous_end as (

    select
        person_id,
        employer_kbo,
        start_date,
        max(end_date) over (
            partition by person_id, employer_kbo
            order by start_date, end_date
            rows between unbounded preceding and 1 preceding
        ) as previous_max_end_date,
        max(end_date) over (
            partition by person_id, employer_kbo
            order by start_date, end_date
            rows between unbounded preceding and unbounded following
        ) as last_end_date

    from employment_lines

),

spell_starts as (

    select * from with_previous_end
    where
        previous_max_end_date is null
        or start_date > previous_max_end_date + 1

),

final as (

    select
        person_id,
        employer_kbo,
        start_date,
        row_number() over (
            partition by person_id, employer_kbo order by start_date
        ) as spell_number,
        coalesce(
            lead(previous_max_end_date) over (
                partition by person_id, employer_kbo order by start_date
            ),
            last_end_date
        ) as end_date

    from spell_starts

)

select * from final
