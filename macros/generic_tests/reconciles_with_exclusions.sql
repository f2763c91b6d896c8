{#- Documented in _generic_tests__macros.yml. -#}
{% test reconciles_with_exclusions(model, model_key, source, source_key, linked_table, source_filter='true') %}

with

staged as (

    select {{ source_key }} as record_id
    from {{ source }}
    where {{ source_filter }}

),

accounted as (

    select {{ model_key }} as record_id
    from {{ model }}

    union all

    select source_record_id as record_id
    from {{ ref('audit__linked_exclusions') }}
    where linked_table = '{{ linked_table }}'

),

accounted_counts as (

    select
        record_id,
        count(*) as times_accounted
    from accounted
    group by record_id

),

final as (

    select
        coalesce(staged.record_id, accounted_counts.record_id) as record_id,
        staged.record_id is not null as is_staged,
        coalesce(accounted_counts.times_accounted, 0) as times_accounted
    from staged
    full outer join accounted_counts on staged.record_id = accounted_counts.record_id
    where
        staged.record_id is null
        or accounted_counts.times_accounted is null
        or accounted_counts.times_accounted != 1

)

select * from final

{% endtest %}
