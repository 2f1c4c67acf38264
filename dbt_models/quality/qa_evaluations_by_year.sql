-- Frame of the GX suite evaluations_by_year: the Q5 evaluation figures with,
-- per year, the number of cells (triggers x outcomes), whether the cells add
-- up to the loaded evaluations dated on or before the data cutoff, and the
-- year of the cutoff.
with

evaluations_by_year as (

    select * from {{ ref('evaluations_by_year') }}

),

evaluations as (

    select * from {{ ref('stg_raw__evaluatie') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

loaded as (

    select count(*) as evaluations_up_to_cutoff

    from evaluations

    cross join data_cutoff

    where evaluations.evaluation_date <= data_cutoff.data_cutoff

),

final as (

    select
        evaluations_by_year.year,  -- noqa: RF04
        evaluations_by_year.trigger,
        evaluations_by_year.outcome,
        evaluations_by_year.evaluations,
        evaluations_by_year.with_recent_pop,
        evaluations_by_year.followed_by_transition,
        evaluations_by_year.follow_up_complete,
        count(*) over (partition by evaluations_by_year.year) as cells_in_year,
        sum(evaluations_by_year.evaluations) over ()
        = any_value(loaded.evaluations_up_to_cutoff) over ()
            as every_evaluation_counted,
        year(data_cutoff.data_cutoff) as cutoff_year

    from evaluations_by_year

    cross join loaded

    cross join data_cutoff

)

select * from final
