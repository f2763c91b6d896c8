with

validated as (

    select * from {{ ref('staging_checks__probation_events') }}

),

final as (

    select
        source_row_number,
        event_id,
        crn,
        event_type,
        sentence_date,
        start_date,
        expected_end_date,
        termination_date,
        termination_reason,
        main_offence_code,
        last_updated_at,
        extracted_at
    from validated
    where quarantine_reason is null

)

select * from final
