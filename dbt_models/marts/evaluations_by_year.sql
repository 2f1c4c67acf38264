-- Q5: VDAB evaluations per year, trigger (AANLEIDING) and outcome (UITKOMST):
-- how many, how many with a recent POP, how many followed by a transition.
-- Dense: every year with an evaluation times the three triggers times the
-- three outcomes, zeros included. "year" is the agreed column name (RF04 waived).
with

evaluations as (

    select * from {{ ref('int_evaluations_followed_up') }}

),

data_cutoff as (

    select * from {{ ref('int_data_cutoff') }}

),

triggers as (

    select unnest(['WERKNEMER', 'WERKGEVER', 'VIJF_JAAR']) as trigger

),

outcomes as (

    select unnest(['DOORSTROOMTRAJECT', 'BEHOUD', 'AANPASSING']) as outcome

),

evaluation_years as (

    select distinct evaluation_year from evaluations

),

grid as (

    select
        evaluation_years.evaluation_year,
        triggers.trigger,
        outcomes.outcome

    from evaluation_years

    cross join triggers

    cross join outcomes

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
        cast(
            make_date(grid.evaluation_year, 12, 31) + interval 24 month as date
        ) <= data_cutoff.data_cutoff as follow_up_complete

    from grid

    cross join data_cutoff

    left join counts
        on
            grid.evaluation_year = counts.evaluation_year
            and grid.trigger = counts.trigger
            and grid.outcome = counts.outcome

)

select * from final
