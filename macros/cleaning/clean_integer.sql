{#- Documented in _cleaning__macros.yml. -#}
{% macro clean_integer(column, data_type='bigint') -%}
    {{ return(adapter.dispatch('clean_integer', 'repeat_offending')(column, data_type)) }}
{%- endmacro %}

{% macro default__clean_integer(column, data_type='bigint') -%}
    {%- set value = trim_whitespace(column) -%}
    case
        when {{ regex_full_match(value, '[+-]?[0-9]+') }}
            then {{ try_cast_to(value, data_type) }}
    end
{%- endmacro %}
