{#-
    dbt-spark behaviour this project replaces on the spark target (root-project `spark__` macros take
    precedence over the adapter's in the `dbt` namespace). Documented in _cross_db__macros.yml.
-#}

{% macro spark__load_csv_rows(model, agate_table) -%}
    {#- dbt-spark 1.11's `session` method substitutes seed values into the SQL text unescaped (`'{value}'`),
        so a value with an apostrophe (O'Brien) breaks the insert. Here each value is a Spark literal,
        escaped by spark_seed_literal, in batches of dbt's seed batch size. -#}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            ({%- for value in row -%}
                cast({{ spark_seed_literal(value) }} as {{ types[loop.index0] }}){{ ", " if not loop.last }}
            {%- endfor -%}){{ "," if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}


{% macro spark_seed_literal(value) -%}
    {#- A seed value as a Spark SQL literal: null, a number as written, anything else a string literal with
        backslashes and apostrophes escaped (Spark reads backslash escapes in string literals). -#}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif value is sameas true or value is sameas false -%}
        {{ return(value | string | lower) }}
    {%- elif value is number -%}
        {{ return(value | string) }}
    {%- else -%}
        {{ return("'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") }}
    {%- endif -%}
{%- endmacro %}


{% macro spark__persist_constraints(relation, model) -%}
    {#- Constraints need a table format with constraints (Delta, Iceberg), whose jars are not installed:
        not applied on Spark. The runner says so when it starts (repeat_offending.spark.runner); contracts
        still check the column names and types. -#}
    {{ log('Constraints not applied on Spark (no Delta or Iceberg): ' ~ relation, info=false) }}
{%- endmacro %}
