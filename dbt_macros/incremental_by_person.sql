{#- Incremental episodes (issue 14): the episode models hold, per person, what
    follows from that person's employment lines and WOPs alone, independent of
    the data cutoff (open intervals run to open_end()). A night rebuilds only the
    persons whose lines or WOPs changed (int_persons_changed); everything else is
    kept. -#}

{#- The last day of an open interval in the cutoff-independent episodes: an
    open employment line or WOP runs "for ever"; the cohort models cap at the
    data cutoff when they use an episode. -#}
{% macro open_end() -%}
date '9999-12-31'
{%- endmacro %}

{#- The filter of an incremental episode model's input: on an incremental run,
    only the persons whose flag (a column of int_persons_changed: lines_changed,
    wops_changed, is_changed) is set; on a full build, everyone. -#}
{% macro only_changed_persons(flag='is_changed') -%}
{%- if is_incremental() %}
    where person_id in (
        select person_id from {{ ref('int_persons_changed') }} where {{ flag }}
    )
{%- endif %}
{%- endmacro %}

{#- Incremental strategy replace_persons: delete every row of the changed
    persons (the model's config changed_flag, a column of int_persons_changed;
    withdrawn persons too, who have no new rows), then insert the new rows of
    those persons. In the model's transaction: a failed run changes nothing. -#}
{% macro get_incremental_replace_persons_sql(arg_dict) -%}
{%- set target = arg_dict['target_relation'] -%}
{%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
delete from {{ target }}
where person_id in (
    select person_id from {{ ref('int_persons_changed') }}
    where {{ config.get('changed_flag', 'is_changed') }}
);

insert into {{ target }} ({{ columns }})
select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}

{#- Refuses to merge into incremental state it cannot vouch for: state built
    under another version (var episode_state_version: a hash of the project's
    models, seeds and macros and of the pseudonym key, computed by the pipeline,
    dagster_project/defs/assets/transformation.py; 'unversioned' for a plain dbt
    run), or episode tables without their state. The pipeline sees both before
    it starts dbt and runs with --full-refresh instead. -#}
{% macro assert_episode_state(state_relation) -%}
{%- if execute and not should_full_refresh() -%}
    {%- set wanted = var('episode_state_version', 'unversioned') -%}
    {%- if state_relation is none -%}
        {%- set built = adapter.get_relation(
            database=this.database, schema=this.schema, identifier='int_nec_spells_subtracted'
        ) -%}
        {%- if built is not none -%}
            {{ exceptions.raise_compiler_error(
                "The incremental episodes exist but their state (int_episode_state) does not: "
                ~ "run with --full-refresh (the pipeline does so by itself)."
            ) }}
        {%- endif -%}
    {%- else -%}
        {%- set found = run_query('select max(state_version) from ' ~ state_relation).columns[0].values()[0] -%}
        {%- if found != wanted -%}
            {{ exceptions.raise_compiler_error(
                "The incremental episodes were built under another pseudonym key or other "
                ~ "models (state version " ~ found ~ ", this run " ~ wanted ~ "): they cannot "
                ~ "be merged into; run with --full-refresh (the pipeline does so by itself)."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endif -%}
{%- endmacro %}

{#- The state the episodes were built from (int_episode_state, in the schema of
    the calling model), or none: not built yet, or while dbt parses. -#}
{% macro episode_state() -%}
{%- if execute -%}
    {{ return(adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_episode_state'
    )) }}
{%- endif -%}
{{ return(none) }}
{%- endmacro %}

{#- A full build: no state to compare with, or --full-refresh. -#}
{% macro episode_full_build(state) -%}
{{ return(state is none or should_full_refresh()) }}
{%- endmacro %}

{#- The relation of the built fingerprints to compare with: the state, or on a
    full build an empty relation with its columns. -#}
{% macro built_fingerprints(state, full_build) -%}
{%- if not full_build -%}
{{ state }}
{%- else -%}
(
    select
        null::varchar as person_id,
        null::varchar as kind,
        null::hugeint as fingerprint,
        null::bigint as row_count,
        null::hugeint as clipped_fingerprint,
        null::bigint as clipped_rows,
        null::date as built_data_cutoff
    where false
)
{%- endif -%}
{%- endmacro %}
