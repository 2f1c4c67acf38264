{#- Merges date intervals (both bounds included) per partition into maximal runs of
    consecutive days: intervals that repeat, overlap, are contained or abut (the next
    start is the previous end + 1 day) join one run; a gap of a day or more starts a
    new one. One sort: an interval starts a run when it starts after the running
    maximum end of the intervals before it (+ 1 day); a run ends where the next run's
    running maximum stops, the last one at the partition's maximum end.
    Emits one select: the partition_by columns, start_date, end_date and
    interval_number (1, 2, ... per partition in start order). -#}
{% macro merge_intervals(relation, partition_by, start_col='start_date', end_col='end_date') -%}
{%- set partition = partition_by | join(', ') -%}
select
    {% for column in partition_by -%}
    {{ column }},
    {% endfor -%}
    start_date,
    row_number() over (
        partition by {{ partition }} order by start_date
    ) as interval_number,
    coalesce(
        lead(previous_max_end_date) over (
            partition by {{ partition }} order by start_date
        ),
        last_end_date
    ) as end_date

from (

    select
        {% for column in partition_by -%}
        {{ column }},
        {% endfor -%}
        {{ start_col }} as start_date,
        max({{ end_col }}) over (
            partition by {{ partition }}
            order by {{ start_col }}, {{ end_col }}
            rows between unbounded preceding and 1 preceding
        ) as previous_max_end_date,
        max({{ end_col }}) over (partition by {{ partition }}) as last_end_date

    from {{ relation }}

) as with_previous_end

where
    previous_max_end_date is null
    or start_date > previous_max_end_date + 1
{%- endmacro %}
