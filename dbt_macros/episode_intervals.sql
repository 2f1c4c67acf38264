{#- The intervals an incremental episode model merges (int_employment_spells_merged,
    int_wop_coverage_merged): relation's rows (person_id, employer_kbo, start_date,
    end_date; an open row runs to open_end()). On a full build, every row. On an
    incremental run, only the persons whose <kind>_changed is set in
    int_persons_changed: all their rows when rebuilt; when extended (their rows
    clipped at the built cutoff are those built from), the built intervals
    ({{ this }}) up to the built cutoff plus the days of their rows after it, which
    merge into the same runs as all their rows would. Renders one select. -#}
{% macro episode_intervals(relation, kind) -%}
{%- if is_incremental() -%}
select
    rows.person_id,
    rows.employer_kbo,
    case
        when changed.{{ kind }}_extended
            then greatest(rows.start_date, changed.built_data_cutoff + 1)
        else rows.start_date
    end as start_date,
    coalesce(rows.end_date, {{ open_end() }}) as end_date

from {{ relation }} as rows

inner join {{ ref('int_persons_changed') }} as changed
    on rows.person_id = changed.person_id

where
    changed.{{ kind }}_changed
    and (
        not changed.{{ kind }}_extended
        or coalesce(rows.end_date, {{ open_end() }}) > changed.built_data_cutoff
    )

union all

select
    built.person_id,
    built.employer_kbo,
    built.start_date,
    least(built.end_date, changed.built_data_cutoff) as end_date

from {{ this }} as built

inner join {{ ref('int_persons_changed') }} as changed
    on built.person_id = changed.person_id

where
    changed.{{ kind }}_extended
    and built.start_date <= changed.built_data_cutoff
{%- else -%}
select
    person_id,
    employer_kbo,
    start_date,
    coalesce(end_date, {{ open_end() }}) as end_date

from {{ relation }}
{%- endif -%}
{%- endmacro %}
