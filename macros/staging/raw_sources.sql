{#-
    The raw sources on engines that cannot read a file in a source's `external_location` (Spark): each raw
    table becomes a view over its Parquet file, from the same sources YAML (meta `raw_file`), created by the
    on-run-start hook register_raw_sources. Documented in _staging__macros.yml.
-#}

{% macro register_raw_sources() -%}
    {{ return(adapter.dispatch('register_raw_sources', 'repeat_offending')()) }}
{%- endmacro %}

{% macro default__register_raw_sources() -%}
    {#- DuckDB reads the files itself (the sources' external_location): nothing to register. -#}
{%- endmacro %}

{% macro spark__register_raw_sources() -%}
    {#- One database per source system and one view per raw table, over its file, with the file's row
        number (`_metadata.row_index`, from 0 as DuckDB's file_row_number) and its text as DuckDB reads it
        with invalid UTF-8 replaced (raw_text_replaced). A missing or unreadable file gets no view: the raw
        contract check (audit.raw_contract) reports it and stops staging. -#}
    {%- if execute -%}
        {%- set tables = raw_contract_tables() -%}
        {%- set paths = tables | map(attribute='file_path') | list -%}
        {%- set found = raw_files_found(paths) -%}
        {%- set problems = raw_file_problems(paths | select('in', found) | list) -%}
        {%- set readable = [] -%}
        {%- for path in paths if path in found and not problems.get(path) -%}
            {%- do readable.append(path) -%}
        {%- endfor -%}
        {%- set file_columns = raw_file_columns(readable) -%}
        {%- for node in graph.sources.values() | sort(attribute='unique_id')
            if node.package_name == project_name and (node.meta or {}).get('raw_file') in readable -%}
            {%- set relation = api.Relation.create(schema=node.schema, identifier=node.identifier) -%}
            {%- do run_query('create database if not exists ' ~ relation.schema) -%}
            {%- set view_sql -%}
                create or replace view {{ relation }} as
                select
                    {%- for name, data_type in file_columns.get(node.meta.raw_file, []) %}
                    {{ raw_text_replaced(name) if data_type == 'VARCHAR' else name }} as {{ name }},
                    {%- endfor %}
                    _metadata.row_index as file_row_number
                from parquet.`{{ node.meta.raw_file }}`
            {%- endset -%}
            {%- do run_query(view_sql) -%}
        {%- endfor -%}
        {{ log('Raw sources: ' ~ readable | length ~ ' view(s) over the raw Parquet files', info=true) }}
    {%- endif -%}
{%- endmacro %}


{% macro raw_text_replaced(column) -%}
    {#- Text with each invalid UTF-8 sequence replaced by `?`, as DuckDB's `utf8_validation = 'replace'`. -#}
    case
        when is_valid_utf8({{ column }}) then {{ column }}
        else replace(make_valid_utf8({{ column }}), '\uFFFD', '?')
    end
{%- endmacro %}


{% macro raw_text_without_invalid_bytes(column) -%}
    {#- Text with invalid UTF-8 dropped, as DuckDB's `utf8_validation = 'ignore'`. -#}
    case
        when is_valid_utf8({{ column }}) then {{ column }}
        else replace(make_valid_utf8({{ column }}), '\uFFFD', '')
    end
{%- endmacro %}


{% macro spark__raw_reading_without_invalid_bytes(source_name, table_name) -%}
    {#- The raw file read again, its text with invalid UTF-8 dropped (raw_text_without_invalid_bytes). -#}
    (
        select
            {%- for column in source_column_names(source_name, table_name) %}
            {{ raw_text_without_invalid_bytes(column) }} as {{ column }},
            {%- endfor %}
            _metadata.row_index as file_row_number
        from parquet.`{{ raw_file_path(source_name, table_name) }}`
    )
{%- endmacro %}
