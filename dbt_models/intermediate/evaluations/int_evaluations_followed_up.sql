-- Every loaded evaluation dated on or before the data cutoff, with the two
-- evaluation-practice rules: a recent POP (on or after the evaluation date -
-- 12 months and not after it) and a transition after the evaluation (an NEC
-- day at any employer in (evaluation date, evaluation date + 24 months],
-- capped at the cutoff).
with

evaluations as (

    select * from {{ ref('stg_raw__evaluatie') }}

),

nec_spells as (

    select * from {{ ref('int_nec_spells_subtracted') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

known_evaluations as (

    select
        evaluations.evaluation_id,
        evaluations.person_id,
        evaluations.wop_id,
        evaluations.evaluation_date,
        evaluations.trigger,
        evaluations.outcome,
        evaluations.pop_date,
        cast(evaluations.evaluation_date - interval 12 month as date)
            as recent_pop_from_date,
        least(
            cast(evaluations.evaluation_date + interval 24 month as date),
            data_cutoff.data_cutoff
        ) as follow_up_end_date

    from evaluations

    cross join data_cutoff

    where evaluations.evaluation_date <= data_cutoff.data_cutoff

),

final as (

    select
        evaluation_id,
        person_id,
        wop_id,
        evaluation_date,
        cast(year(evaluation_date) as integer) as evaluation_year,
        trigger,
        outcome,
        pop_date,
        follow_up_end_date,
        coalesce(
            pop_date >= recent_pop_from_date and pop_date <= evaluation_date,
            false
        ) as has_recent_pop,
        evaluation_date < follow_up_end_date
        and exists (
            select 1
            from nec_spells
            where
                nec_spells.person_id = known_evaluations.person_id
                and nec_spells.end_date > known_evaluations.evaluation_date
                and nec_spells.start_date <= known_evaluations.follow_up_end_date
        ) as followed_by_transition

    from known_evaluations

)

select * from final
