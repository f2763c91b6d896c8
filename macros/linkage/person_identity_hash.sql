{#- Documented in _linkage__macros.yml. -#}
{% macro person_identity_hash(relation='') -%}
    {%- set prefix = (relation ~ '.') if relation else '' -%}
    {%- set parts = [] -%}
    {%- for column in person_identity_columns() -%}
        {#- A null and an empty value hash differently: a null is written as \N, which no staged value is
            (written chr(92) || 'N': a backslash in a string literal is an escape on Spark, not on DuckDB). -#}
        {%- do parts.append(
            "coalesce(cast(" ~ prefix ~ column ~ " as " ~ dbt.type_string() ~ "), chr(92) || 'N')"
        ) -%}
    {%- endfor -%}
    {{ dbt.hash("concat_ws('|', " ~ parts | join(', ') ~ ")") }}
{%- endmacro %}


{% macro person_identity_columns() -%}
    {{ return([
        'pnc_id', 'crn', 'prison_number', 'forename', 'middle_name', 'surname', 'date_of_birth', 'sex',
        'postcode'
    ]) }}
{%- endmacro %}
