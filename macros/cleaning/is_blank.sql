{#- Documented in _cleaning__macros.yml. -#}
{% macro is_blank(column) -%}
    {{ return(adapter.dispatch('is_blank', 'repeat_offending')(column)) }}
{%- endmacro %}

{% macro default__is_blank(column) -%}
    (nullif({{ trim_whitespace(column) }}, '') is null)
{%- endmacro %}
