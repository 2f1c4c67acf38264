with

source as (

    select * from {{ source('raw', 'loads') }}

),

renamed as (

    select
        cast(extract as varchar) as extract_name,
        cast(file_name as varchar) as file_name,
        cast(extraction_date as date) as extraction_date,
        cast(checksum_sha256 as varchar) as checksum_sha256,
        cast(file_bytes as bigint) as file_bytes,
        cast(rows_read as bigint) as rows_read,
        cast(rows_loaded as bigint) as rows_loaded,
        cast(rows_quarantined as bigint) as rows_quarantined,
        cast(exact_duplicates as bigint) as exact_duplicates,
        cast(extra_columns as varchar) as extra_columns,
        cast(loaded_at as timestamp) as loaded_at,
        cast(is_current as boolean) as is_current

    from source

)

select * from renamed
