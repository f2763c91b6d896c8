{#- Documented in _cleaning__macros.yml. -#}
{% macro clean_code(column) -%}
    {{ return(adapter.dispatch('clean_code', 'repeat_offending')(column)) }}
{%- endmacro %}

{% macro default__clean_code(column) -%}
    nullif(upper({{ trim_whitespace(column) }}), '')
{%- endmacro %}


{#- Documented in _cleaning__macros.yml. -#}
{% macro category_code(column) -%}
    {{ return(adapter.dispatch('category_code', 'repeat_offending')(column)) }}
{%- endmacro %}

{% macro default__category_code(column) -%}
    nullif({{ regex_replace_all(
        regex_replace_all('lower(' ~ trim_whitespace(column) ~ ')', '[^a-z0-9]+', '_'),
        '^_+|_+$', ''
    ) }}, '')
{%- endmacro %}
