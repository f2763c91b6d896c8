{#-
    on-run-end hook: the row count of every model, seed and snapshot relation in the warehouse into
    audit.row_counts. Documented in _audit__macros.yml.
-#}

{% macro persist_row_counts() -%}
    {%- if execute and flags.WHICH in ['build', 'run', 'seed', 'snapshot', 'retry'] -%}
        {%- set counts = [] -%}
        {%- for node in audit_summary_nodes(['model', 'seed', 'snapshot']) -%}
            {%- set relation = api.Relation.create(
                database=node.database, schema=node.schema, identifier=node.alias
            ) -%}
            {%- set materialization = node.resource_type if node.resource_type in ['seed', 'snapshot']
                else node.config.materialized -%}
            {%- set count_sql -%}
    select
        {{ audit_sql_literal(node.unique_id) }} as node_unique_id,
        {{ audit_sql_literal(node.resource_type) }} as resource_type,
        {{ audit_sql_literal(materialization) }} as materialization,
        {{ audit_sql_literal(audit_layer(node.schema)) }} as layer,
        {{ audit_sql_literal(node.schema) }} as schema_name,
        {{ audit_sql_literal(node.alias) }} as table_name,
        count(*) as row_count
    from {{ relation }}
            {%- endset -%}
            {%- do counts.append(count_sql) -%}
        {%- endfor -%}
        {%- set sql -%}
with

counts as (
    {% if counts | length > 0 -%}
    {{ counts | join('\n    union all\n') }}
    {%- else -%}
    select
        null as node_unique_id, null as resource_type, null as materialization, null as layer,
        null as schema_name, null as table_name, 0 as row_count
    where 1 = 0
    {%- endif %}
)

select
    cast({{ dbt.concat(['schema_name', "'.'", 'table_name']) }} as {{ dbt.type_string() }}) as relation_name,
    cast(layer as {{ dbt.type_string() }}) as layer,
    cast(schema_name as {{ dbt.type_string() }}) as schema_name,
    cast(table_name as {{ dbt.type_string() }}) as table_name,
    cast(resource_type as {{ dbt.type_string() }}) as resource_type,
    cast(materialization as {{ dbt.type_string() }}) as materialization,
    cast(node_unique_id as {{ dbt.type_string() }}) as node_unique_id,
    cast(row_count as {{ dbt.type_bigint() }}) as row_count,
    cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as invocation_id,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as run_started_at
from counts
        {%- endset -%}
        {%- do audit_replace_table('row_counts', sql) -%}
    {%- endif -%}
{%- endmacro %}
