{#-
    Inputs for risk assessment models (derived.risk_model_inputs), one row per proven reoffending
    index event, pseudonymised for accredited researchers: the person's keyed hash (through the
    cohort record of derived.proven_reoffending) instead of the cohort record id, which holds the
    person id; the month of the index date and the days from the latest assessment instead of dates.
-#}

with

risk_model_inputs as (

    select * from {{ ref('derived__risk_model_inputs') }}

),

proven_reoffending as (

    select * from {{ ref('derived__proven_reoffending') }}

),

final as (

    select
        {{ pseudonymous_person_id('proven_reoffending.person_id') }} as pseudonymous_person_id,
        risk_model_inputs.cohort_quarter,
        {{ year_month('risk_model_inputs.index_date') }} as index_month,
        {{ research_five_year_band('risk_model_inputs.age_at_index') }} as age_at_index,
        risk_model_inputs.sex,
        risk_model_inputs.ethnicity_group,
        risk_model_inputs.is_juvenile,
        risk_model_inputs.previous_offences,
        risk_model_inputs.previous_sanction_occasions,
        risk_model_inputs.previous_custodial_sentences,
        {{ research_five_year_band('risk_model_inputs.age_at_first_proven_offence') }}
            as age_at_first_proven_offence,
        risk_model_inputs.years_since_first_proven_offence,
        risk_model_inputs.copas_rate,
        risk_model_inputs.index_event_type,
        risk_model_inputs.index_offence_group_code,
        risk_model_inputs.index_offence_group,
        risk_model_inputs.index_disposal_group,
        risk_model_inputs.has_prior_assessment,
        cast({{ dbt.datediff(
            'risk_model_inputs.latest_assessment_date', 'risk_model_inputs.index_date', 'day'
        ) }} as integer) as days_since_latest_assessment,
        {%- for need in assessment_need_columns() %}
            risk_model_inputs.{{ need }},
        {%- endfor %}
        risk_model_inputs.rosh_level,
        risk_model_inputs.number_of_needs,
        risk_model_inputs.is_reoffender,
        risk_model_inputs.reoffences,
        risk_model_inputs.days_to_first_reoffence,
        risk_model_inputs.has_complete_follow_up
    from risk_model_inputs
    inner join proven_reoffending
        on risk_model_inputs.cohort_record_id = proven_reoffending.cohort_record_id

)

select * from final
