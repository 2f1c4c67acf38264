-- One row per current file: its quarantine share, its volume against the previous
-- load of the same extract, and the spread of the four newest extraction dates.
with

current_loads as (
    select * from raw.loads where is_current
),

previous_loads as (
    select
        loads.extract,
        loads.rows_loaded,
        row_number() over (
            partition by loads.extract order by loads.extraction_date desc, loads.loaded_at desc
        ) as recency
    from raw.loads as loads
    inner join current_loads using (extract)
    where not loads.is_current and loads.extraction_date < current_loads.extraction_date
)

select
    current_loads.extract,
    current_loads.file_name,
    current_loads.rows_read,
    current_loads.rows_quarantined,
    current_loads.rows_quarantined / nullif(current_loads.rows_read, 0) as quarantine_share,
    previous_loads.rows_loaded as previous_rows_loaded,
    current_loads.rows_loaded / nullif(previous_loads.rows_loaded, 0) as volume_ratio_to_previous,
    date_diff('day', min(current_loads.extraction_date) over (), max(current_loads.extraction_date) over ())
        as extraction_date_spread_days,
from current_loads
left join previous_loads on previous_loads.extract = current_loads.extract and previous_loads.recency = 1
order by current_loads.extract
