{#-
    Invalid UTF-8 in the raw files: quarantined per row (reason `invalid_encoding`), never printed.
    Documented in _staging__macros.yml.

    The sources read every file with invalid bytes replaced (DuckDB `utf8_validation = 'replace'`, see
    write-sources-yaml), so a bad value no longer fails the whole table with an error that prints
    it. A replaced value is not the value the system holds, so the row is quarantined: the rows whose text
    differs from a second reading with the invalid bytes dropped are the rows that had invalid bytes.
-#}

{% macro raw_source(source_name, table_name, key, updated_at) -%}
    {#- The raw table as staging reads it, plus `invalid_encoding_column`: the first raw column (in
        contract order) whose value had invalid bytes, null for a sound row; and `exact_duplicate_number` and
        `key_version_number` (see row_versions), 1 for a row that shares its key with no other row. -#}
    {%- set columns = source_column_names(source_name, table_name) -%}
    select
        replaced.*,
        encoding.invalid_encoding_column,
        coalesce(versions.exact_duplicate_number, 1) as exact_duplicate_number,
        coalesce(versions.key_version_number, 1) as key_version_number
    from {{ source(source_name, table_name) }} as replaced
    left join (
        {{ invalid_encoding_rows(
            source(source_name, table_name),
            raw_reading_without_invalid_bytes(source_name, table_name),
            columns
        ) }}
    ) as encoding
        on replaced.file_row_number = encoding.file_row_number
    left join (
        {{ row_versions(source(source_name, table_name), columns, key, updated_at) }}
    ) as versions
        on replaced.file_row_number = versions.file_row_number
{%- endmacro %}


{% macro invalid_encoding_rows(replaced, ignored, columns, replacement_character='?') -%}
    {#- The rows of `replaced` (invalid bytes replaced by `replacement_character`) whose text differs from
        `ignored` (invalid bytes dropped), matched on file_row_number, with the first differing column.
        Only rows holding the replacement character can differ: they alone are compared (a cheap filter,
        as almost no row holds one); a genuine `?` reads the same both ways. Both readings have their nulls
        in the same places (only non-null text is validated), so `!=` needs no null handling. -#}
    {%- if columns | length == 0 %}
    select
        cast(null as {{ dbt.type_bigint() }}) as file_row_number,
        cast(null as {{ dbt.type_string() }}) as invalid_encoding_column
    where 1 = 0
    {%- else %}
    select
        candidates.file_row_number,
        case
            {%- for column in columns %}
            when candidates.{{ column }} != ignored.{{ column }} then '{{ column }}'
            {%- endfor %}
        end as invalid_encoding_column
    from (
        select * from {{ replaced }}
        where
            {%- for column in columns %}
            {{ "or " if not loop.first }}{{ column }} like {{ sql_string('%' ~ replacement_character ~ '%') }}
            {%- endfor %}
    ) as candidates
    inner join {{ ignored }} as ignored
        on candidates.file_row_number = ignored.file_row_number
    where
        {%- for column in columns %}
        {{ "or " if not loop.first }}candidates.{{ column }} != ignored.{{ column }}
        {%- endfor %}
    {%- endif %}
{%- endmacro %}


{% macro invalid_encoding_checks(columns) -%}
    {#- The quarantine checks (see quarantine_reason) of reason `invalid_encoding`, one per raw column so
        that audit.quarantine names the column. -#}
    {%- set checks = [] -%}
    {%- for column in columns -%}
        {%- do checks.append(("invalid_encoding_column = '" ~ column ~ "'", "invalid_encoding", column)) -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}


{% macro raw_file_path(source_name, table_name) -%}
    {#- The raw file of a source table (its meta `raw_file`); empty while dbt parses. -#}
    {%- set node = source_node(source_name, table_name) -%}
    {%- if node is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set raw_file = (node.meta or {}).get('raw_file') -%}
    {%- if not raw_file -%}
        {{ exceptions.raise_compiler_error(
            "raw_file_path: source " ~ source_name ~ "." ~ table_name ~ " has no meta raw_file"
        ) }}
    {%- endif -%}
    {{ return(raw_file) }}
{%- endmacro %}


{% macro raw_reading_without_invalid_bytes(source_name, table_name) -%}
    {{ return(adapter.dispatch('raw_reading_without_invalid_bytes', 'repeat_offending')(source_name, table_name)) }}
{%- endmacro %}

{% macro default__raw_reading_without_invalid_bytes(source_name, table_name) -%}
    {{ exceptions.raise_compiler_error(
        "raw_reading_without_invalid_bytes: no implementation for adapter " ~ adapter.type() ~ "; implement "
        ~ adapter.type() ~ "__raw_reading_without_invalid_bytes (macros/staging/raw_encoding.sql)"
    ) }}
{%- endmacro %}

{% macro duckdb__raw_reading_without_invalid_bytes(source_name, table_name) -%}
    read_parquet(
        {{ sql_string(raw_file_path(source_name, table_name)) }},
        file_row_number = true,
        utf8_validation = 'ignore'
    )
{%- endmacro %}
