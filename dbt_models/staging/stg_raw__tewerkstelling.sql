with

source as (

    select * from {{ source('raw', 'tewerkstelling') }}

),

renamed as (

    select
        cast(insz_pseudonym as varchar) as person_id,
        cast(kbo_werkgever as varchar) as employer_kbo,
        cast(nace as varchar) as nace_code,
        cast(startdatum as date) as start_date,
        cast(einddatum as date) as end_date,
        cast(_source_file as varchar) as source_file,
        cast(_line_number as bigint) as source_line_number

    from source

)

select * from renamed
