-- Days covered by a WOP, per person and employer: the capped WOP spells of
-- every measure merged into maximal runs of consecutive days.
with

wop_spells as (

    select * from {{ ref('int_wop_spells_capped') }}

),

with_previous_end as (

    select
        person_id,
        employer_kbo,
        start_date,
        covered_until as end_date,
        max(covered_until) over (
            partition by person_id, employer_kbo
            order by start_date, covered_until
            rows between unbounded preceding and 1 preceding
        ) as previous_max_end_date

    from wop_spells

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
        end as is_coverage_start

    from with_previous_end

),

numbered as (

    select
        *,
        sum(is_coverage_start) over (
            partition by person_id, employer_kbo
            order by start_date, end_date
            rows between unbounded preceding and current row
        ) as coverage_number

    from flagged

),

final as (

    select
        person_id,
        employer_kbo,
        coverage_number,
        min(start_date) as start_date,
        max(end_date) as end_date

    from numbered

    group by person_id, employer_kbo, coverage_number

)

select * from final
