-- Reconciliation of linked.assessments: every staged offender assessment is in linked.assessments
-- or in audit.linked_exclusions, exactly once, and nothing else is in either. So rows in
-- linked.assessments + its exclusions = staged rows. Returns one row per record that breaks this;
-- passes when empty.
with

staged as (

    select assessment_id as record_id
    from {{ ref('stg_oasys__assessments') }}

),

accounted as (

    select assessment_id as record_id
    from {{ ref('linked__assessments') }}

    union all

    select source_record_id as record_id
    from {{ ref('audit__linked_exclusions') }}
    where linked_table = 'linked.assessments'

),

accounted_counts as (

    select
        record_id,
        count(*) as times_accounted
    from accounted
    group by record_id

),

final as (

    select
        coalesce(staged.record_id, accounted_counts.record_id) as record_id,
        staged.record_id is not null as is_staged,
        coalesce(accounted_counts.times_accounted, 0) as times_accounted
    from staged
    full outer join accounted_counts on staged.record_id = accounted_counts.record_id
    where
        staged.record_id is null
        or accounted_counts.times_accounted is null
        or accounted_counts.times_accounted != 1

)

select * from final
