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
    {#- `database.schema.identifier` (audit_relation_key) of every relation in the warehouse. -#}
    {{ return(adapter.dispatch('audit_existing_relations', 'repeat_offending')()) }}
{%- endmacro %}

{% macro default__audit_existing_relations() -%}
    {%- set existing = [] -%}
    {%- if execute -%}
        {%- set query -%}
            select table_catalog, table_schema, table_name from information_schema.tables
        {%- endset -%}
        {%- for row in run_query(query) -%}
            {%- do existing.append(audit_relation_key(row[0], row[1], row[2])) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(existing) }}
{%- endmacro %}

{% macro spark__audit_existing_relations() -%}
    {#- Spark has no information_schema: the relations of each schema the project's nodes build. -#}
    {%- set existing = [] -%}
    {%- if execute -%}
        {%- set schemas = graph.nodes.values() | map(attribute='schema') | unique | list -%}
        {%- set databases = run_query('show databases').columns[0].values() | map('lower') | list -%}
        {%- for schema in schemas | sort if schema | lower in databases -%}
            {%- for row in run_query('show tables in ' ~ schema) if not row['isTemporary'] -%}
                {%- do existing.append(audit_relation_key(none, schema, row['tableName'])) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(existing) }}
{%- endmacro %}


{% macro audit_relation_key(database, schema, identifier) -%}
    {#- A relation's name in lower case, its catalog left out where the engine has none (Spark). -#}
    {{ return(((database ~ '.' if database else '') ~ schema ~ '.' ~ identifier) | lower) }}
{%- endmacro %}


{% macro audit_summary_nodes(resource_types, public_only=false) -%}
    {%- set nodes = [] -%}
    {%- if execute -%}
        {%- set existing = audit_existing_relations() -%}
        {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
            {%- if node.resource_type in resource_types
                and node.config.materialized != 'ephemeral'
                and (not public_only or node.access == 'public')
                and audit_relation_key(node.database, node.schema, node.alias) in existing -%}
                {%- do nodes.append(node) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(nodes) }}
{%- endmacro %}


{% macro audit_replace_table(identifier, sql, more_sql=[]) -%}
    {%- set relation = api.Relation.create(
        database=audit_database(), schema='audit', identifier=identifier, type='table'
    ) -%}
    {%- set staging_relation = api.Relation.create(
        database=audit_database(), schema='audit', identifier=identifier ~ '__dbt_new', type='table'
    ) -%}
    {%- do adapter.create_schema(relation) -%}
    {%- do adapter.drop_relation(staging_relation) -%}
    {%- do run_query('create table ' ~ staging_relation ~ ' as\n' ~ sql) -%}
    {%- for more in more_sql -%}
        {%- do run_query('insert into ' ~ staging_relation ~ '\n' ~ more) -%}
    {%- endfor -%}
    {%- do adapter.drop_relation(relation) -%}
    {%- do adapter.rename_relation(staging_relation, relation) -%}
    {%- do audit_commit() -%}
    {{ log('Data-quality summary: wrote ' ~ relation, info=true) }}
{%- endmacro %}


{% macro audit_database() -%}
    {#- The catalog of the audit schema: the target's database; none on Spark (no catalogs). -#}
    {{ return(adapter.dispatch('audit_database', 'repeat_offending')()) }}
{%- endmacro %}

{% macro default__audit_database() -%}
    {{ return(target.database) }}
{%- endmacro %}

{% macro spark__audit_database() -%}
    {{ return(none) }}
{%- endmacro %}


{% macro audit_commit() -%}
    {{ return(adapter.dispatch('audit_commit', 'repeat_offending')()) }}
{%- endmacro %}

{% macro default__audit_commit() -%}
    {%- do adapter.commit() -%}
{%- endmacro %}

{% macro spark__audit_commit() -%}
    {#- Spark has no transactions: each statement is final. -#}
{%- endmacro %}


{% macro audit_distinct_count(expression) -%}
    {#- Distinct non-null values of a column, for the column profiles. -#}
    {{ return(adapter.dispatch('audit_distinct_count', 'repeat_offending')(expression)) }}
{%- endmacro %}

{% macro default__audit_distinct_count(expression) -%}
    count(distinct {{ expression }})
{%- endmacro %}

{% macro spark__audit_distinct_count(expression) -%}
    {#- Spark plans several exact distinct counts in one aggregate as an Expand: every row copied once per
        column, then shuffled. Over the public models of a 200,000-person world that ran for more than 8
        minutes on local[2]; a HyperLogLog++ sketch per column is one pass, exact for small counts and within
        about 1% (its relative standard deviation) for large ones. -#}
    approx_count_distinct({{ expression }}, 0.01)
{%- endmacro %}
