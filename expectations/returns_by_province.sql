select
    returns.*,
    provinces.cohort_year is not null as cohort_year_in_transitions,
from marts.returns_by_province as returns
left join (select distinct cohort_year from marts.transitions_by_province) as provinces using (cohort_year)
