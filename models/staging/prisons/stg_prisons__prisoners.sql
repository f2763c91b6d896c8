with

validated as (

    select * from {{ ref('staging_checks__prisons_prisoners') }}

),

final as (

    select
        source_row_number,
        prison_number,
        pnc_id,
        is_pnc_id_valid,
        pnc_id_as_recorded,
        surname,
        forename,
        middle_names,
        surname_std,
        forename_std,
        middle_names_std,
        date_of_birth,
        is_date_of_birth_doubtful,
        sex,
        self_defined_ethnicity_code,
        ethnicity_group,
        postcode,
        postcode_district,
        is_postcode_doubtful,
        last_updated_at,
        extracted_at
    from validated
    where quarantine_reason is null

)

select * from final
