{#- Documented in _cleaning__macros.yml. -#}
{% macro clean_code(column) -%}
    {{ return(adapter.dispatch('clean_code', 'repeat_offending')(column)) }}
{%- endmacro %}

{% macro default__clean_code(column) -%}
    nullif(upper({{ trim_whitespace(column) }}), '')
{%- endmacro %}
