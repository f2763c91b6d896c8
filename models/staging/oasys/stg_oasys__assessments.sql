{#- The staged rows of the validation table, with the names standardised for linkage (here, in a
    table, because standardise_name may call a function only dbt's connections have). An assessment
    dated before the date of birth is quarantined (date_order) by the validation table. Documented in
    the folder's YAML. -#}

with

validated as (

    select * from {{ ref('staging_checks__oasys_assessments') }}

),

staged as (

    select * from validated
    where quarantine_reason is null

),

standardised as (

    select
        *,
        {{ standardised_name_columns(['surname', 'forename']) }}
    from staged

),

final as (

    select
        source_row_number,
        assessment_id,
        crn,
        prison_number,
        surname,
        forename,
        surname_std,
        forename_std,
        has_control_characters,
        {{ has_name_without_letters(['surname', 'forename']) }}
            as has_name_without_letters,
        date_of_birth,
        is_date_of_birth_doubtful,
        sex,
        postcode,
        postcode_district,
        is_postcode_doubtful,
        assessment_date,
        assessment_type,
        {%- for need in assessment_need_columns() %}
            {{ need }},
        {%- endfor %}
        rosh_level,
        last_updated_at,
        extracted_at
    from standardised

)

select * from final
