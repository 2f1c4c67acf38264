-- Q5: VDAB evaluations per year, trigger (AANLEIDING) and outcome (UITKOMST):
-- how many, how many with a recent POP, how many followed by a transition.
-- Dense: every year with an evaluation times every trigger of the seed
-- evaluation_triggers times every outcome of the seed evaluation_outcomes,
-- zeros included. Stored in the published order: year, then the seeds'
-- sort_order of trigger and outcome. "year" is the agreed column name (RF04
-- waived).
with

evaluations as (

    select * from {{ ref('int_evaluations_followed_up') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

evaluation_triggers as (

    select * from {{ ref('evaluation_triggers') }}

),

evaluation_outcomes as (

    select * from {{ ref('evaluation_outcomes') }}

),

evaluation_years as (

    select distinct evaluation_year from evaluations

),

grid as (

    select
        evaluation_years.evaluation_year,
        evaluation_triggers.trigger,
        evaluation_triggers.sort_order as trigger_sort_order,
        evaluation_outcomes.outcome,
        evaluation_outcomes.sort_order as outcome_sort_order

    from evaluation_years

    cross join evaluation_triggers

    cross join evaluation_outcomes

),

counts as (

    select
        evaluation_year,
        trigger,
        outcome,
        count(*) as evaluations,
        count(*) filter (where has_recent_pop) as with_recent_pop,
        count(*) filter (where followed_by_transition) as followed_by_transition

    from evaluations

    group by evaluation_year, trigger, outcome

),

final as (

    select
        cast(grid.evaluation_year as integer) as year,  -- noqa: RF04
        cast(grid.trigger as varchar) as trigger,
        cast(grid.outcome as varchar) as outcome,
        cast(coalesce(counts.evaluations, 0) as bigint) as evaluations,
        cast(coalesce(counts.with_recent_pop, 0) as bigint) as with_recent_pop,
        cast(coalesce(counts.followed_by_transition, 0) as bigint)
            as followed_by_transition,
        {{ year_follow_up_complete('grid.evaluation_year', 'data_cutoff.data_cutoff') }}
            as follow_up_complete

    from grid

    cross join data_cutoff

    left join counts
        on
            grid.evaluation_year = counts.evaluation_year
            and grid.trigger = counts.trigger
            and grid.outcome = counts.outcome

    order by
        grid.evaluation_year, grid.trigger_sort_order, grid.outcome_sort_order

)

select * from final
