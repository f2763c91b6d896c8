{#- Documented in _derived__macros.yml. -#}
{% macro is_counted_by_data_as_of(offences='proven_offences', data_as_of='data_as_of') -%}
    ({{ offences }}.is_counted and {{ offences }}.proven_date <= {{ data_as_of }}.data_as_of)
{%- endmacro %}
