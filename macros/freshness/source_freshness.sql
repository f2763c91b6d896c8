{#-
    Source freshness measured against the extract's own date, not the clock: a synthetic world or a historical
    extract is as of its `data_as_of`, and a source is stale when it lags the newest source of the extract.
    Documented in _freshness__macros.yml and docs/methodology.md section 10.
-#}

{% macro source_loaded_at(relation) -%}
    {#- The loaded_at_query of every source table: when its newest row was extracted (an unparseable value is
        ignored; null for an empty table). -#}
    select max({{ parse_timestamp('extracted_at') }}) from {{ relation }}
{%- endmacro %}


{% macro source_freshness_reference_time() -%}
    {#- The time freshness is measured at (var source_freshness_as_of): `data_as_of` (default), the newest
        extract time of all this project's sources with a freshness config; `now`, the clock (a live feed);
        or a timestamp. -#}
    {%- set as_of = var('source_freshness_as_of', 'data_as_of') -%}
    {%- if as_of == 'now' -%}
        {{ current_timestamp() }}
    {%- elif as_of == 'data_as_of' -%}
        {%- set extracts = [] -%}
        {%- for node in graph.sources.values()
            if node.package_name == project_name and node.freshness
            and (node.freshness.warn_after.count or node.freshness.error_after.count) -%}
            {%- do extracts.append(
                'select max(' ~ parse_timestamp('extracted_at') ~ ') as extracted_at from '
                ~ source(node.source_name, node.name)
            ) -%}
        {%- endfor -%}
        (select max(extracted_at) from ({{ extracts | join(' union all ') }}) as source_extracts)
    {%- else -%}
        cast({{ sql_string(as_of) }} as {{ api.Column.translate_type('timestamp') }})
    {%- endif -%}
{%- endmacro %}


{% macro collect_freshness_custom_sql(source, loaded_at_query) -%}
    {#- Overrides dbt's built-in (global project, freshness.sql): `snapshotted_at`, the time a source's age is
        measured at, is source_freshness_reference_time() instead of the current time; a table with no extract
        time (empty: audit.raw_contract judges it, with its own severity) is as fresh as the reference. -#}
    {% call statement('collect_freshness_custom_sql', fetch_result=True, auto_begin=False) -%}
        with source_query as (
            {{ loaded_at_query }}
        ),

        reference as (
            select {{ source_freshness_reference_time() }} as snapshotted_at
        )

        select
            coalesce((select * from source_query), reference.snapshotted_at) as max_loaded_at,
            reference.snapshotted_at
        from reference
    {%- endcall %}
    {{ return(load_result('collect_freshness_custom_sql')) }}
{%- endmacro %}
