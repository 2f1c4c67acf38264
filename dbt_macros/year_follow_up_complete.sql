{#- Follow-up complete for a year of the aggregated tables (contract part B): 31
    December of the year plus 24 months is on or before the data cutoff. A boolean
    expression of the integer expression year and the date expression data_cutoff. -#}
{% macro year_follow_up_complete(year, data_cutoff) -%}
cast(make_date({{ year }}, 12, 31) + interval 24 month as date) <= {{ data_cutoff }}
{%- endmacro %}
