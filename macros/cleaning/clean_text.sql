{#- Documented in _cleaning__macros.yml. -#}
{% macro clean_text(column) -%}
    {{ return(adapter.dispatch('clean_text', 'repeat_offending')(column)) }}
{%- endmacro %}

{% macro default__clean_text(column) -%}
    nullif({{ regex_replace_all(trim_whitespace(column), '[ \\t\\r\\n]+', ' ') }}, '')
{%- endmacro %}
