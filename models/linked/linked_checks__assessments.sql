{#-
    Every offender assessment with its person (an assessment is a person record itself, linked
    through its own assessment id) and its number of significant needs: `exclusion_reason` is null
    for the rows of linked.assessments and `no_linked_person` for those left out.
-#}

with

assessments as (

    select * from {{ ref('stg_oasys__assessments') }}

),

person_links as (

    select * from {{ ref('linked__person_links') }}

),

assessment_links as (

    select
        source_record_id as assessment_id,
        person_id
    from person_links
    where source_table = 'oasys.assessments'

),

joined as (

    select
        assessments.assessment_id,
        assessment_links.person_id,
        assessments.assessment_date,
        assessments.assessment_type,
        {%- for need in assessment_need_columns() %}
            assessments.{{ need }},
        {%- endfor %}
        assessments.rosh_level,
        -- scores of 2 are significant needs
        (
            {%- for need in assessment_need_columns() %}
                {{ '+ ' if not loop.first }}case when assessments.{{ need }} = 2 then 1 else 0 end
            {%- endfor %}
        ) as number_of_needs
    from assessments
    left join assessment_links on assessments.assessment_id = assessment_links.assessment_id

),

final as (

    select
        *,
        case when person_id is null then 'no_linked_person' end as exclusion_reason,
        case
            when person_id is null then 'no person link for the assessment'
        end as exclusion_detail
    from joined

)

select * from final
