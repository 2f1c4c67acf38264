{#- Generic data test: each of values occurs in exactly one row of column_name, and
    the column holds no other non-null value. Returned rows name a value and its
    number of rows. -#}
{% test exactly_one_row_per_value(model, column_name, values) %}

with

expected_values as (

    select unnest([
        {%- for value in values %}
        '{{ value }}'{% if not loop.last %},{% endif %}
        {%- endfor %}
    ]) as value

),

actual_counts as (

    select
        {{ adapter.quote(column_name) }} as value,
        count(*) as row_count

    from {{ model }}

    where {{ adapter.quote(column_name) }} is not null

    group by {{ adapter.quote(column_name) }}

),

final as (

    select
        coalesce(expected_values.value, actual_counts.value) as value,
        coalesce(actual_counts.row_count, 0) as row_count,
        expected_values.value is not null as is_expected

    from expected_values

    full join actual_counts
        on expected_values.value = actual_counts.value

    where not (
        expected_values.value is not null
        and coalesce(actual_counts.row_count, 0) = 1
    )

)

select * from final

{% endtest %}
