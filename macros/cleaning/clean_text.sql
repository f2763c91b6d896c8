{#- Documented in _cleaning__macros.yml. -#}
{% macro clean_text(column) -%}
    {{ return(adapter.dispatch('clean_text', 'repeat_offending')(column)) }}
{%- endmacro %}

{% macro default__clean_text(column) -%}
    nullif({{ regex_replace_all(trim_whitespace(strip_control_characters(column)), '[ \\t\\r\\n]+', ' ') }}, '')
{%- endmacro %}


{% macro strip_control_characters(column) -%}
    {{ return(adapter.dispatch('strip_control_characters', 'repeat_offending')(column)) }}
{%- endmacro %}

{% macro default__strip_control_characters(column) -%}
    {{ regex_replace_all(column, control_characters_regex(), '') }}
{%- endmacro %}


{% macro has_control_characters(columns) -%}
    {#- Whether any of the columns holds a character that strip_control_characters removes. -#}
    (
        {%- for column in columns %}
        coalesce({{ strip_control_characters(column) }} != {{ column }}, false){{ " or" if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
