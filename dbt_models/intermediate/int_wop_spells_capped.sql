-- WOPs of every measure as known at the data cutoff: WOPs starting after the
-- cutoff are dropped; covered_until is the end date, or the cutoff for an open
-- WOP (and never later than the cutoff).
with

wops as (

    select * from {{ ref('stg_raw__wop') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

final as (

    select
        wops.wop_id,
        wops.person_id,
        wops.measure,
        wops.employer_kbo,
        wops.start_date,
        wops.end_date,
        least(
            coalesce(wops.end_date, data_cutoff.data_cutoff),
            data_cutoff.data_cutoff
        ) as covered_until,
        wops.end_date is null as is_open

    from wops

    cross join data_cutoff

    where wops.start_date <= data_cutoff.data_cutoff

)

select * from final
