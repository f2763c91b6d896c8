{#-
    Per raw table: rows in the raw extract, rows staged and rows quarantined. The validation tables
    are one row per raw row (no filtering), so their count is the raw count.
-#}

with

{% for system, table in staged_source_tables() %}
    {{ system }}_{{ table }} as (

        select
            '{{ system }}.{{ table }}' as source_table,
            (select count(*) from {{ ref('staging_checks__' ~ system ~ '_' ~ table) }}) as raw_rows,
            (select count(*) from {{ ref('stg_' ~ system ~ '__' ~ table) }}) as staged_rows,
            (
                select count(*) from {{ ref('audit__quarantine') }}
                where source_table = '{{ system }}.{{ table }}'
            ) as quarantined_rows

    ),

{% endfor %}

unioned as (

    {% for system, table in staged_source_tables() %}
        select * from {{ system }}_{{ table }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        source_table,
        raw_rows,
        staged_rows,
        quarantined_rows,
        cast(quarantined_rows as double) / nullif(raw_rows, 0) as quarantined_share
    from unioned

)

select * from final
