{#-
    Every raw row that staging could not use, from every source table, with the reason and the raw row as it
    landed: read again from the raw table for the quarantined rows alone (a JSON text of every raw row would
    double the validation tables).
-#}

with

{% for system, table in staged_source_tables() %}
    {{ system }}_{{ table }}_quarantined as (

        select
            source_row_number,
            quarantine_reason,
            quarantine_column,
            extracted_at
        from {{ ref('staging_checks__' ~ system ~ '_' ~ table) }}
        where quarantine_reason is not null

    ),

    {{ system }}_{{ table }}_raw as (

        select
            file_row_number,
            {{ raw_row_json(source_column_names(system, table)) }} as raw_row
        from {{ source(system, table) }}
        where file_row_number in (
                select quarantined.source_row_number
                from {{ system }}_{{ table }}_quarantined as quarantined
            )

    ),

    {{ system }}_{{ table }} as (

        select
            '{{ system }}' as source_system,
            '{{ system }}.{{ table }}' as source_table,
            quarantined.source_row_number,
            quarantined.quarantine_reason as reason,
            quarantined.quarantine_column as reason_column,
            raw.raw_row,
            quarantined.extracted_at
        from {{ system }}_{{ table }}_quarantined as quarantined
        inner join {{ system }}_{{ table }}_raw as raw
            on quarantined.source_row_number = raw.file_row_number

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
