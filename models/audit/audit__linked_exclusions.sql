{#-
    Every staged record left out of a linked event table, with the reason: the rows of the
    linked_checks tables with an exclusion reason. Nothing is dropped silently: for every linked
    event table, its rows plus its rows here are the staged records it is built from
    (tests/linked/).
-#}

with

proven_offences as (

    select * from {{ ref('linked_checks__proven_offences') }}
    where exclusion_reason is not null

),

court_disposals as (

    select * from {{ ref('linked_checks__court_disposals') }}
    where exclusion_reason is not null

),

custody_releases as (

    select * from {{ ref('linked_checks__custody_releases') }}
    where exclusion_reason is not null

),

probation_orders as (

    select * from {{ ref('linked_checks__probation_orders') }}
    where exclusion_reason is not null

),

assessments as (

    select * from {{ ref('linked_checks__assessments') }}
    where exclusion_reason is not null

),

unioned as (

    select
        'linked.proven_offences' as linked_table,
        'pnc.offence_outcomes' as source_table,
        proven_offence_id as source_record_id,
        person_id,
        exclusion_reason as reason,
        exclusion_detail as detail
    from proven_offences

    union all

    select
        'linked.court_disposals' as linked_table,
        'courts.case_offences' as source_table,
        court_disposal_id as source_record_id,
        person_id,
        exclusion_reason as reason,
        exclusion_detail as detail
    from court_disposals

    union all

    select
        'linked.custody_releases' as linked_table,
        'prisons.custodial_spells' as source_table,
        custody_release_id as source_record_id,
        person_id,
        exclusion_reason as reason,
        exclusion_detail as detail
    from custody_releases

    union all

    select
        'linked.probation_orders' as linked_table,
        'probation.events' as source_table,
        probation_order_id as source_record_id,
        person_id,
        exclusion_reason as reason,
        exclusion_detail as detail
    from probation_orders

    union all

    select
        'linked.assessments' as linked_table,
        'oasys.assessments' as source_table,
        assessment_id as source_record_id,
        person_id,
        exclusion_reason as reason,
        exclusion_detail as detail
    from assessments

),

final as (

    select
        {{ dbt.concat(['source_table', "':'", 'source_record_id']) }} as excluded_id,
        linked_table,
        source_table,
        source_record_id,
        reason,
        person_id,
        detail
    from unioned

)

select * from final
