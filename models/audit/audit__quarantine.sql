{#-
    Every raw row that staging could not use, from every source table, with the reason and the raw row as it
    landed (staging_checks.<system>_quarantined_raw_rows).
-#}

with

raw_rows as (

    {% for system in staged_source_tables() | map(attribute=0) | unique %}
        select * from {{ ref('staging_checks__' ~ system ~ '_quarantined_raw_rows') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

{% for system, table in staged_source_tables() %}
    {{ system }}_{{ table }} as (

        select
            '{{ system }}' as source_system,
            '{{ system }}.{{ table }}' as source_table,
            source_row_number,
            quarantine_reason as reason,
            quarantine_column as reason_column,
            extracted_at
        from {{ ref('staging_checks__' ~ system ~ '_' ~ table) }}
        where quarantine_reason is not null

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
        {{ dbt.concat([
            "unioned.source_table",
            "'#'",
            dbt.cast("unioned.source_row_number", api.Column.translate_type("string")),
        ]) }} as quarantine_id,
        unioned.source_system,
        unioned.source_table,
        unioned.source_row_number,
        unioned.reason,
        unioned.reason_column,
        raw_rows.raw_row,
        unioned.extracted_at
    from unioned
    left join raw_rows
        on
            unioned.source_table = raw_rows.source_table
            and unioned.source_row_number = raw_rows.source_row_number

)

select * from final
