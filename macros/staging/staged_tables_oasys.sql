{#- The oasys tables the staging layer stages (see staged_source_tables). -#}
{% macro staged_tables_oasys() -%}
    {{ return([('oasys', 'assessments')]) }}
{%- endmacro %}
