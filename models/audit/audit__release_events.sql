{#-
    Every event of the ledger `release build` keeps, DATA_DIR/releases/releases.jsonl, as recorded (docs/
    methodology.md section 10): builds started and finished, releases published (by a build or a rollback)
    and removed by the retention rule. No rows outside a release build (the `dev` target).
-#}

with

ledger as (

    select * from {{ release_ledger() }}

),

final as (

    select
        cast(row_number() over (order by ledger_line) as {{ dbt.type_bigint() }}) as event_number,
        event,
        release_id,
        cast({{ adapter.quote('at') }} as timestamp) as event_at,
        outcome,
        reason,
        {{ adapter.quote('by') }} as published_by,
        git_commit,
        dbt_version,
        duckdb_version,
        target as target_name,
        parameters,
        cast(data_as_of as date) as data_as_of,
        extract_dates,
        row_counts,
        tests_passed,
        tests_warned,
        tests_failed,
        tests_skipped,
        source_freshness,
        linkage_precision,
        linkage_recall,
        linkage_f1
    from ledger

)

select * from final
