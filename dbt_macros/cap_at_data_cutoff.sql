{#- What is known of dated rows (employment lines, WOPs) at the data cutoff
    (contract part B): a row starting after the cutoff is dropped; capped_end_date
    is the row's end, the cutoff for an open row, and never later than the cutoff;
    is_open says the row had no end. Emits one select: every column of relation,
    then capped_end_date and is_open. data_cutoff names the one-row relation
    holding the column data_cutoff (int_data_cutoff). -#}
{% macro cap_at_data_cutoff(relation, data_cutoff='data_cutoff', start_col='start_date', end_col='end_date') -%}
select
    {{ relation }}.*,
    least(
        coalesce({{ relation }}.{{ end_col }}, {{ data_cutoff }}.data_cutoff),
        {{ data_cutoff }}.data_cutoff
    ) as capped_end_date,
    {{ relation }}.{{ end_col }} is null as is_open

from {{ relation }}

cross join {{ data_cutoff }}

where {{ relation }}.{{ start_col }} <= {{ data_cutoff }}.data_cutoff
{%- endmacro %}
