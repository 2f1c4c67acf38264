-- Province of every cohort WOP, from the residence valid on its end date:
-- a residence covering the end date first; else the latest residence that
-- started on or before it; on the same start date the lowest postal code.
-- No residence, or a residence abroad: the province of the seed provinces
-- whose fallback_for says so. A BE postal code is looked up in the
-- postal-code ranges valid on the WOP end date.
with

cohort_wops as (

    select * from {{ ref('int_cohort_wops_windowed') }}

),

residences as (

    select * from {{ ref('stg_raw__verblijfplaats') }}

),

postal_code_provinces as (

    select * from {{ ref('postal_code_provinces') }}

),

provinces as (

    select * from {{ ref('provinces') }}

),

fallback_provinces as (

    select
        any_value(province) filter (where fallback_for = 'no residence')
            as no_residence_province,
        any_value(province) filter (where fallback_for = 'residence abroad')
            as residence_abroad_province

    from provinces

),

ranked_residences as (

    select
        cohort_wops.wop_id,
        cohort_wops.end_date,
        upper(trim(residences.country)) as country,
        trim(residences.postal_code) as postal_code,
        row_number() over (
            partition by cohort_wops.wop_id
            order by
                coalesce(residences.valid_to >= cohort_wops.end_date, true) desc,
                residences.valid_from desc,
                trim(residences.postal_code) asc nulls last,
                residences.source_line_number asc
        ) as residence_rank

    from cohort_wops

    inner join residences
        on
            cohort_wops.person_id = residences.person_id
            and cohort_wops.end_date >= residences.valid_from

),

chosen_residences as (

    select * from ranked_residences
    where residence_rank = 1

),

final as (

    select
        cohort_wops.wop_id,
        chosen_residences.country,
        chosen_residences.postal_code,
        case
            when chosen_residences.wop_id is null
                then fallback_provinces.no_residence_province
            when chosen_residences.country != 'BE'
                then fallback_provinces.residence_abroad_province
            else coalesce(
                postal_code_provinces.province,
                fallback_provinces.residence_abroad_province
            )
        end as province

    from cohort_wops

    cross join fallback_provinces

    left join chosen_residences
        on cohort_wops.wop_id = chosen_residences.wop_id

    left join postal_code_provinces
        on
            chosen_residences.country = 'BE'
            and try_cast(chosen_residences.postal_code as integer)
            between postal_code_provinces.postal_code_from
            and postal_code_provinces.postal_code_to
            and chosen_residences.end_date
            between postal_code_provinces.valid_from
            and postal_code_provinces.valid_to

)

select * from final
