{#- The staged rows of the validation table, with the names standardised for linkage (here, in a
    table, because standardise_name may call a function only dbt's connections have) and the
    date-of-birth chronology check against the same system's records of the person. Documented in
    the folder's YAML. -#}

with

validated as (

    select * from {{ ref('staging_checks__pnc_persons') }}

),

offence_outcomes as (

    select * from {{ ref('stg_pnc__offence_outcomes') }}

),

staged as (

    select * from validated
    where quarantine_reason is null

),

-- the earliest offence or outcome date the PNC holds for each PNC id
earliest_events as (

    select
        pnc_id,
        min({{ earliest_date(['offence_date', 'outcome_date']) }})
            as earliest_event_date
    from offence_outcomes
    group by pnc_id

),

standardised as (

    select
        *,
        {{ standardised_name_columns(['surname', 'forename', 'middle_names']) }}
    from staged

),

chronology as (

    select
        standardised.*,
        earliest_events.earliest_event_date
    from standardised
    left join earliest_events on standardised.pnc_id = earliest_events.pnc_id

),

final as (

    select
        source_row_number,
        pnc_id,
        is_pnc_id_valid,
        surname,
        forename,
        middle_names,
        surname_std,
        forename_std,
        middle_names_std,
        has_control_characters,
        {{ has_name_without_letters(['surname', 'forename', 'middle_names']) }}
            as has_name_without_letters,
        date_of_birth,
        is_date_of_birth_doubtful,
        {{ is_date_of_birth_after_events('date_of_birth', 'earliest_event_date') }}
            as is_date_of_birth_after_events,
        sex,
        self_defined_ethnicity_code,
        officer_ethnicity_code,
        ethnicity_group,
        postcode,
        postcode_district,
        is_postcode_doubtful,
        owning_force_code,
        created_date,
        last_updated_at,
        extracted_at
    from chronology

)

select * from final
