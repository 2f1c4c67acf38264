{#- Generic data test (contract part C): the table has exactly one row per
    cohort year of cohort_model times every province value (times every
    section_column value of sections_model, e.g. every NACE section letter and
    '?', when given). Returned rows are missing or surplus cells. -#}
{% test dense_cohort_grid(model, cohort_model, sections_model=none, section_column='nace_section') %}
{%- set by_section = sections_model is not none %}

with

expected_cells as (

    select
        cohort_years.cohort_year,
        provinces.province
        {%- if by_section %},
        sections.{{ section_column }}
        {%- endif %}

    from (select distinct cohort_year from {{ cohort_model }}) as cohort_years

    cross join {{ ref('provinces') }} as provinces
    {%- if by_section %}

    cross join {{ sections_model }} as sections
    {%- endif %}

),

actual_cells as (

    select
        cohort_year,
        province
        {%- if by_section %},
        {{ section_column }}
        {%- endif %}

    from {{ model }}

),

missing as (

    select * from expected_cells
    except all
    select * from actual_cells

),

surplus as (

    select * from actual_cells
    except all
    select * from expected_cells

),

final as (

    select
        'missing' as problem,
        *
    from missing

    union all

    select
        'surplus' as problem,
        *
    from surplus

)

select * from final

{% endtest %}
