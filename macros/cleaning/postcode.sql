{#- UK postcodes. Documented in _cleaning__macros.yml. -#}

{% macro uk_postcode_regex() -%}
    {#- Outward code (area letters, district digit, optional digit or letter), inward code (digit and two
        letters), no space; plus the special GIR 0AA. -#}
    {{ return('[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA') }}
{%- endmacro %}


{% macro _compact_postcode(column) -%}
    upper({{ regex_replace_all(column, '[ \\t\\r\\n]', '') }})
{%- endmacro %}


{% macro normalise_postcode(column) -%}
    {{ return(adapter.dispatch('normalise_postcode', 'repeat_offending')(column)) }}
{%- endmacro %}

{% macro default__normalise_postcode(column) -%}
    {%- set compact = _compact_postcode(column) -%}
    case
        when {{ regex_full_match(compact, uk_postcode_regex()) }}
            then substr({{ compact }}, 1, length({{ compact }}) - 3) || ' ' || {{ dbt.right(compact, 3) }}
    end
{%- endmacro %}


{% macro postcode_district(column) -%}
    {{ return(adapter.dispatch('postcode_district', 'repeat_offending')(column)) }}
{%- endmacro %}

{% macro default__postcode_district(column) -%}
    {%- set compact = _compact_postcode(column) -%}
    case
        when {{ regex_full_match(compact, uk_postcode_regex()) }}
            then substr({{ compact }}, 1, length({{ compact }}) - 3)
    end
{%- endmacro %}
