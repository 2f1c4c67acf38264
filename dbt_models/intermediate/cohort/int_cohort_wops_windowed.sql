-- The cohort: collectief-maatwerk WOPs that ended on or before the data
-- cutoff, with their follow-up window (end date + 1 day up to and including
-- end date + 24 calendar months, month-end clamped) and whether that window
-- is complete at the cutoff.
with

wops as (

    select * from {{ ref('stg_raw__wop') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

cohort as (

    select
        wops.wop_id,
        wops.person_id,
        wops.employer_kbo,
        wops.start_date,
        wops.end_date,
        data_cutoff.data_cutoff

    from wops

    cross join data_cutoff

    where
        wops.measure = 'CM'
        and wops.end_date <= data_cutoff.data_cutoff

),

final as (

    select
        wop_id,
        person_id,
        employer_kbo,
        start_date,
        end_date,
        cast(year(end_date) as integer) as cohort_year,
        cast(end_date + interval 24 month as date) as window_end_date,
        end_date + 1 as window_start_date,
        cast(end_date + interval 24 month as date) <= data_cutoff
            as follow_up_complete

    from cohort

)

select * from final
