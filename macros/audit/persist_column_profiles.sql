{#-
    on-run-end hook: a profile of every column of every public model (row count, nulls, distinct values,
    minimum and maximum as text) into audit.column_profiles. Documented in _audit__macros.yml.
-#}

{% macro persist_column_profiles() -%}
    {#- Only when the invocation built a public model: `dbt run --select audit__release` at the end of a
        release build must not profile every public model again. -#}
    {%- set public_selected = execute and (graph.nodes.values()
        | selectattr('unique_id', 'in', selected_resources | default([], true))
        | selectattr('access', 'equalto', 'public') | list | length > 0) -%}
    {%- if execute and flags.WHICH in ['build', 'run', 'retry'] and public_selected -%}
        {#- One statement per model, each appending to the new table: one query over every public model is a
            plan too large for Spark's driver at 200,000 people (its text and its tasks filled a 3 GB heap). -#}
        {%- set projection -%}
select
    cast(model_name as {{ dbt.type_string() }}) as model_name,
    cast(relation_name as {{ dbt.type_string() }}) as relation_name,
    cast(column_name as {{ dbt.type_string() }}) as column_name,
    cast(column_position as {{ dbt.type_int() }}) as column_position,
    cast(data_type as {{ dbt.type_string() }}) as data_type,
    cast(contains_pii as {{ dbt.type_boolean() }}) as contains_pii,
    cast(row_count as {{ dbt.type_bigint() }}) as row_count,
    cast(null_count as {{ dbt.type_bigint() }}) as null_count,
    cast(null_count as double) / nullif(row_count, 0) as null_share,
    cast(distinct_count as {{ dbt.type_bigint() }}) as distinct_count,
    cast(min_value as {{ dbt.type_string() }}) as min_value,
    cast(max_value as {{ dbt.type_string() }}) as max_value,
    cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as invocation_id,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as run_started_at
        {%- endset -%}
        {%- set statements = [] -%}
        {%- for node in audit_summary_nodes(['model'], public_only=true) -%}
            {%- set relation = api.Relation.create(
                database=node.database, schema=node.schema, identifier=node.alias
            ) -%}
            {%- set aggregates = [] -%}
            {%- set columns = [] -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- set documented = node.columns.get(column.name) or node.columns.get(column.name | lower) or {} -%}
                {%- set meta = documented.get('meta') or {} -%}
                {%- set config_meta = (documented.get('config') or {}).get('meta') or {} -%}
                {%- set contains_pii = (meta.get('contains_pii') or config_meta.get('contains_pii') or false) == true -%}
                {%- set data_type = column.dtype | string -%}
                {%- set is_nested = '[' in data_type or modules.re.match('^(STRUCT|MAP|UNION)', data_type | upper) is not none -%}
                {%- set quoted = adapter.quote(column.name) -%}
                {%- set prefix = 'c' ~ loop.index -%}
                {%- do aggregates.append(
                    'count(' ~ quoted ~ ') as ' ~ prefix ~ '_values, '
                    ~ audit_distinct_count(quoted) ~ ' as ' ~ prefix ~ '_distinct, '
                    ~ ('null' if contains_pii or is_nested
                        else 'substring(cast(min(' ~ quoted ~ ') as ' ~ dbt.type_string() ~ '), 1, 200)')
                    ~ ' as ' ~ prefix ~ '_min, '
                    ~ ('null' if contains_pii or is_nested
                        else 'substring(cast(max(' ~ quoted ~ ') as ' ~ dbt.type_string() ~ '), 1, 200)')
                    ~ ' as ' ~ prefix ~ '_max'
                ) -%}
                {%- do columns.append({
                'name': column.name, 'type': data_type | lower, 'pii': contains_pii, 'prefix': prefix
            }) -%}
            {%- endfor -%}
            {%- set stats_cte = (
                'stats as (\n    select\n        count(*) as row_count,\n        '
                ~ aggregates | join(',\n        ') ~ '\n    from ' ~ relation ~ '\n)'
            ) -%}
            {#- One row per column from one read of the relation's statistics (a row per position, the
                column's values picked by position): a select per column would read them once per column,
                and engines that inline CTEs (Spark) would aggregate the table again each time. -#}
            {%- if columns | length > 0 -%}
                {%- set pick = namespace(name=[], type=[], pii=[], nulls=[], distinct=[], min=[], max=[]) -%}
                {%- for column in columns -%}
                    {%- set when = 'when ' ~ loop.index ~ ' then ' -%}
                    {%- do pick.name.append(when ~ audit_sql_literal(column.name)) -%}
                    {%- do pick.type.append(when ~ audit_sql_literal(column.type)) -%}
                    {%- do pick.pii.append(when ~ ('true' if column.pii else 'false')) -%}
                    {%- do pick.nulls.append(when ~ 'row_count - ' ~ column.prefix ~ '_values') -%}
                    {%- do pick.distinct.append(when ~ column.prefix ~ '_distinct') -%}
                    {%- do pick.min.append(when ~ column.prefix ~ '_min') -%}
                    {%- do pick.max.append(when ~ column.prefix ~ '_max') -%}
                {%- endfor -%}
                {%- set positions = [] -%}
                {%- for column in columns -%}
                    {%- do positions.append('(' ~ loop.index ~ ')') -%}
                {%- endfor -%}
                {%- set profile_select = (
                    'select '
                    ~ audit_sql_literal(node.name) ~ ' as model_name, '
                    ~ audit_sql_literal(node.schema ~ '.' ~ node.alias) ~ ' as relation_name, '
                    ~ 'case positions.column_position ' ~ pick.name | join(' ') ~ ' end as column_name, '
                    ~ 'positions.column_position, '
                    ~ 'case positions.column_position ' ~ pick.type | join(' ') ~ ' end as data_type, '
                    ~ 'case positions.column_position ' ~ pick.pii | join(' ') ~ ' end as contains_pii, '
                    ~ 'row_count, '
                    ~ 'case positions.column_position ' ~ pick.nulls | join(' ') ~ ' end as null_count, '
                    ~ 'case positions.column_position ' ~ pick.distinct | join(' ') ~ ' end as distinct_count, '
                    ~ 'case positions.column_position ' ~ pick.min | join(' ') ~ ' end as min_value, '
                    ~ 'case positions.column_position ' ~ pick.max | join(' ') ~ ' end as max_value '
                    ~ 'from stats'
                    ~ ' cross join (values ' ~ positions | join(', ') ~ ') as positions (column_position)'
                ) -%}
                {%- do statements.append(
                    'with\n\n' ~ stats_cte ~ '\n\n' ~ projection ~ '\nfrom (\n    ' ~ profile_select ~ '\n) as profiles'
                ) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if statements | length == 0 -%}
            {%- do statements.append(projection ~ """
from (
    select
        null as model_name, null as relation_name, null as column_name, 0 as column_position,
        null as data_type, false as contains_pii, 0 as row_count, 0 as null_count, 0 as distinct_count,
        null as min_value, null as max_value
) as profiles
where 1 = 0""") -%}
        {%- endif -%}
        {%- do audit_replace_table('column_profiles', statements[0], statements[1:]) -%}
    {%- endif -%}
{%- endmacro %}
