-- Reconciliation of linked.probation_orders: every staged probation event is in
-- linked.probation_orders or in audit.linked_exclusions, exactly once, and nothing else is in
-- either. So rows in linked.probation_orders + its exclusions = staged rows. Returns one row per
-- record that breaks this; passes when empty.
with

staged as (

    select event_id as record_id
    from {{ ref('stg_probation__events') }}

),

accounted as (

    select probation_order_id as record_id
    from {{ ref('linked__probation_orders') }}

    union all

    select source_record_id as record_id
    from {{ ref('audit__linked_exclusions') }}
    where linked_table = 'linked.probation_orders'

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
