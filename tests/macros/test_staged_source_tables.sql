-- staged_source_tables() (macros/staging/staging.sql) names every raw table of the extract once:
-- every source table landed as Parquet files (loader parquet_files, in
-- models/staging/<system>/_<system>__sources.yml) is staged, and every staged table is such a
-- source.
-- audit.quarantine and audit.staging_reconciliation loop over the list, so a table missing from it
-- would be neither staged nor counted. One row per mismatch.
{%- set staged = [] -%}
{%- for system, table in repeat_offending.staged_source_tables() -%}
    {%- do staged.append(system ~ '.' ~ table) -%}
{%- endfor -%}
{%- set landed = [] -%}
{%- for node in graph.sources.values() -%}
    {%- if node.package_name == project_name and node.loader == 'parquet_files' -%}
        {%- do landed.append(node.source_name ~ '.' ~ node.name) -%}
    {%- endif -%}
{%- endfor %}

with

staged as (
    {% for name in staged | sort %}
        select '{{ name }}' as source_table
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

landed as (
    {% for name in landed | sort %}
        select '{{ name }}' as source_table
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

not_staged as (
    select
        source_table,
        'a raw table the staging layer does not stage' as problem
    from landed
    where source_table not in (select staged.source_table from staged)
),

not_landed as (
    select
        source_table,
        'a staged table that is not a raw source' as problem
    from staged
    where source_table not in (select landed.source_table from landed)
),

duplicated as (
    select
        source_table,
        'staged twice' as problem
    from staged
    group by source_table
    having count(*) > 1
),

final as (
    select * from not_staged
    union all
    select * from not_landed
    union all
    select * from duplicated
)

select * from final
