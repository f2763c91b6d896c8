{#-
    Quarantined rows by source table and reason, with their share of the table's raw rows and of
    the table's quarantined rows.
-#}

with

quarantine as (

    select * from {{ ref('audit__quarantine') }}

),

reconciliation as (

    select * from {{ ref('audit__staging_reconciliation') }}

),

quarantine_reasons as (

    select * from {{ ref('reference__quarantine_reasons') }}

),

by_reason as (

    select
        source_system,
        source_table,
        reason,
        count(*) as quarantined_rows
    from quarantine
    group by source_system, source_table, reason

),

final as (

    select
        by_reason.source_table,
        by_reason.reason,
        by_reason.source_system,
        quarantine_reasons.priority as reason_priority,
        quarantine_reasons.reason_description,
        by_reason.quarantined_rows,
        reconciliation.raw_rows,
        reconciliation.quarantined_rows as table_quarantined_rows,
        cast(by_reason.quarantined_rows as double)
        / nullif(reconciliation.raw_rows, 0) as share_of_raw_rows,
        cast(by_reason.quarantined_rows as double)
        / nullif(reconciliation.quarantined_rows, 0) as share_of_quarantined_rows
    from by_reason
    inner join reconciliation
        on by_reason.source_table = reconciliation.source_table
    left join quarantine_reasons
        on by_reason.reason = quarantine_reasons.reason_code

)

select * from final
