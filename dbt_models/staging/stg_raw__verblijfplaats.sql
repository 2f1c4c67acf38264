with

source as (

    select * from {{ source('raw', 'verblijfplaats') }}

),

renamed as (

    select
        cast(insz_pseudonym as varchar) as person_id,
        cast(land as varchar) as country,
        cast(postcode as varchar) as postal_code,
        cast(geldig_van as date) as valid_from,
        cast(geldig_tot as date) as valid_to,
        cast(_source_file as varchar) as source_file,
        cast(_line_number as bigint) as source_line_number

    from source

)

select * from renamed
