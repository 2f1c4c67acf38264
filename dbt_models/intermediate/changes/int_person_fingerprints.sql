-- Per person and kind of dated row ('lines': employment lines, 'wops':
-- WOPs), fingerprints of what the episode models read (employer, start and
-- end date of each row), compared with those the episodes were last built
-- from (int_episode_state). A withdrawn person keeps a row with no rows
-- counted. On a full build everything is different.
{%- set state = episode_state() %}
{%- set full_build = episode_full_build(state) %}
{{ assert_episode_state(state) }}
with

employment_lines as (

    select * from {{ ref('stg_raw__tewerkstelling') }}

),

wops as (

    select * from {{ ref('stg_raw__wop') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

built as (

    select * from {{ built_fingerprints(state, full_build) }} as built_state

),

cutoffs as (

    select
        (select max(built.built_data_cutoff) from built) as built_data_cutoff,
        (select max(data_cutoff.data_cutoff) from data_cutoff) as data_cutoff

),

dated_rows as (

    select
        person_id,
        'lines' as kind,
        employer_kbo,
        start_date,
        coalesce(end_date, {{ open_end() }}) as open_end_date,
        end_date

    from employment_lines

    union all

    select
        person_id,
        'wops' as kind,
        employer_kbo,
        start_date,
        coalesce(end_date, {{ open_end() }}) as open_end_date,
        end_date

    from wops

),

row_hashes as (

    -- A row as delivered, and the same row clipped at a cutoff: its days up
    -- to the cutoff, none when it starts after it. A row ending on or before
    -- the cutoff is its own clipped row: its hash is not computed twice.
    select
        hashed.person_id,
        hashed.kind,
        hashed.row_hash,
        case
            when
                cutoffs.built_data_cutoff is null
                or hashed.start_date > cutoffs.built_data_cutoff
                then null
            when hashed.open_end_date <= cutoffs.built_data_cutoff
                then hashed.row_hash
            else hash(
                hashed.employer_kbo, hashed.start_date, cutoffs.built_data_cutoff
            )
        end as clipped_at_built_hash,
        case
            when
                cutoffs.data_cutoff is null
                or hashed.start_date > cutoffs.data_cutoff
                then null
            when hashed.open_end_date <= cutoffs.data_cutoff
                then hashed.row_hash
            else hash(hashed.employer_kbo, hashed.start_date, cutoffs.data_cutoff)
        end as clipped_hash

    from (
        select
            dated_rows.*,
            hash(
                dated_rows.employer_kbo,
                dated_rows.start_date,
                dated_rows.end_date
            ) as row_hash

        from dated_rows
    ) as hashed

    cross join cutoffs

),

fingerprints as (

    -- Multiset hashes (sum and count): the order of the rows does not matter.
    select
        person_id,
        kind,
        sum(row_hash) as fingerprint,
        count(*) as row_count,
        coalesce(sum(clipped_at_built_hash), 0) as clipped_at_built_fingerprint,
        count(clipped_at_built_hash) as clipped_at_built_rows,
        coalesce(sum(clipped_hash), 0) as clipped_fingerprint,
        count(clipped_hash) as clipped_rows

    from row_hashes

    group by person_id, kind

),

compared as (

    select
        coalesce(fingerprints.person_id, built.person_id) as person_id,
        coalesce(fingerprints.kind, built.kind) as kind,
        coalesce(fingerprints.fingerprint, 0) as fingerprint,
        coalesce(fingerprints.row_count, 0) as row_count,
        coalesce(fingerprints.clipped_fingerprint, 0) as clipped_fingerprint,
        coalesce(fingerprints.clipped_rows, 0) as clipped_rows,
        coalesce(fingerprints.fingerprint, 0) != coalesce(built.fingerprint, 0)
        or coalesce(fingerprints.row_count, 0) != coalesce(built.row_count, 0)
            as is_different,
        -- Up to the built cutoff, the days are those the episodes were built from.
        coalesce(fingerprints.clipped_at_built_fingerprint, 0)
        = coalesce(built.clipped_fingerprint, 0)
        and coalesce(fingerprints.clipped_at_built_rows, 0)
        = coalesce(built.clipped_rows, 0)
            as is_as_built_to_cutoff

    from fingerprints

    full outer join built
        on
            fingerprints.person_id = built.person_id
            and fingerprints.kind = built.kind

),

final as (

    select
        compared.person_id,
        compared.kind,
        compared.fingerprint,
        compared.row_count,
        compared.clipped_fingerprint,
        compared.clipped_rows,
        {{ 'true' if full_build else 'compared.is_different' }} as is_different,
        {{ 'false' if full_build else 'compared.is_as_built_to_cutoff' }}
            as is_as_built_to_cutoff,
        cutoffs.built_data_cutoff,
        cutoffs.data_cutoff

    from compared

    cross join cutoffs

)

select * from final
