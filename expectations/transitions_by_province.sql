select facts.*, year(cutoff.data_cutoff) as cutoff_year,
from marts.transitions_by_province as facts
cross join intermediate.int_data_cutoff as cutoff
