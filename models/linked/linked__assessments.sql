{#-
    Offender assessments (OASys) with their need scores: the rows of linked_checks.assessments with
    a person. The rows left out are in audit.linked_exclusions.
-#}

with

checked as (

    select * from {{ ref('linked_checks__assessments') }}

),

final as (

    select
        assessment_id,
        person_id,
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
        number_of_needs
    from checked
    where exclusion_reason is null

)

select * from final
