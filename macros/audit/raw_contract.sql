{#-
    The raw contract check (models/audit/audit__raw_contract.sql): every raw file the sources declare
    is checked before staging reads it. Documented in _audit__macros.yml.
-#}

{#- The checks, in report order. Blocking checks always stop the build; the others are configurable. -#}
{% macro raw_contract_checks() -%}
    {{ return({
        'missing_file': 'error',
        'unreadable_file': 'error',
        'missing_column': 'error',
        'wrong_type': 'error',
        'extra_column': var('raw_contract_extra_column_severity', 'warn'),
        'empty_table': var('raw_contract_empty_table_severity', 'warn'),
    }) }}
{%- endmacro %}


{% macro raw_contract_severity(check) -%}
    {%- set checks = raw_contract_checks() -%}
    {%- if check not in checks -%}
        {{ exceptions.raise_compiler_error("raw contract: unknown check " ~ check) }}
    {%- endif -%}
    {%- set severity = checks[check] | string | lower | trim -%}
    {%- if severity not in ('warn', 'error') -%}
        {{ exceptions.raise_compiler_error(
            "raw contract: the severity of " ~ check ~ " must be warn or error, not " ~ severity
        ) }}
    {%- endif -%}
    {{ return(severity) }}
{%- endmacro %}


{% macro raw_contract_finding(table, column_name, check, expected, found) -%}
    {{ return({
        'source_system': table.source_system,
        'source_table': table.source_table,
        'file_path': table.file_path,
        'column_name': column_name,
        'check_name': check,
        'expected': expected,
        'found': found,
        'severity': raw_contract_severity(check),
    }) }}
{%- endmacro %}


{% macro raw_contract_tables() -%}
    {#- Every source table with a raw file (meta `raw_file`, written by write-sources-yaml): its
        system, `<system>.<table>`, path and declared columns as (name, data_type) pairs, in order. -#}
    {%- set tables = [] -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
            {%- set raw_file = (node.meta or {}).get('raw_file') -%}
            {%- if node.package_name == project_name and raw_file -%}
                {%- set columns = [] -%}
                {%- for name in source_column_names(node.source_name, node.name) -%}
                    {%- do columns.append((name, node.columns[name].data_type)) -%}
                {%- endfor -%}
                {%- do tables.append({
                    'source_system': node.source_name,
                    'source_table': node.source_name ~ '.' ~ node.name,
                    'file_path': raw_file,
                    'columns': columns,
                }) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(tables) }}
{%- endmacro %}


{% macro raw_contract_compare(table, found_columns, row_count) -%}
    {#- The findings of one readable file: found_columns are (name, type) pairs as the engine reads them,
        row_count the rows its metadata declares. Pure: no query, so tests/macros can test it. -#}
    {%- set findings = [] -%}
    {%- set found_types = {} -%}
    {%- for name, data_type in found_columns -%}
        {%- do found_types.update({name | lower: data_type}) -%}
    {%- endfor -%}
    {%- set declared = [] -%}
    {%- for name, data_type in table.columns -%}
        {%- do declared.append(name | lower) -%}
        {%- if name | lower not in found_types -%}
            {%- do findings.append(raw_contract_finding(
                table, name, 'missing_column', 'a ' ~ (data_type or 'text') ~ ' column', 'no such column'
            )) -%}
        {%- elif data_type and (found_types[name | lower] | lower) != (data_type | lower) -%}
            {%- do findings.append(raw_contract_finding(
                table, name, 'wrong_type', data_type | lower, found_types[name | lower] | lower
            )) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name, data_type in found_columns -%}
        {%- if name | lower not in declared -%}
            {%- do findings.append(raw_contract_finding(
                table, name, 'extra_column', 'no such column', 'a ' ~ (data_type | lower) ~ ' column'
            )) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if row_count is not none and row_count | int == 0 -%}
        {%- do findings.append(raw_contract_finding(table, none, 'empty_table', 'at least one row', '0 rows')) -%}
    {%- endif -%}
    {{ return(findings) }}
{%- endmacro %}


{% macro raw_contract_findings() -%}
    {#- Every finding on every raw file, from the files' metadata only: the file list, each file's footer,
        its columns and declared row count. A missing or unreadable file is never opened further. -#}
    {%- set findings = [] -%}
    {%- set tables = raw_contract_tables() -%}
    {%- if not execute or tables | length == 0 -%}
        {{ return(findings) }}
    {%- endif -%}
    {%- set paths = tables | map(attribute='file_path') | list -%}
    {%- set found = raw_files_found(paths) -%}
    {%- set problems = raw_file_problems(paths | select('in', found) | list) -%}
    {%- set readable = [] -%}
    {%- for table in tables -%}
        {%- if table.file_path not in found -%}
            {%- do findings.append(raw_contract_finding(table, none, 'missing_file', 'a Parquet file', 'no file')) -%}
        {%- elif problems.get(table.file_path) -%}
            {%- do findings.append(raw_contract_finding(
                table, none, 'unreadable_file', 'a readable Parquet file', problems[table.file_path]
            )) -%}
        {%- else -%}
            {%- do readable.append(table) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set readable_paths = readable | map(attribute='file_path') | list -%}
    {%- set columns = raw_file_columns(readable_paths) -%}
    {%- set row_counts = raw_file_row_counts(readable_paths) -%}
    {%- for table in readable -%}
        {%- do findings.extend(raw_contract_compare(
            table, columns.get(table.file_path, []), row_counts.get(table.file_path)
        )) -%}
    {%- endfor -%}
    {{ return(findings) }}
{%- endmacro %}


{% macro raw_contract_findings_sql(findings) -%}
    {#- The findings as a query with the columns of audit.raw_contract (none: an empty query). -#}
    {%- set text = dbt.type_string() -%}
    {%- set fields = [
        'source_system', 'source_table', 'file_path', 'column_name', 'check_name', 'expected', 'found', 'severity'
    ] -%}
    {%- if findings | length == 0 %}
    select
        {%- for field in fields %}
        cast(null as {{ text }}) as {{ field }}{{ "," if not loop.last }}
        {%- endfor %}
    where 1 = 0
    {%- else -%}
        {%- for finding in findings %}
    select
            {%- for field in fields %}
        cast({{ 'null' if finding[field] is none else sql_string(finding[field]) }} as {{ text }})
        as {{ field }}{{ "," if not loop.last }}
            {%- endfor %}
            {% if not loop.last %}union all{% endif %}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{% macro raw_contract_message(finding) -%}
    {#- One line per finding. Only metadata: file, column, check, the expected and the found type or count. -#}
    {{ return(
        'raw contract ' ~ (finding['severity'] | upper) ~ ': ' ~ finding['check_name'] ~ ' in '
        ~ finding['source_table'] ~ ' (' ~ finding['file_path'] ~ ')'
        ~ (', column ' ~ finding['column_name'] if finding['column_name'] else '')
        ~ ': expected ' ~ finding['expected'] ~ ', found ' ~ finding['found']
    ) }}
{%- endmacro %}


{% macro raw_contract_report(relation) -%}
    {#- Post-hook of audit.raw_contract, after the table is committed: logs every finding as one line and
        fails the model, listing every blocking finding, so that nothing downstream (staging) runs. -#}
    {%- if execute -%}
        {%- set rows = run_query(
            "select source_table, file_path, column_name, check_name, expected, found, severity from "
            ~ relation ~ " order by source_table, check_name, column_name"
        ) -%}
        {%- set blocking = [] -%}
        {%- for row in rows -%}
            {%- set line = raw_contract_message(row) -%}
            {%- do log(line, info=True) -%}
            {%- if row['severity'] == 'error' -%}
                {%- do blocking.append(line) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if blocking | length > 0 -%}
            {{ exceptions.raise_compiler_error(
                "The raw extract breaks its contract (" ~ blocking | length ~ " blocking finding"
                ~ ("s" if blocking | length > 1 else "") ~ "; staging does not start; details in "
                ~ relation ~ "):\n  " ~ blocking | join("\n  ")
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- Engine-specific file primitives, dispatched (DuckDB reads the raw Parquet files itself). -#}

{% macro raw_files_found(paths) -%}
    {{ return(adapter.dispatch('raw_files_found', 'repeat_offending')(paths)) }}
{%- endmacro %}

{% macro default__raw_files_found(paths) -%}
    {{ exceptions.raise_compiler_error(
        "raw contract: no file listing for adapter " ~ adapter.type() ~ "; implement "
        ~ adapter.type() ~ "__raw_files_found and the other raw file primitives (macros/audit/raw_contract.sql)"
    ) }}
{%- endmacro %}

{% macro duckdb__raw_files_found(paths) -%}
    {%- set found = [] -%}
    {%- if paths | length > 0 -%}
        {%- set query -%}
            {%- for path in paths %}
            select file from glob({{ sql_string(path) }})
            {% if not loop.last %}union all{% endif %}
            {%- endfor %}
        {%- endset -%}
        {%- for row in run_query(query) -%}
            {%- do found.append(row[0]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}


{% macro spark__raw_files_found(paths) -%}
    {#- Spark SQL has no file listing: parquet_file_problem (the runner's UDF, the plugin's function) says
        `not a regular file` for a path that is not a file, which glob() would not list either. -#}
    {%- set found = [] -%}
    {%- if paths | length > 0 -%}
        {%- set query -%}
            select file_path
            from values
                {%- for path in paths %}
                ({{ sql_string(path) }}){{ "," if not loop.last }}
                {%- endfor %}
                as files (file_path)
            where coalesce(parquet_file_problem(file_path), '') != 'not a regular file'
        {%- endset -%}
        {%- for row in run_query(query) -%}
            {%- do found.append(row[0]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}


{% macro raw_file_problems(paths) -%}
    {{ return(adapter.dispatch('raw_file_problems', 'repeat_offending')(paths)) }}
{%- endmacro %}

{% macro default__raw_file_problems(paths) -%}
    {{ exceptions.raise_compiler_error("raw contract: no file check for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__raw_file_problems(paths) -%}
    {#- parquet_file_problem is the project's dbt-duckdb plugin (repeat_offending.dbt_plugins.raw_files): it
        reads the footer and never fails, where DuckDB's Parquet functions would stop at the first bad file. -#}
    {%- set problems = {} -%}
    {%- if paths | length > 0 -%}
        {%- set query -%}
            select file_path, parquet_file_problem(file_path) as problem
            from (values
                {%- for path in paths %}
                ({{ sql_string(path) }}){{ "," if not loop.last }}
                {%- endfor %}
            ) as files (file_path)
        {%- endset -%}
        {%- for row in run_query(query) -%}
            {%- do problems.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(problems) }}
{%- endmacro %}


{% macro spark__raw_file_problems(paths) -%}
    {#- The same function as on DuckDB, registered as a Python UDF by the Spark runner
        (repeat_offending.spark.session). -#}
    {%- set problems = {} -%}
    {%- if paths | length > 0 -%}
        {%- set query -%}
            select file_path, parquet_file_problem(file_path) as problem
            from values
                {%- for path in paths %}
                ({{ sql_string(path) }}){{ "," if not loop.last }}
                {%- endfor %}
                as files (file_path)
        {%- endset -%}
        {%- for row in run_query(query) -%}
            {%- do problems.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(problems) }}
{%- endmacro %}


{% macro raw_file_columns(paths) -%}
    {{ return(adapter.dispatch('raw_file_columns', 'repeat_offending')(paths)) }}
{%- endmacro %}

{% macro default__raw_file_columns(paths) -%}
    {{ exceptions.raise_compiler_error("raw contract: no column listing for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__raw_file_columns(paths) -%}
    {#- path -> [(column, type as DuckDB reads it)], in file order, from the footer only. -#}
    {%- set columns = {} -%}
    {%- if paths | length > 0 -%}
        {%- set query -%}
            {%- for path in paths %}
            select {{ sql_string(path) }} as file_path, column_name, column_type
            from (describe select * from read_parquet({{ sql_string(path) }}))
            {% if not loop.last %}union all{% endif %}
            {%- endfor %}
        {%- endset -%}
        {%- for row in run_query(query) -%}
            {%- do columns.setdefault(row[0], []).append((row[1], row[2])) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}


{% macro spark__raw_file_columns(paths) -%}
    {#- path -> [(column, type)], in file order, from the footer (Spark infers the schema from it), the
        types named as DuckDB names them (spark_type_as_duckdb), so that the contract reads the same. -#}
    {%- set columns = {} -%}
    {%- for path in paths -%}
        {%- for row in run_query('describe query select * from parquet.`' ~ path ~ '`') -%}
            {%- do columns.setdefault(path, []).append((row[0], spark_type_as_duckdb(row[1]))) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{% macro spark_type_as_duckdb(data_type) -%}
    {#- A Spark type name as DuckDB names the same Parquet type (`string` is `VARCHAR`). -#}
    {%- set names = {
        'string': 'VARCHAR', 'bigint': 'BIGINT', 'int': 'INTEGER', 'smallint': 'SMALLINT', 'tinyint': 'TINYINT',
        'double': 'DOUBLE', 'float': 'FLOAT', 'boolean': 'BOOLEAN', 'date': 'DATE', 'binary': 'BLOB',
        'timestamp': 'TIMESTAMP WITH TIME ZONE', 'timestamp_ntz': 'TIMESTAMP',
    } -%}
    {%- set name = data_type | lower | trim -%}
    {{ return(names.get(name, name | upper)) }}
{%- endmacro %}


{% macro raw_file_row_counts(paths) -%}
    {{ return(adapter.dispatch('raw_file_row_counts', 'repeat_offending')(paths)) }}
{%- endmacro %}

{% macro default__raw_file_row_counts(paths) -%}
    {{ exceptions.raise_compiler_error("raw contract: no row counts for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__raw_file_row_counts(paths) -%}
    {#- path -> rows, from the footer (no scan). -#}
    {%- set counts = {} -%}
    {%- if paths | length > 0 -%}
        {%- set query -%}
            select file_name, num_rows
            from parquet_file_metadata([
                {%- for path in paths %}{{ sql_string(path) }}{{ ", " if not loop.last }}{% endfor -%}
            ])
        {%- endset -%}
        {%- for row in run_query(query) -%}
            {%- do counts.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(counts) }}
{%- endmacro %}

{% macro spark__raw_file_row_counts(paths) -%}
    {#- path -> rows (Spark answers count(*) on Parquet from the footers' row-group counts). -#}
    {%- set counts = {} -%}
    {%- if paths | length > 0 -%}
        {%- set query -%}
            {%- for path in paths %}
            select {{ sql_string(path) }} as file_path, count(*) as row_count from parquet.`{{ path }}`
            {% if not loop.last %}union all{% endif %}
            {%- endfor %}
        {%- endset -%}
        {%- for row in run_query(query) -%}
            {%- do counts.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(counts) }}
{%- endmacro %}
