-- Frame of the GX suite raw_loads: one row per current file, with its
-- quarantine share, its volume against the file of the same extract that the
-- last publication was made from (raw.published_files, written by the
-- acceptance: never against an earlier load that the gate may have rejected),
-- and the spread of the four newest extraction dates. Reads only the raw
-- sources, so it is valid before dbt runs (the suite runs before dbt).
with

loads as (

    select * from {{ source('raw', 'loads') }}

),

published_files as (

    select * from {{ source('raw', 'published_files') }}

),

current_loads as (

    select * from loads
    where is_current

),

final as (

    select
        current_loads.extract,
        current_loads.file_name,
        current_loads.rows_read,
        current_loads.rows_quarantined,
        published_files.rows_loaded as published_rows_loaded,
        current_loads.rows_quarantined / nullif(current_loads.rows_read, 0)
            as quarantine_share,
        current_loads.rows_loaded / nullif(published_files.rows_loaded, 0)
            as volume_ratio_to_published,
        date_diff(
            'day',
            min(current_loads.extraction_date) over (),
            max(current_loads.extraction_date) over ()
        ) as extraction_date_spread_days

    from current_loads

    left join published_files
        on current_loads.extract = published_files.extract

    order by current_loads.extract

)

select * from final
