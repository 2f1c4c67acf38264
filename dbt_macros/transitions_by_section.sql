{#- The logic of the sector facts (contract part C), one for both classifications:
    transitions per cohort year, province and section of the transition job, dense
    over the cohort-province grid times every row of the sections CTE (letters and
    '?'), zeros included, in the published order (cohort year, then the sort_order
    of the provinces and of the sections). Emits the CTEs cohort_years,
    cohort_province_grid, grid, counts and final from the CTEs wop_transitions,
    provinces and the one named by sections, whose section column (also the column
    of wop_transitions) is section_column. Used by transitions_by_sector (NACE-BEL
    2008) and transitions_by_sector_2025. -#}
{% macro transitions_by_section(sections, section_column) -%}
{{ cohort_province_grid() }},

grid as (

    select
        cohort_province_grid.*,
        {{ sections }}.{{ section_column }},
        {{ sections }}.sort_order as section_sort_order

    from cohort_province_grid

    cross join {{ sections }}

),

counts as (

    select
        cohort_year,
        province,
        {{ section_column }},
        count(*) as transitions

    from wop_transitions

    where has_transition

    group by cohort_year, province, {{ section_column }}

),

final as (

    select
        cast(grid.cohort_year as integer) as cohort_year,
        cast(grid.province as varchar) as province,
        cast(grid.{{ section_column }} as varchar) as {{ section_column }},
        cast(coalesce(counts.transitions, 0) as bigint) as transitions

    from grid

    left join counts
        on
            grid.cohort_year = counts.cohort_year
            and grid.province = counts.province
            and grid.{{ section_column }} = counts.{{ section_column }}

    order by
        grid.cohort_year, grid.province_sort_order, grid.section_sort_order

)
{%- endmacro %}
