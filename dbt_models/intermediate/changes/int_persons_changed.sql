-- The change set of a night: per person, whether the employment lines or
-- the WOPs changed since the episodes were built, and whether only after the
-- built cutoff (extended: the built episodes up to that cutoff stay valid).
with

fingerprints as (

    select * from {{ ref('int_person_fingerprints') }}

),

final as (

    select
        person_id,
        coalesce(bool_or(is_different) filter (where kind = 'lines'), false)
            as lines_changed,
        coalesce(
            bool_or(is_different and is_as_built_to_cutoff)
            filter (where kind = 'lines'),
            false
        ) as lines_extended,
        coalesce(bool_or(is_different) filter (where kind = 'wops'), false)
            as wops_changed,
        coalesce(
            bool_or(is_different and is_as_built_to_cutoff)
            filter (where kind = 'wops'),
            false
        ) as wops_extended,
        bool_or(is_different) as is_changed,
        any_value(built_data_cutoff) as built_data_cutoff

    from fingerprints

    group by person_id

)

select * from final
