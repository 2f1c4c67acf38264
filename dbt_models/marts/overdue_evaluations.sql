-- The worklist of overdue five-year evaluations: collectief-maatwerk WOPs
-- started on or after 2019-01-01, open at the data cutoff, whose start date +
-- 5 years (the due date) is on or before the cutoff, and that no loaded
-- evaluation carries by its WOP_ID. Stored in the published order: due date,
-- then wop_id.
with

wops as (

    select * from {{ ref('stg_raw__wop') }}

),

evaluations as (

    select * from {{ ref('stg_raw__evaluatie') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

open_cm_wops as (

    select
        wops.wop_id,
        wops.person_id,
        wops.employer_kbo,
        wops.start_date,
        cast(wops.start_date + interval 5 year as date) as due_date,
        data_cutoff.data_cutoff

    from wops

    cross join data_cutoff

    where
        wops.measure = 'CM'
        and wops.start_date >= date '2019-01-01'
        and (wops.end_date is null or wops.end_date > data_cutoff.data_cutoff)

),

final as (

    select
        cast(wop_id as varchar) as wop_id,
        cast(person_id as varchar) as person_id,
        cast(employer_kbo as varchar) as employer_kbo,
        cast(start_date as date) as start_date,
        cast(due_date as date) as due_date

    from open_cm_wops

    where
        due_date <= data_cutoff
        and not exists (
            select 1
            from evaluations
            where evaluations.wop_id = open_cm_wops.wop_id
        )

    order by due_date, wop_id

)

select * from final
