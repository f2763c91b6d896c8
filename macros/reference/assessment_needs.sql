{#-
    The list of offender assessment needs, read from its seed (reference.assessment_needs). Documented in
    _reference__macros.yml.
-#}

{% macro assessment_need_columns() -%}
    {#- Empty while dbt parses (no query runs then): models loop over the list, so they only lose the need
        columns in the parse-time rendering, which dbt uses for refs and nothing else. -#}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set seed = (graph.get('nodes') or {}).get('seed.' ~ project_name ~ '.reference__assessment_needs') -%}
    {%- if seed is none -%}
        {#- A unit test is compiled with an empty graph (and a node without root_path): the seed where
            the project keeps it (file name `<schema>__<table>`, macros/naming), in the project dir dbt
            was given (the working directory when none was). -#}
        {%- set seed = {
            'root_path': invocation_args_dict.get('project_dir') or '.',
            'original_file_path': 'seeds/reference/reference__assessment_needs.csv',
            'database': target.get('database'),
            'schema': 'reference',
            'alias': 'assessment_needs',
        } -%}
    {%- endif -%}
    {%- set query = assessment_needs_query(seed) -%}
    {%- set needs = run_query(query).columns[0].values() | list -%}
    {%- if needs | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            'assessment_need_columns: no need in ' ~ seed.original_file_path
        ) }}
    {%- endif -%}
    {{ return(needs) }}
{%- endmacro %}


{% macro assessment_needs_query(seed) -%}
    {{ return(adapter.dispatch('assessment_needs_query', 'repeat_offending')(seed)) }}
{%- endmacro %}

{#- Other engines: the seed as `dbt seed` loaded it (run `dbt seed` first). -#}
{% macro default__assessment_needs_query(seed) -%}
    select need_column
    from {{ api.Relation.create(database=seed.database, schema=seed.schema, identifier=seed.alias) }}
    order by cast(oasys_section as integer)
{%- endmacro %}


{#- DuckDB reads the seed's CSV file itself, so the list is there before `dbt seed` has run, in every
    target (the in-memory lint target included) and in unit tests. -#}
{% macro duckdb__assessment_needs_query(seed) -%}
    select need_column
    from read_csv(
        '{{ seed.root_path ~ "/" ~ seed.original_file_path }}', header = true, all_varchar = true
    )
    order by cast(oasys_section as integer)
{%- endmacro %}
