{#-
    on-run-end hook: the results of the invocation's data tests and unit tests into audit.test_results
    (the last run only). Documented in _audit__macros.yml.
-#}

{% macro persist_test_results(results) -%}
    {%- if execute and flags.WHICH in ['build', 'test', 'retry'] -%}
        {%- set rows = [] -%}
        {%- for result in results if result.node.resource_type in ['test', 'unit_test'] -%}
            {%- set node = result.node -%}
            {%- if node.resource_type == 'unit_test' -%}
                {%- set test_type = 'unit' -%}
                {%- set generic_test = none -%}
                {%- set attached_node = node.tested_node_unique_id
                    or (node.depends_on.nodes[0] if node.depends_on.nodes | length == 1 else none) -%}
            {%- elif node.test_metadata -%}
                {%- set test_type = 'generic' -%}
                {%- set generic_test = node.test_metadata.name -%}
                {#- dbt attaches generic tests to models, seeds and snapshots only; a source's test reads it. -#}
                {%- set attached_node = node.attached_node or (
                    'source.' ~ node.package_name ~ '.' ~ node.sources[0] | join('.')
                    if node.sources | length == 1 else none) -%}
            {%- else -%}
                {%- set test_type = 'singular' -%}
                {%- set generic_test = none -%}
                {%- set attached_node = node.depends_on.nodes[0] if node.depends_on.nodes | length == 1 else none -%}
            {%- endif -%}
            {%- set attached_name = ((attached_node or '').split('.')[2:] | join('.')) or none -%}
            {%- set values = [
                audit_sql_literal(node.unique_id),
                audit_sql_literal(node.name),
                audit_sql_literal(test_type),
                audit_sql_literal(generic_test),
                audit_sql_literal(attached_node),
                audit_sql_literal(attached_name),
                audit_sql_literal(node.column_name if node.resource_type == 'test' else none),
                audit_sql_literal((node.config.severity or 'error') | lower if node.resource_type == 'test' else 'error'),
                audit_sql_literal(result.status | string),
                audit_sql_literal(result.failures),
                audit_sql_literal(result.execution_time),
                audit_sql_literal(((result.message or '') | string)[:2000] or none),
            ] -%}
            {%- do rows.append('(' ~ values | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- if rows | length > 0 -%}
            {%- set sql -%}
select
    cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as invocation_id,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as run_started_at,
    cast('{{ flags.WHICH }}' as {{ dbt.type_string() }}) as command,
    cast(test_unique_id as {{ dbt.type_string() }}) as test_unique_id,
    cast(test_name as {{ dbt.type_string() }}) as test_name,
    cast(test_type as {{ dbt.type_string() }}) as test_type,
    cast(generic_test as {{ dbt.type_string() }}) as generic_test,
    cast(attached_node as {{ dbt.type_string() }}) as attached_node,
    cast(attached_name as {{ dbt.type_string() }}) as attached_name,
    cast(column_name as {{ dbt.type_string() }}) as column_name,
    cast(severity as {{ dbt.type_string() }}) as severity,
    cast(status as {{ dbt.type_string() }}) as status,
    cast(failures as {{ dbt.type_bigint() }}) as failures,
    cast(execution_time as double) as execution_time_seconds,
    cast(message as {{ dbt.type_string() }}) as message
from (
    values
    {{ rows | join(',\n    ') }}
) as test_results (
    test_unique_id, test_name, test_type, generic_test, attached_node, attached_name, column_name, severity,
    status, failures, execution_time, message
)
            {%- endset -%}
            {%- do audit_replace_table('test_results', sql) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
