{#- Documented in _generic_tests__macros.yml. -#}
{% test reconciles_with_staging(model, staged_model, source_table) %}

with

raw_rows as (

    select count(*) as row_count from {{ model }}

),

staged_rows as (

    select count(*) as row_count from {{ staged_model }}

),

quarantined_rows as (

    select count(*) as row_count
    from {{ ref('audit__quarantine') }}
    where source_table = '{{ source_table }}'

)

select
    raw_rows.row_count as raw_rows,
    staged_rows.row_count as staged_rows,
    quarantined_rows.row_count as quarantined_rows
from raw_rows
cross join staged_rows
cross join quarantined_rows
where raw_rows.row_count != staged_rows.row_count + quarantined_rows.row_count

{% endtest %}
