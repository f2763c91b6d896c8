{#- The probation tables the staging layer stages (see staged_source_tables). -#}
{% macro staged_tables_probation() -%}
    {{ return([('probation', 'people'), ('probation', 'events')]) }}
{%- endmacro %}
