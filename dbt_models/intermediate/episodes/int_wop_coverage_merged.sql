-- Days covered by a WOP, per person and employer: the capped WOP spells of
-- every measure merged into maximal runs of consecutive days (macro
-- merge_intervals).
with

wop_spells as (

    select * from {{ ref('int_wop_spells_capped') }}

),

merged as (

    {{ merge_intervals(
        'wop_spells', ['person_id', 'employer_kbo'], end_col='covered_until'
    ) }}

),

final as (

    select
        person_id,
        employer_kbo,
        interval_number as coverage_number,
        start_date,
        end_date

    from merged

)

select * from final
