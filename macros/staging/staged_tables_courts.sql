{#- The courts tables the staging layer stages (see staged_source_tables). -#}
{% macro staged_tables_courts() -%}
    {{ return([('courts', 'defendants'), ('courts', 'cases'), ('courts', 'case_offences')]) }}
{%- endmacro %}
