{#- Documented in _generic_tests__macros.yml. -#}
{% test expression_is_true(model, expression, column_name=none) %}
    {%- set condition = (column_name ~ ' ' ~ expression) if column_name is not none else expression -%}

    select *
    from {{ model }}
    where not coalesce({{ condition }}, false)

{% endtest %}
