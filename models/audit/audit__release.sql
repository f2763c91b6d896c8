{#-
    One row per build of this DATA_DIR, from the ledger `release build` keeps (docs/methodology.md section
    10): what was built from which extract, with which code, what the checks found, and whether it was
    published. Built last in a release build, after every check, so this release's own row is complete.
-#}

with

release_events as (

    select * from {{ ref('audit__release_events') }}

),

started as (

    select
        release_id,
        event_at as started_at,
        git_commit,
        dbt_version,
        duckdb_version,
        target_name,
        parameters
    from release_events
    where event = 'started'

),

finished_events as (

    select
        *,
        row_number() over (partition by release_id order by event_number desc) as recency
    from release_events
    where event = 'finished'

),

finished as (

    select
        release_id,
        event_at as finished_at,
        outcome,
        reason,
        data_as_of,
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
    from finished_events
    where recency = 1

),

published as (

    select
        release_id,
        max(event_at) as last_published_at
    from release_events
    where event = 'published'
    group by release_id

),

pruned as (

    select distinct release_id
    from release_events
    where event = 'pruned'

),

final as (

    select
        started.release_id,
        started.started_at,
        finished.finished_at,
        coalesce(finished.outcome, 'building') as outcome,
        coalesce(finished.outcome = 'published', false) as is_published,
        coalesce(
            finished.reason,
            case
                when started.release_id = '{{ release_id() }}' then 'this build, still running'
                else 'no end recorded yet'
            end
        ) as reason,
        published.last_published_at,
        pruned.release_id is not null as is_pruned,
        finished.data_as_of,
        finished.extract_dates,
        started.git_commit,
        started.dbt_version,
        started.duckdb_version,
        started.target_name,
        started.parameters,
        finished.row_counts,
        finished.tests_passed,
        finished.tests_warned,
        finished.tests_failed,
        finished.tests_skipped,
        finished.source_freshness,
        finished.linkage_precision,
        finished.linkage_recall,
        finished.linkage_f1
    from started
    left join finished on started.release_id = finished.release_id
    left join published on started.release_id = published.release_id
    left join pruned on started.release_id = pruned.release_id

)

select * from final
