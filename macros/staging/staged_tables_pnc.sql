{#- The pnc tables the staging layer stages (see staged_source_tables). -#}
{% macro staged_tables_pnc() -%}
    {{ return([('pnc', 'persons'), ('pnc', 'offence_outcomes')]) }}
{%- endmacro %}
