-- wop_transitions summarised per cohort year, province and section (a few hundred
-- rows at any scale): the row-level rules are counted here in SQL.
select
    wops.cohort_year,
    wops.province,
    wops.nace_section,
    count(*) as cohort_wops,
    count(*) filter (wops.has_transition) as transitions,
    count(*) filter (
        wops.has_transition
        and not (wops.transition_date > wops.end_date
                 and wops.transition_date <= wops.end_date + interval 24 month)
    ) as transitions_outside_window,
    count(*) filter (wops.has_transition != (wops.transition_date is not null)) as inconsistent_rows,
    sum(count(*) filter (wops.province = 'Onbekend')) over ()
        / sum(count(*)) over () as onbekend_share_of_all_cohort_wops,
    year(any_value(cutoff.data_cutoff)) as cutoff_year,
from marts.wop_transitions as wops
cross join intermediate.int_data_cutoff as cutoff
group by all
order by all
