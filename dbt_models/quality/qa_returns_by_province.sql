-- Frame of the GX suite returns_by_province: the facts, each row saying
-- whether its cohort year is a cohort year of transitions_by_province.
with

returns_by_province as (

    select * from {{ ref('returns_by_province') }}

),

transitions_by_province as (

    select * from {{ ref('transitions_by_province') }}

),

transition_years as (

    select distinct cohort_year from transitions_by_province

),

final as (

    select
        returns_by_province.cohort_year,
        returns_by_province.province,
        returns_by_province.returns,
        transition_years.cohort_year is not null as cohort_year_in_transitions

    from returns_by_province

    left join transition_years
        on returns_by_province.cohort_year = transition_years.cohort_year

)

select * from final
