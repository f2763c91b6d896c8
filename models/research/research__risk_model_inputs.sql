{#-
    Inputs for risk assessment models (derived.risk_model_inputs), one row per proven reoffending
    index event, pseudonymised for accredited researchers: the person's keyed hash (through the
    cohort record of derived.proven_reoffending) instead of the cohort record id, which holds the
    person id; the month of the index date and the days from the latest assessment instead of dates.
    The ages, the juvenile flag and the disposal group are those of the research age (macro
    research_age), as in research.proven_reoffending, whose values for the same cohort record these are.
-#}

with

risk_model_inputs as (

    select * from {{ ref('derived__risk_model_inputs') }}

),

proven_reoffending as (

    select * from {{ ref('derived__proven_reoffending') }}

),

offender_histories as (

    select * from {{ ref('derived__offender_histories') }}

),

research_proven_reoffending as (

    select * from {{ ref('research__proven_reoffending') }}

),

pseudonymised as (

    select
        risk_model_inputs.*,
        {{ pseudonymous_person_id('proven_reoffending.person_id') }} as pseudonymous_person_id,
        {{ research_age(
            'risk_model_inputs.first_proven_offence_date', 'offender_histories.year_of_birth'
        ) }} as research_age_at_first_proven_offence
    from risk_model_inputs
    inner join proven_reoffending
        on risk_model_inputs.cohort_record_id = proven_reoffending.cohort_record_id
    left join offender_histories
        on proven_reoffending.person_id = offender_histories.person_id

),

final as (

    select
        pseudonymised.pseudonymous_person_id,
        pseudonymised.cohort_quarter,
        {{ year_month('pseudonymised.index_date') }} as index_month,
        research_proven_reoffending.age_at_index,
        pseudonymised.sex,
        pseudonymised.ethnicity_group,
        research_proven_reoffending.is_juvenile,
        pseudonymised.previous_offences,
        pseudonymised.previous_sanction_occasions,
        pseudonymised.previous_custodial_sentences,
        {{ research_five_year_band('pseudonymised.research_age_at_first_proven_offence') }}
            as age_at_first_proven_offence,
        pseudonymised.years_since_first_proven_offence,
        pseudonymised.copas_rate,
        pseudonymised.index_event_type,
        pseudonymised.index_offence_group_code,
        pseudonymised.index_offence_group,
        research_proven_reoffending.index_disposal_group,
        pseudonymised.has_prior_assessment,
        cast({{ dbt.datediff(
            'pseudonymised.latest_assessment_date', 'pseudonymised.index_date', 'day'
        ) }} as integer) as days_since_latest_assessment,
        {%- for need in assessment_need_columns() %}
            pseudonymised.{{ need }},
        {%- endfor %}
        pseudonymised.rosh_level,
        pseudonymised.number_of_needs,
        pseudonymised.is_reoffender,
        pseudonymised.reoffences,
        pseudonymised.days_to_first_reoffence,
        pseudonymised.has_complete_follow_up
    from pseudonymised
    inner join research_proven_reoffending
        on
            pseudonymised.pseudonymous_person_id
            = research_proven_reoffending.pseudonymous_person_id
            and pseudonymised.cohort_quarter = research_proven_reoffending.cohort_quarter

)

select * from final
