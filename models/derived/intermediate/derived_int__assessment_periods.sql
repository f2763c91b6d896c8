{#-
    When each offender assessment is a person's latest (docs/methodology.md sections 4 and 5): every
    assessment with the date it is superseded on, the date of the person's next assessment in the order
    assessment date, then assessment id (on one date the highest id is the latest). The one place the
    rule lives: derived.offender_histories (latest on or before data_as_of) and
    derived.risk_model_inputs (latest before the index date) read it from here.
-#}

with

assessments as (

    select * from {{ ref('linked__assessments') }}

),

final as (

    select
        assessments.*,
        lead(assessment_date) over (
            partition by person_id
            order by assessment_date asc, assessment_id asc
        ) as superseded_on
    from assessments

)

select * from final
