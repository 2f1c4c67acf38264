{#- The classification of a line's NACE code (contract part A): '2008' for a line
    starting before var nace_2025_from (2025-01-01), '2025' from that day on. -#}
{% macro nace_classification(start_col) -%}
case
    when {{ start_col }} < date '{{ var("nace_2025_from") }}' then '2008'
    else '2025'
end
{%- endmacro %}
