{#-
    Building blocks of the staging layer's validation tables (models/staging/*/staging_checks__*.sql).
    Documented in _staging__macros.yml.
-#}

{% macro source_node(source_name, table_name) -%}
    {#- The graph node of a source table; none while dbt parses; fails to compile for an unknown one. -#}
    {%- if execute -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.source_name == source_name and node.name == table_name -%}
                {{ return(node) }}
            {%- endif -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error("no source " ~ source_name ~ "." ~ table_name) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}


{% macro source_column_names(source_name, table_name) -%}
    {%- set node = source_node(source_name, table_name) -%}
    {%- if node is none -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return(node.columns.keys() | reject('equalto', 'file_row_number') | list) }}
{%- endmacro %}


{% macro raw_row_json(columns) -%}
    {{ return(adapter.dispatch('raw_row_json', 'repeat_offending')(columns)) }}
{%- endmacro %}

{% macro default__raw_row_json(columns) -%}
    to_json(named_struct(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}

{% macro duckdb__raw_row_json(columns) -%}
    cast(to_json(struct_pack(
        {%- for column in columns %}
        {{ column }} := {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    )) as {{ dbt.type_string() }})
{%- endmacro %}


{% macro spark__raw_row_json(columns) -%}
    {#- Spark's to_json leaves out null fields unless told to keep them (DuckDB keeps them). -#}
    to_json(named_struct(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{%- endmacro %}


{% macro row_versions(relation, columns, key, updated_at) -%}
    {#- The rows of `relation` whose primary key (`key`, an expression on its raw columns) is shared with
        another row or is null, with their two numbers:
        - exact_duplicate_number: the copies of a row equal in every raw column, in file order (the raw
          `file_row_number`: a window may not read an alias of the same select on every engine);
        - key_version_number: the versions of a key; exact duplicates after their first copy, then the most
          recent `updated_at` (an expression) first, on a tie the later row in the file.
        Every other row is 1 and 1: equal rows have equal keys, so a row whose key is unique has neither an
        exact duplicate nor another version. Only the shared keys (few in an extract) reach the two windows,
        so these sort a few rows instead of every wide raw row (the PNC offences at 10 million people:
        215 s and 22 GB of spill before, 96 s and none after). The exact-duplicate partition leads with a hash
        of the columns (`hash` on DuckDB and Spark): the same partitions, sorted mostly on one number, for an
        extract where most keys repeat (1.2 million OASys rows: 7.4 s instead of 16.6 s). -#}
    select
        file_row_number,
        exact_duplicate_number,
        row_number() over (
            partition by version_key
            order by exact_duplicate_number, version_updated_at desc nulls last, file_row_number desc
        ) as key_version_number
    from (
        select
            file_row_number,
            version_key,
            version_updated_at,
            row_number() over (
                partition by hash({{ columns | join(', ') }}), {{ columns | join(', ') }}
                order by file_row_number
            ) as exact_duplicate_number
        from (
            select
                *,
                {{ key }} as version_key,
                {{ updated_at }} as version_updated_at
            from {{ relation }}
        ) as keyed
        where
            version_key is null
            or version_key in (
                select {{ key }} as shared_key
                from {{ relation }}
                group by {{ key }}
                having count(*) > 1
            )
    ) as shared
{%- endmacro %}


{% macro is_impossible_date(column, extracted_at='extracted_at') -%}
    ({{ column }} < date '1900-01-01' or {{ column }} > cast({{ extracted_at }} as date))
{%- endmacro %}


{% macro possible_date(column, extracted_at='extracted_at') -%}
    {#- The date, or null when it is impossible (see is_impossible_date). -#}
    case when not {{ is_impossible_date(column, extracted_at) }} then {{ column }} end
{%- endmacro %}


{% macro is_date_doubtful(text_column, column, extracted_at='extracted_at') -%}
    {#- A date was recorded but did not parse, or parsed to an impossible date. -#}
    (
        {{ text_column }} is not null
        and ({{ column }} is null or {{ is_impossible_date(column, extracted_at) }})
    )
{%- endmacro %}


{% macro is_name_too_long(columns) -%}
    {#- Whether a name (cleaned text) is longer than var('max_name_length') characters. -#}
    (
        {%- for column in columns %}
        coalesce(length({{ column }}) > {{ var('max_name_length') | int }}, false){{ " or" if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}


{% macro has_name_without_letters(columns) -%}
    {#- Whether a name was recorded (`<column>` not null) but standardises to nothing (`<column>_std` null):
        no letter left after transliteration, so the name cannot be used for linkage. -#}
    (
        {%- for column in columns %}
        ({{ column }} is not null and {{ column }}_std is null){{ " or" if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}


{% macro earliest_date(columns) -%}
    {#- The earliest non-null of the date columns (null when all are null), on every engine: `least` ignores
        nulls on some engines and returns null on others, so each argument is coalesced with the rest. -#}
    {%- if columns | length == 1 -%}
        {{ columns[0] }}
    {%- else -%}
        least(
            {%- for column in columns %}
            coalesce({{ ([column] + (columns | reject('equalto', column) | list)) | join(', ') }})
            {{- "," if not loop.last }}
            {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}


{% macro is_date_of_birth_after_events(date_of_birth, earliest_event_date) -%}
    {#- A recorded date of birth later than the earliest offence, sentence, custody or supervision date the
        same system holds for the person: one of the two is a recording error, and the date of birth must
        not decide the person's age (linked.persons passes it over). -#}
    coalesce({{ date_of_birth }} > {{ earliest_event_date }}, false)
{%- endmacro %}


{% macro quarantine_reason(checks) -%}
    {#- checks: list of (condition, reason, column) in priority order; the first that holds wins. -#}
    case
        {%- for condition, reason, column in checks %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}


{% macro quarantine_column(checks) -%}
    case
        {%- for condition, reason, column in checks %}
        when {{ condition }} then '{{ column }}'
        {%- endfor %}
    end
{%- endmacro %}



{% macro staged_source_tables() -%}
    {#- Every raw table as (system, table): the staging layer stages each one. Each system registers its
        tables in macros/staging/staged_tables_<system>.sql; tests/macros/test_staged_source_tables.sql
        checks the union against the raw sources. -#}
    {{ return(staged_tables_pnc() + staged_tables_courts() + staged_tables_prisons()
              + staged_tables_probation() + staged_tables_oasys()) }}
{%- endmacro %}


{% macro quarantined_raw_rows(system) -%}
    {#- The raw row, as it landed, of every row the validation tables of `system` quarantine: read again from
        each raw table for those rows alone (a semi-join on the file's row number), as a JSON text. -#}
    {%- for source_system, table in staged_source_tables() if source_system == system %}
    select
        '{{ system }}.{{ table }}' as source_table,
        file_row_number as source_row_number,
        {{ raw_row_json(source_column_names(system, table)) }} as raw_row
    from {{ source(system, table) }}
    where file_row_number in (
        select checks.source_row_number
        from {{ ref('staging_checks__' ~ system ~ '_' ~ table) }} as checks
        where checks.quarantine_reason is not null
    )
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
