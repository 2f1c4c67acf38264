-- The Q4 key figures, each cell next to the same cell of transitions_by_province and
-- returns_by_province (full join: a cell missing on either side is a mismatch).
select
    kpis.*,
    coalesce(kpis.cohort_year, facts.cohort_year) as cell_cohort_year,
    kpis.closed_wops is not distinct from facts.closed_wops
        and kpis.transitions is not distinct from facts.transitions
        and kpis.follow_up_complete is not distinct from facts.follow_up_complete
        as counts_match_transitions_by_province,
    kpis.returns is not distinct from returns.returns as returns_match_returns_by_province,
    year(cutoff.data_cutoff) as cutoff_year,
from marts.transition_kpis_by_province as kpis
full join marts.transitions_by_province as facts using (cohort_year, province)
full join marts.returns_by_province as returns using (cohort_year, province)
cross join intermediate.int_data_cutoff as cutoff
