-- One row per current file: its quarantine share, its volume against the file of the
-- same extract that the last publication was made from (raw.published_files, written by
-- the acceptance: never against an earlier load that the gate may have rejected), and
-- the spread of the four newest extraction dates.
with

current_loads as (
    select * from raw.loads where is_current
),

published_files as (
    select * from raw.published_files
)

select
    current_loads.extract,
    current_loads.file_name,
    current_loads.rows_read,
    current_loads.rows_quarantined,
    current_loads.rows_quarantined / nullif(current_loads.rows_read, 0) as quarantine_share,
    published_files.rows_loaded as published_rows_loaded,
    current_loads.rows_loaded / nullif(published_files.rows_loaded, 0) as volume_ratio_to_published,
    date_diff('day', min(current_loads.extraction_date) over (), max(current_loads.extraction_date) over ())
        as extraction_date_spread_days,
from current_loads
left join published_files on published_files.extract = current_loads.extract
order by current_loads.extract
