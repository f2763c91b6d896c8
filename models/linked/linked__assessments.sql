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
        {%- for need in assessment_need_columns() %}
            {{ need }},
        {%- endfor %}
        rosh_level,
        number_of_needs
    from checked
    where exclusion_reason is null

)

select * from final
