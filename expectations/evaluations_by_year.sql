-- The Q5 evaluation figures, with per year the number of cells (3 triggers x 3
-- outcomes) and the check that every loaded evaluation up to the cutoff is counted.
with loaded as (
    select count(*) as evaluations_up_to_cutoff
    from staging.stg_raw__evaluatie as evaluations
    cross join intermediate.int_data_cutoff as cutoff
    where evaluations.evaluation_date <= cutoff.data_cutoff
)
select
    facts.*,
    count(*) over (partition by facts.year) as cells_in_year,
    sum(facts.evaluations) over () = any_value(loaded.evaluations_up_to_cutoff) over ()
        as every_evaluation_counted,
    year(cutoff.data_cutoff) as cutoff_year,
from marts.evaluations_by_year as facts
cross join loaded
cross join intermediate.int_data_cutoff as cutoff
