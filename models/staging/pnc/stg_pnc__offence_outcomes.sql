with

validated as (

    select * from {{ ref('staging_checks__pnc_offence_outcomes') }}

),

final as (

    select
        source_row_number,
        offence_record_id,
        pnc_id,
        is_pnc_id_valid,
        arrest_summons_number,
        offence_code,
        offence_date,
        outcome_code,
        outcome_date,
        disposal_code,
        sentence_length_as_recorded,
        sentence_length_days,
        force_code,
        court_code,
        recorded_date,
        last_updated_at,
        extracted_at
    from validated
    where quarantine_reason is null

)

select * from final
