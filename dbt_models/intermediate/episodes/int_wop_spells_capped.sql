-- WOPs of every measure as known at the data cutoff (macro
-- cap_at_data_cutoff): WOPs starting after the cutoff are dropped;
-- covered_until is the end date, or the cutoff for an open WOP (and never
-- later than the cutoff).
with

wops as (

    select * from {{ ref('stg_raw__wop') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

capped as (

    {{ cap_at_data_cutoff('wops', 'data_cutoff') }}

),

final as (

    select
        wop_id,
        person_id,
        measure,
        employer_kbo,
        start_date,
        end_date,
        capped_end_date as covered_until,
        is_open

    from capped

)

select * from final
