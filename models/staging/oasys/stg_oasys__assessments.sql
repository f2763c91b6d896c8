with

validated as (

    select * from {{ ref('staging_checks__oasys_assessments') }}

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
        date_of_birth,
        is_date_of_birth_doubtful,
        sex,
        postcode,
        postcode_district,
        is_postcode_doubtful,
        assessment_date,
        assessment_type,
        accommodation_need,
        education_employment_need,
        finance_need,
        relationships_need,
        lifestyle_need,
        drugs_need,
        alcohol_need,
        emotional_wellbeing_need,
        thinking_behaviour_need,
        attitudes_need,
        rosh_level,
        last_updated_at,
        extracted_at
    from validated
    where quarantine_reason is null

)

select * from final
