-- NEC spells: the days of an employment spell at employer E that no WOP of
-- the same person at the same employer E covers (interval subtraction).
-- Independent of the data cutoff, like the spells: the cohort models cap at
-- the cutoff. Incremental: a night rebuilds the persons whose lines or WOPs
-- changed (int_persons_changed).
-- depends_on: {{ ref('int_persons_changed') }}
{{ config(
    materialized='incremental',
    incremental_strategy='replace_persons',
    on_schema_change='fail',
) }}
with

employment_spells as (

    select * from {{ ref('int_employment_spells_merged') }}
    {{- only_changed_persons() }}

),

wop_coverage as (

    select * from {{ ref('int_wop_coverage_merged') }}
    {{- only_changed_persons() }}

),

covered_parts as (

    -- The covered stretches inside each employment spell. Coverage runs are
    -- merged, so these are disjoint and separated by at least one day.
    select
        employment_spells.person_id,
        employment_spells.employer_kbo,
        employment_spells.start_date as spell_start_date,
        employment_spells.end_date as spell_end_date,
        greatest(wop_coverage.start_date, employment_spells.start_date)
            as covered_start_date,
        least(wop_coverage.end_date, employment_spells.end_date)
            as covered_end_date

    from employment_spells

    inner join wop_coverage
        on
            employment_spells.person_id = wop_coverage.person_id
            and employment_spells.employer_kbo = wop_coverage.employer_kbo
            and employment_spells.end_date >= wop_coverage.start_date
            and employment_spells.start_date <= wop_coverage.end_date

),

sequenced as (

    select
        *,
        lag(covered_end_date) over (
            partition by person_id, employer_kbo, spell_start_date
            order by covered_start_date
        ) as previous_covered_end_date,
        lead(covered_start_date) over (
            partition by person_id, employer_kbo, spell_start_date
            order by covered_start_date
        ) as next_covered_start_date

    from covered_parts

),

uncovered_before_each_cover as (

    select
        person_id,
        employer_kbo,
        coalesce(previous_covered_end_date + 1, spell_start_date) as start_date,
        covered_start_date - 1 as end_date

    from sequenced

),

uncovered_after_last_cover as (

    select
        person_id,
        employer_kbo,
        covered_end_date + 1 as start_date,
        spell_end_date as end_date

    from sequenced

    where next_covered_start_date is null

),

uncovered_spells as (

    select
        person_id,
        employer_kbo,
        start_date,
        end_date

    from employment_spells

    where not exists (
        select 1
        from covered_parts
        where
            covered_parts.person_id = employment_spells.person_id
            and covered_parts.employer_kbo = employment_spells.employer_kbo
            and covered_parts.spell_start_date = employment_spells.start_date
    )

),

unioned as (

    select * from uncovered_before_each_cover
    union all
    select * from uncovered_after_last_cover
    union all
    select * from uncovered_spells

),

final as (

    select
        person_id,
        employer_kbo,
        start_date,
        end_date

    from unioned

    where start_date <= end_date

)

select * from final
