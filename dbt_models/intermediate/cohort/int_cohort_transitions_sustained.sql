-- Every cohort WOP with a transition: the days from its end date to the
-- transition date, and whether the transition is sustained: the person has an
-- NEC day (at any employer) on the transition date + 12 months. Known only
-- when that day lies on or before the data cutoff.
with

transitioned_wops as (

    select * from {{ ref('int_cohort_wops_transitioned') }}

),

nec_spells as (

    select * from {{ ref('int_nec_spells_subtracted') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

transitions as (

    select
        transitioned_wops.wop_id,
        transitioned_wops.person_id,
        transitioned_wops.end_date,
        transitioned_wops.transition_date,
        cast(transitioned_wops.transition_date - transitioned_wops.end_date as integer)
            as days_to_transition,
        cast(transitioned_wops.transition_date + interval 12 month as date)
            as sustained_check_date,
        data_cutoff.data_cutoff

    from transitioned_wops

    cross join data_cutoff

    where transitioned_wops.has_transition

),

final as (

    select
        wop_id,
        person_id,
        end_date,
        transition_date,
        days_to_transition,
        sustained_check_date,
        sustained_check_date <= data_cutoff as sustained_known,
        sustained_check_date <= data_cutoff
        and exists (
            select 1
            from nec_spells
            where
                nec_spells.person_id = transitions.person_id
                and nec_spells.start_date <= transitions.sustained_check_date
                and nec_spells.end_date >= transitions.sustained_check_date
        ) as sustained

    from transitions

)

select * from final
