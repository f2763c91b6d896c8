{#- The prisons tables the staging layer stages (see staged_source_tables). -#}
{% macro staged_tables_prisons() -%}
    {{ return([('prisons', 'prisoners'), ('prisons', 'custodial_spells')]) }}
{%- endmacro %}
