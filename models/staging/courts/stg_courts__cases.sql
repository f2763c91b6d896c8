with

validated as (

    select * from {{ ref('staging_checks__courts_cases') }}

),

final as (

    select
        source_row_number,
        case_id,
        court_code,
        court_type,
        first_hearing_date,
        case_completed_date,
        last_updated_at,
        extracted_at
    from validated
    where quarantine_reason is null

)

select * from final
