{#-
    Police National Computer ids, `YYYY/NNNNNNNC`. Documented (with the check-character algorithm) in
    _cleaning__macros.yml; the Python reference is generator/src/justice_world/pnc.py.
-#}

{% macro pnc_check_characters() -%}
    {{ return('ZABCDEFGHJKLMNPQRTUVWXY') }}
{%- endmacro %}


{% macro pnc_check_character(year_text, serial_text) -%}
    {{ return(adapter.dispatch('pnc_check_character', 'repeat_offending')(year_text, serial_text)) }}
{%- endmacro %}

{% macro default__pnc_check_character(year_text, serial_text) -%}
    substr(
        {{ sql_string(pnc_check_characters()) }},
        cast(mod({{ try_cast_to(dbt.right(year_text, 2) ~ " || lpad(" ~ serial_text ~ ", 7, '0')", dbt.type_bigint()) }}, 23) as {{ dbt.type_int() }}) + 1,
        1
    )
{%- endmacro %}


{% macro is_valid_pnc_id(column) -%}
    {{ return(adapter.dispatch('is_valid_pnc_id', 'repeat_offending')(column)) }}
{%- endmacro %}

{% macro default__is_valid_pnc_id(column) -%}
    coalesce(
        case
            when {{ regex_full_match(column, '[0-9]{4}/[0-9]{7}[A-Z]') }}
                then {{ dbt.right(column, 1) }} = {{ pnc_check_character('substr(' ~ column ~ ', 1, 4)', 'substr(' ~ column ~ ', 6, 7)') }}
        end,
        false
    )
{%- endmacro %}


{% macro normalise_pnc_id(column, century_pivot=30) -%}
    {{ return(adapter.dispatch('normalise_pnc_id', 'repeat_offending')(column, century_pivot)) }}
{%- endmacro %}

{% macro default__normalise_pnc_id(column, century_pivot=30) -%}
    {%- set shape = '([0-9]{2}|[0-9]{4})/([0-9]{1,7})([A-Z])' -%}
    {%- set compact = 'upper(' ~ regex_replace_all(column, '[ \\t\\r\\n]', '') ~ ')' -%}
    {%- set year_text = regex_extract(compact, '^' ~ shape ~ '$', 1) -%}
    {%- set serial_text = "lpad(" ~ regex_extract(compact, '^' ~ shape ~ '$', 2) ~ ", 7, '0')" -%}
    {%- set check_text = regex_extract(compact, '^' ~ shape ~ '$', 3) -%}
    {%- set year_4_text -%}
        case
            when length({{ year_text }}) = 4 then {{ year_text }}
            when {{ try_cast_to(year_text, dbt.type_int()) }} > {{ century_pivot | int }} then '19' || {{ year_text }}
            else '20' || {{ year_text }}
        end
    {%- endset -%}
    case
        when {{ check_text }} = {{ pnc_check_character(year_4_text, serial_text) }}
            then {{ year_4_text }} || '/' || {{ serial_text }} || {{ check_text }}
    end
{%- endmacro %}
