{#- The dense grid of the facts (contract part C): every cohort year that has a
    cohort WOP times every province value. Emits two CTEs, cohort_years and
    cohort_province_grid (cohort_year, province, province_sort_order), from the
    CTEs named by the arguments. -#}
{% macro cohort_province_grid(cohort_wops='wop_transitions', provinces='provinces') -%}
cohort_years as (

    select distinct cohort_year from {{ cohort_wops }}

),

cohort_province_grid as (

    select
        cohort_years.cohort_year,
        {{ provinces }}.province,
        {{ provinces }}.sort_order as province_sort_order

    from cohort_years

    cross join {{ provinces }}

)
{%- endmacro %}
