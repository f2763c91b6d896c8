{#- Every raw row that staging could not use, from every source table, with the reason. -#}

with

{% for system, table in staged_source_tables() %}
    {{ system }}_{{ table }} as (

        select
            '{{ system }}' as source_system,
            '{{ system }}.{{ table }}' as source_table,
            source_row_number,
            quarantine_reason as reason,
            quarantine_column as reason_column,
            raw_row,
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
            "source_table",
            "'#'",
            dbt.cast("source_row_number", api.Column.translate_type("string")),
        ]) }} as quarantine_id,
        source_system,
        source_table,
        source_row_number,
        reason,
        reason_column,
        raw_row,
        extracted_at
    from unioned

)

select * from final
