with

validated as (

    select * from {{ ref('staging_checks__prisons_custodial_spells') }}

),

final as (

    select
        source_row_number,
        spell_id,
        prison_number,
        establishment_code,
        reception_date,
        reception_reason,
        sentence_date,
        sentence_length_days,
        release_date,
        release_reason,
        is_sentenced_release,
        is_remand_only,
        last_updated_at,
        extracted_at
    from validated
    where quarantine_reason is null

)

select * from final
