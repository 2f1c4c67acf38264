-- Frame of the GX suite transitions_by_province: the facts with the year of
-- the data cutoff.
with

transitions_by_province as (

    select * from {{ ref('transitions_by_province') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

final as (

    select
        transitions_by_province.cohort_year,
        transitions_by_province.province,
        transitions_by_province.closed_wops,
        transitions_by_province.transitions,
        transitions_by_province.follow_up_complete,
        year(data_cutoff.data_cutoff) as cutoff_year

    from transitions_by_province

    cross join data_cutoff

)

select * from final
