-- Returns (SEC_NEC_SEC): one row per WOP (any measure, open ones too) that
-- started after the transition date of a transition of the same person,
-- attributed to the latest such transition (tie: the transition whose WOP
-- ended last, then the lowest wop_id), with that transition's cohort year
-- and province.
with

transitions as (

    select * from {{ ref('wop_transitions') }}

),

wop_spells as (

    select * from {{ ref('int_wop_spells_capped') }}

),

candidate_transitions as (

    select
        wop_spells.wop_id as return_wop_id,
        wop_spells.person_id,
        wop_spells.measure as return_measure,
        wop_spells.start_date as return_start_date,
        transitions.wop_id as transition_wop_id,
        transitions.transition_date,
        transitions.cohort_year,
        transitions.province,
        row_number() over (
            partition by wop_spells.wop_id
            order by
                transitions.transition_date desc,
                transitions.end_date desc,
                transitions.wop_id asc
        ) as transition_rank

    from wop_spells

    inner join transitions
        on
            wop_spells.person_id = transitions.person_id
            and wop_spells.start_date > transitions.transition_date

    where transitions.has_transition

),

final as (

    select
        return_wop_id,
        person_id,
        return_measure,
        return_start_date,
        transition_wop_id,
        transition_date,
        cohort_year,
        province

    from candidate_transitions

    where transition_rank = 1

)

select * from final
