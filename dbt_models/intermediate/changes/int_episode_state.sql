-- The fingerprints the episodes are now built from, with the data cutoff
-- and the state version of the build: written after every episode model
-- succeeded, so that a run that fails half-way leaves the state of the last
-- complete build, and the next run rebuilds the same persons.
-- depends_on: {{ ref('int_employment_spells_merged') }}
-- depends_on: {{ ref('int_wop_coverage_merged') }}
-- depends_on: {{ ref('int_nec_spells_subtracted') }}
with

fingerprints as (

    select * from {{ ref('int_person_fingerprints') }}

),

final as (

    select
        person_id,
        kind,
        fingerprint,
        row_count,
        clipped_fingerprint,
        clipped_rows,
        data_cutoff as built_data_cutoff,
        '{{ var("episode_state_version", "unversioned") }}' as state_version

    from fingerprints

    where row_count > 0

)

select * from final
