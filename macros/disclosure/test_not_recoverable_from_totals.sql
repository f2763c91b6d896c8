{#- Documented in _disclosure__macros.yml. -#}
{% test not_recoverable_from_totals(model, group_by, value, marker, totals=none) %}
    {%- if group_by is string or group_by | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "not_recoverable_from_totals: group_by must be a non-empty list of column names, got " ~ group_by
        ) }}
    {%- endif -%}
    {%- set columns = group_by | join(', ') -%}

with

members as (

    select
        {{ columns }},
        1 as is_in_model,
        case when {{ value }} is null or {{ marker }} is not null then 1 else 0 end as is_suppressed
    from {{ model }}
    {%- if totals is not none %}

    union all

    select
        {{ columns }},
        0 as is_in_model,
        case when {{ value }} is null or {{ marker }} is not null then 1 else 0 end as is_suppressed
    from {{ totals }}
    {%- endif %}

)

select
    {{ columns }},
    count(*) as members,
    sum(is_suppressed) as suppressed_members
from members
group by {{ columns }}
having
    sum(is_in_model) > 0
    and sum(is_suppressed) = 1
    {%- if totals is not none %}
    -- with a totals model, the group adds up to a published total only when that model holds its row
    and sum(is_in_model) < count(*)
    {%- endif %}

{% endtest %}
