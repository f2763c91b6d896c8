{#-
    Releases (docs/methodology.md section 10): what a build knows about the release it writes and about the
    release published before it. Documented in _release__macros.yml.
-#}

{% macro release_id() -%}
    {{ return(env_var('RELEASE_ID', 'unreleased')) }}
{%- endmacro %}


{% macro previous_release_relation(schema_name, identifier) -%}
    {{ return(adapter.dispatch('previous_release_relation', 'repeat_offending')(schema_name, identifier)) }}
{%- endmacro %}

{% macro default__previous_release_relation(schema_name, identifier) -%}
    {{ exceptions.raise_compiler_error(
        'previous_release_relation has no implementation for the adapter ' ~ adapter.type()
        ~ ': releases need one (macros/release/release.sql)'
    ) }}
{%- endmacro %}

{% macro duckdb__previous_release_relation(schema_name, identifier) -%}
    {#- A release build attaches the release published before it read-only as the catalog `previous`
        (profiles.yml, plugin repeat_offending.dbt_plugins.releases). A target whose own catalog is not
        `warehouse` (dev, pr) may have the published (or base) release attached as `warehouse`: that is its
        previous release, so that a developer's person ids are the published ones. Neither: none. -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set attached = run_query(
        "select database_name from duckdb_databases() where database_name in ('previous', 'warehouse')"
    ).columns[0].values() -%}
    {%- if 'previous' in attached -%}
        {%- set catalog = 'previous' -%}
    {%- elif 'warehouse' in attached and target.database != 'warehouse' -%}
        {%- set catalog = 'warehouse' -%}
    {%- else -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=catalog, schema=schema_name, identifier=identifier)) }}
{%- endmacro %}


{% macro spark__previous_release_relation(schema_name, identifier) -%}
    {#- A Spark build is not a release (no previous release is attached): none. -#}
    {{ return(none) }}
{%- endmacro %}


{% macro carry_forward_release_tables() -%}
    {{ return(adapter.dispatch('carry_forward_release_tables', 'repeat_offending')()) }}
{%- endmacro %}

{% macro default__carry_forward_release_tables() -%}
    {{ exceptions.raise_compiler_error(
        'carry_forward_release_tables has no implementation for the adapter ' ~ adapter.type()
        ~ ': releases need one (macros/release/release.sql)'
    ) }}
{%- endmacro %}

{% macro duckdb__carry_forward_release_tables() -%}
    {#- on-run-start: a new release starts from the tables of the previous one that a build adds to rather
        than replaces: the snapshots, so that their history runs across releases, and in a refresh the
        incremental models (only a refresh makes any model incremental: REFRESH_OF), so that they rebuild
        only what changed. Only a table the new release does not have yet is copied, so the hook is a no-op
        after the first invocation of a build and when there is no previous release. -#}
    {#- Release builds only (the catalog `previous`): a developer's dev.duckdb does not need the history. -#}
    {%- set release_build = execute and run_query(
        "select count(*) from duckdb_databases() where database_name = 'previous'"
    ).columns[0].values()[0] > 0 -%}
    {%- if release_build -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'snapshot'
            or (node.resource_type == 'model' and node.config.materialized == 'incremental') -%}
            {%- set previous = previous_release_relation(node.schema, node.alias) -%}
            {%- set current = adapter.get_relation(
                database=node.database, schema=node.schema, identifier=node.alias
            ) -%}
            {%- if previous is not none and current is none -%}
                {%- set target_relation = api.Relation.create(
                    database=node.database, schema=node.schema, identifier=node.alias, type='table'
                ) -%}
                {%- do adapter.create_schema(target_relation) -%}
                {%- do run_query('create table ' ~ target_relation ~ ' as select * from ' ~ previous) -%}
                {%- do adapter.commit() -%}
                {{ log('Release: carried ' ~ node.schema ~ '.' ~ node.alias ~ ' forward from the previous release', info=true) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{% macro spark__carry_forward_release_tables() -%}
    {#- Nothing to carry: the snapshot is disabled on Spark (dbt_project.yml), no release is attached and no
        build is a refresh. -#}
{%- endmacro %}


{% macro release_ledger() -%}
    {{ return(adapter.dispatch('release_ledger', 'repeat_offending')()) }}
{%- endmacro %}

{% macro default__release_ledger() -%}
    {{ exceptions.raise_compiler_error(
        'release_ledger has no implementation for the adapter ' ~ adapter.type()
        ~ ': releases need one (macros/release/release.sql)'
    ) }}
{%- endmacro %}

{% macro duckdb__release_ledger() -%}
    {#- The ledger of builds, DATA_DIR/releases/releases.jsonl (written by `release build`, see
        repeat_offending.release.ledger), as a relation with one row per event; no rows when the file does
        not exist (the `dev` target, a build outside `release build`). -#}
    {%- set path = data_dir() ~ '/releases/releases.jsonl' -%}
    {%- set columns = release_ledger_columns() -%}
    {%- set exists = execute and run_query(
        "select count(*) from glob('" ~ dbt.escape_single_quotes(path) ~ "')"
    ).columns[0].values()[0] > 0 -%}
    {%- if exists -%}
        (
            select
                row_number() over () as ledger_line,
                *
            from read_json('{{ dbt.escape_single_quotes(path) }}', format = 'newline_delimited', columns = {
                {%- for name, data_type in columns.items() %}
                '{{ name }}': '{{ data_type }}'{{ ',' if not loop.last }}
                {%- endfor %}
            })
        )
    {%- else -%}
        {{ empty_release_ledger() }}
    {%- endif -%}
{%- endmacro %}


{% macro spark__release_ledger() -%}
    {#- A Spark build is not a release (`release build` writes the ledger on DuckDB builds): no rows. -#}
    {{ empty_release_ledger() }}
{%- endmacro %}


{% macro release_ledger_columns() -%}
    {#- The ledger's fields (repeat_offending.release.ledger writes them) and their SQL types. -#}
    {%- set text = dbt.type_string() -%}
    {{ return({
        'event': text, 'release_id': text, 'at': text, 'outcome': text,
        'reason': text, 'by': text, 'git_commit': text, 'dbt_version': text,
        'duckdb_version': text, 'target': text, 'parameters': text, 'data_as_of': text,
        'extract_dates': text, 'row_counts': text, 'tests_passed': 'bigint',
        'tests_warned': 'bigint', 'tests_failed': 'bigint', 'tests_skipped': 'bigint',
        'source_freshness': text, 'linkage_precision': 'double', 'linkage_recall': 'double', 'linkage_f1': 'double'
    }) }}
{%- endmacro %}


{% macro empty_release_ledger() -%}
    {#- The ledger as a relation with no rows: its line number and fields, with their types. -#}
    (
        select
            cast(null as bigint) as ledger_line,
            {%- for name, data_type in release_ledger_columns().items() %}
            cast(null as {{ data_type }}) as {{ adapter.quote(name) }}{{ ',' if not loop.last }}
            {%- endfor %}
        where 1 = 0
    )
{%- endmacro %}


{% macro previous_release_rows(schema_name, identifier, columns) -%}
    {#- A select of `columns` from the previous release's `schema_name.identifier`, or of no rows with the
        same names and types when there is none. Documented in _release__macros.yml. -#}
    {%- set previous = previous_release_relation(schema_name, identifier) -%}
    select
        {%- for column in columns %}
        cast({{ column.get('expression', column.name) if previous is not none else 'null' }}
            as {{ column.type }}) as {{ column.name }}{{ ',' if not loop.last }}
        {%- endfor %}
    {%- if previous is not none %}
    from {{ previous }}
    {%- else %}
    where false
    {%- endif %}
{%- endmacro %}
