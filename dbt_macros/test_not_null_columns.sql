{#- Generic data test: none of column_names holds a null. One test (one query, one
    scan) per model instead of one per column; each failing row names a column and
    its number of nulls. -#}
{% test not_null_columns(model, column_names) %}

with

null_counts as (

    select
        {%- for column in column_names %}
        count(*) filter (where {{ adapter.quote(column) }} is null) as {{ adapter.quote(column) }},
        {%- endfor %}

    from {{ model }}

),

per_column as (

    unpivot null_counts on columns(*) into name column_name value null_rows

)

select * from per_column where null_rows > 0

{% endtest %}
