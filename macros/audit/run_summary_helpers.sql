{#-
    Helpers of the data-quality summary hooks (persist_test_results, persist_row_counts,
    persist_column_profiles). Documented in _audit__macros.yml.
-#}

{% macro audit_sql_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ dbt.escape_single_quotes(value | string) }}'
    {%- endif -%}
{%- endmacro %}


{#- The schemas of var `layers` (dbt_project.yml): a schema listed by name is its own family; one matched
    by a pattern (`stg_*`) is its layer's (`staging`). -#}
{% macro audit_layer(schema_name) -%}
    {%- set schema_name = schema_name | lower -%}
    {%- for layer in var('layers') -%}
        {%- for schema in layer.schemas -%}
            {%- if schema == schema_name -%}
                {{ return(schema_name) }}
            {%- elif schema.endswith('*') and schema_name.startswith(schema[:-1]) -%}
                {{ return(layer.name) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return('other') }}
{%- endmacro %}


{% macro audit_existing_relations() -%}
    {%- set existing = [] -%}
    {%- if execute -%}
        {%- set query -%}
            select table_catalog, table_schema, table_name from information_schema.tables
        {%- endset -%}
        {%- for row in run_query(query) -%}
            {%- do existing.append((row[0] ~ '.' ~ row[1] ~ '.' ~ row[2]) | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(existing) }}
{%- endmacro %}


{% macro audit_summary_nodes(resource_types, public_only=false) -%}
    {%- set nodes = [] -%}
    {%- if execute -%}
        {%- set existing = audit_existing_relations() -%}
        {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
            {%- if node.resource_type in resource_types
                and node.config.materialized != 'ephemeral'
                and (not public_only or node.access == 'public')
                and ((node.database ~ '.' ~ node.schema ~ '.' ~ node.alias) | lower) in existing -%}
                {%- do nodes.append(node) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(nodes) }}
{%- endmacro %}


{% macro audit_replace_table(identifier, sql) -%}
    {%- set relation = api.Relation.create(
        database=target.database, schema='audit', identifier=identifier, type='table'
    ) -%}
    {%- set staging_relation = api.Relation.create(
        database=target.database, schema='audit', identifier=identifier ~ '__dbt_new', type='table'
    ) -%}
    {%- do adapter.create_schema(relation) -%}
    {%- do adapter.drop_relation(staging_relation) -%}
    {%- do run_query('create table ' ~ staging_relation ~ ' as\n' ~ sql) -%}
    {%- do adapter.drop_relation(relation) -%}
    {%- do adapter.rename_relation(staging_relation, relation) -%}
    {%- do adapter.commit() -%}
    {{ log('Data-quality summary: wrote ' ~ relation, info=true) }}
{%- endmacro %}
