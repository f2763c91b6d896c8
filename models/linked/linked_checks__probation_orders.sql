{#-
    Every probation event with its person through the case reference number: `exclusion_reason` is
    null for the rows of linked.probation_orders and `no_linked_person` for those left out.
-#}

with

probation_events as (

    select * from {{ ref('stg_probation__events') }}

),

person_links as (

    select * from {{ ref('linked__person_links') }}

),

probation_links as (

    select
        source_record_id as crn,
        person_id
    from person_links
    where source_table = 'probation.people'

),

joined as (

    select
        probation_events.event_id as probation_order_id,
        probation_links.person_id,
        probation_events.crn,
        probation_events.event_type,
        probation_events.sentence_date,
        probation_events.start_date,
        probation_events.expected_end_date,
        probation_events.termination_date,
        probation_events.termination_reason,
        probation_events.main_offence_code
    from probation_events
    left join probation_links on probation_events.crn = probation_links.crn

),

final as (

    select
        *,
        case when person_id is null then 'no_linked_person' end as exclusion_reason,
        case
            when person_id is null then 'no staged probation.people record has the crn of the event'
        end as exclusion_detail
    from joined

)

select * from final
