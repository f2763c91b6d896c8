with

validated as (

    select * from {{ ref('staging_checks__courts_case_offences') }}

),

final as (

    select
        source_row_number,
        case_offence_id,
        case_id,
        defendant_id,
        offence_code,
        offence_date,
        plea,
        verdict,
        verdict_date,
        sentence_date,
        disposal_code,
        sentence_length_days,
        is_principal_offence,
        is_convicted,
        last_updated_at,
        extracted_at
    from validated
    where quarantine_reason is null

)

select * from final
