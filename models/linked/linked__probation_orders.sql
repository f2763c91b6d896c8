{#-
    Periods of probation supervision (community and suspended sentence orders, licences, post-
    sentence supervision): the rows of linked_checks.probation_orders with a person. The rows left
    out are in audit.linked_exclusions.
-#}

with

checked as (

    select * from {{ ref('linked_checks__probation_orders') }}

),

final as (

    select
        probation_order_id,
        person_id,
        crn,
        event_type,
        sentence_date,
        start_date,
        expected_end_date,
        termination_date,
        termination_reason,
        main_offence_code
    from checked
    where exclusion_reason is null

)

select * from final
