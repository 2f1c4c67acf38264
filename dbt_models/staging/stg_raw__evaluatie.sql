with

source as (

    select * from {{ source('raw', 'evaluatie') }}

),

renamed as (

    select
        cast(evaluatie_id as varchar) as evaluation_id,
        cast(insz_pseudonym as varchar) as person_id,
        cast(wop_id as varchar) as wop_id,
        cast(datum as date) as evaluation_date,
        cast(aanleiding as varchar) as trigger,
        cast(pop_datum as date) as pop_date,
        cast(uitkomst as varchar) as outcome,
        cast(_source_file as varchar) as source_file,
        cast(_line_number as bigint) as source_line_number

    from source

)

select * from renamed
