-- The data cutoff: the extraction date of the current employment
-- (tewerkstelling) file. One row, or none before the first employment load.
with

loads as (

    select * from {{ ref('stg_raw__loads') }}

),

current_employment_loads as (

    select extraction_date

    from loads

    where
        extract_name = 'tewerkstelling'
        and is_current

),

final as (

    select max(extraction_date) as data_cutoff

    from current_employment_loads

    having count(*) > 0

)

select * from final
