-- Transition date of every cohort WOP: the first NEC day (at any employer)
-- inside its follow-up window and on or before the data cutoff, null when
-- there is none. An NEC spell that began before the window counts from the
-- window's first day. The NEC spells do not stop at the cutoff (an open line
-- runs on): only their days up to the cutoff are known.
with

cohort_wops as (

    select * from {{ ref('int_cohort_wops_windowed') }}

),

nec_spells as (

    select * from {{ ref('int_nec_spells_subtracted') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

first_nec_days as (

    select
        cohort_wops.wop_id,
        min(greatest(nec_spells.start_date, cohort_wops.window_start_date))
            as transition_date

    from cohort_wops

    cross join data_cutoff

    inner join nec_spells
        on
            cohort_wops.person_id = nec_spells.person_id
            and cohort_wops.window_end_date >= nec_spells.start_date
            and cohort_wops.window_start_date <= nec_spells.end_date
            and data_cutoff.data_cutoff >= nec_spells.start_date
            and cohort_wops.window_start_date <= data_cutoff.data_cutoff

    group by cohort_wops.wop_id

),

final as (

    select
        cohort_wops.wop_id,
        cohort_wops.person_id,
        cohort_wops.employer_kbo,
        cohort_wops.start_date,
        cohort_wops.end_date,
        cohort_wops.cohort_year,
        cohort_wops.window_start_date,
        cohort_wops.window_end_date,
        cohort_wops.follow_up_complete,
        first_nec_days.transition_date,
        first_nec_days.transition_date is not null as has_transition

    from cohort_wops

    left join first_nec_days
        on cohort_wops.wop_id = first_nec_days.wop_id

)

select * from final
