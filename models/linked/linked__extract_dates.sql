{#-
    The extract date of every source table, and so the `data_as_of` of the warehouse: the last day the
    sources could record anything. The derived layer's follow-up completeness is judged against it. A table
    with no staged row has no extract date and no row here (audit.raw_contract warns about an empty file).
-#}

with

extracts as (

    {% for system, table in staged_source_tables() %}
        select
            '{{ system }}.{{ table }}' as source_table,
            max(extracted_at) as extracted_at
        from {{ ref('stg_' ~ system ~ '__' ~ table) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        source_table,
        extracted_at,
        cast(extracted_at as date) as data_as_of
    from extracts
    where extracted_at is not null

)

select * from final
