-- Reconciliation of linked.proven_offences: every staged PNC offence outcome that is proven
-- (outcome a conviction or a caution, with an outcome date) is in linked.proven_offences or in
-- audit.linked_exclusions, exactly once, and nothing else is in either. So rows in
-- linked.proven_offences + its exclusions = staged rows. Returns one row per record that breaks
-- this; passes when empty.
with

staged as (

    select offence_outcomes.offence_record_id as record_id
    from {{ ref('stg_pnc__offence_outcomes') }} as offence_outcomes
    inner join {{ ref('reference__outcome_types') }} as outcome_types
        on offence_outcomes.outcome_code = outcome_types.outcome_code
    where outcome_types.is_proven and offence_outcomes.outcome_date is not null

),

accounted as (

    select proven_offence_id as record_id
    from {{ ref('linked__proven_offences') }}

    union all

    select source_record_id as record_id
    from {{ ref('audit__linked_exclusions') }}
    where linked_table = 'linked.proven_offences'

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
