-- Employment spells: the capped lines of one person at one employer merged
-- into maximal runs of consecutive days (gaps and islands). Lines that
-- repeat, overlap or abut (next start = previous end + 1 day) join a spell.
with

employment_lines as (

    select * from {{ ref('int_employment_lines_capped') }}

),

with_previous_end as (

    select
        person_id,
        employer_kbo,
        start_date,
        end_date,
        max(end_date) over (
            partition by person_id, employer_kbo
            order by start_date, end_date
            rows between unbounded preceding and 1 preceding
        ) as previous_max_end_date

    from employment_lines

),

flagged as (

    select
        *,
        case
            when
                previous_max_end_date is null
                or start_date > previous_max_end_date + 1
                then 1
            else 0
        end as is_spell_start

    from with_previous_end

),

numbered as (

    select
        *,
        sum(is_spell_start) over (
            partition by person_id, employer_kbo
            order by start_date, end_date
            rows between unbounded preceding and current row
        ) as spell_number

    from flagged

),

final as (

    select
        person_id,
        employer_kbo,
        spell_number,
        min(start_date) as start_date,
        max(end_date) as end_date

    from numbered

    group by person_id, employer_kbo, spell_number

)

select * from final
