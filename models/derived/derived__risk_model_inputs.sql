{#-
    Inputs for risk assessment models (docs/methodology.md section 5): one row per
    proven-reoffending index event with the features known on the index date (criminal history
    before it, the latest assessment before it) and the outcomes of derived.proven_reoffending.
    Every history feature is taken from records dated strictly before the index date, so that
    nothing on or after it can leak in (doc block `risk_model_inputs_no_leakage`).
-#}

with

cohort as (

    select * from {{ ref('derived__proven_reoffending') }}

),

persons as (

    select * from {{ ref('linked__persons') }}

),

proven_offences as (

    select * from {{ ref('linked__proven_offences') }}

),

court_disposals as (

    select * from {{ ref('linked__court_disposals') }}

),

assessment_periods as (

    select * from {{ ref('derived_int__assessment_periods') }}

),

-- Sanctions (convictions and cautions) for counted offences: one row per sanction occasion.
sanction_occasions as (

    select distinct
        person_id,
        proven_date,
        coalesce(
            conviction_occasion_id,
            {{ dbt.concat([
                "'caution:'",
                'person_id',
                "':'",
                dbt.cast('proven_date', api.Column.translate_type('string')),
            ]) }}
        ) as sanction_occasion_id
    from proven_offences
    where is_counted

),

-- Custodial sentences passed at court: one row per sentencing occasion with a custodial disposal.
custodial_sentences as (

    select distinct
        person_id,
        case_id,
        sentence_date
    from court_disposals
    where is_custodial

),

previous_sanctions as (

    select
        cohort.cohort_record_id,
        count(*) as previous_sanction_occasions,
        min(sanction_occasions.proven_date) as first_sanction_date
    from cohort
    inner join sanction_occasions
        on
            cohort.person_id = sanction_occasions.person_id
            and sanction_occasions.proven_date < cohort.index_date
    group by cohort.cohort_record_id

),

previous_custody as (

    select
        cohort.cohort_record_id,
        count(*) as previous_custodial_sentences
    from cohort
    inner join custodial_sentences
        on
            cohort.person_id = custodial_sentences.person_id
            and custodial_sentences.sentence_date < cohort.index_date
    group by cohort.cohort_record_id

),

-- The latest assessment before the index date, never one on or after it
-- (derived_int.assessment_periods).
latest_assessments as (

    select
        cohort.cohort_record_id,
        assessment_periods.assessment_date,
        {%- for need in assessment_need_columns() %}
            assessment_periods.{{ need }},
        {%- endfor %}
        assessment_periods.rosh_level,
        assessment_periods.number_of_needs
    from cohort
    inner join assessment_periods
        on
            cohort.person_id = assessment_periods.person_id
            and assessment_periods.assessment_date < cohort.index_date
            and (
                assessment_periods.superseded_on is null
                or assessment_periods.superseded_on >= cohort.index_date
            )

),

history as (

    select
        cohort.*,
        persons.date_of_birth,
        coalesce(previous_sanctions.previous_sanction_occasions, 0) as previous_sanction_occasions,
        coalesce(previous_custody.previous_custodial_sentences, 0) as previous_custodial_sentences,
        -- OGRS convention: with no sanction before, the index event is the first sanction
        coalesce(previous_sanctions.first_sanction_date, cohort.index_date) as first_sanction_date
    from cohort
    left join persons on cohort.person_id = persons.person_id
    left join previous_sanctions on cohort.cohort_record_id = previous_sanctions.cohort_record_id
    left join previous_custody on cohort.cohort_record_id = previous_custody.cohort_record_id

),

features as (

    select
        history.*,
        round(
            {{ dbt.datediff(
                'history.first_sanction_date', 'history.index_date', 'day'
            ) }} / 365.25e0,
            4
        ) as years_since_first_sanction
    from history

),

final as (

    select
        features.cohort_record_id,
        features.cohort_quarter,
        features.index_date,
        features.age_at_index,
        features.sex,
        features.ethnicity_group,
        features.is_juvenile,
        features.previous_offences,
        cast(features.previous_sanction_occasions as integer) as previous_sanction_occasions,
        cast(features.previous_custodial_sentences as integer) as previous_custodial_sentences,
        cast(
            case
                when features.date_of_birth is null then null
                else
                    extract(year from features.first_sanction_date)
                    - extract(year from features.date_of_birth)
                    - case
                        when
                            extract(month from features.first_sanction_date) * 100
                            + extract(day from features.first_sanction_date)
                            < extract(month from features.date_of_birth) * 100
                            + extract(day from features.date_of_birth)
                            then 1
                        else 0
                    end
            end
            as integer
        ) as age_at_first_proven_offence,
        features.first_sanction_date as first_proven_offence_date,
        cast(features.years_since_first_sanction as double) as years_since_first_proven_offence,
        cast(
            {{ natural_log(
                '(features.previous_sanction_occasions + 1.0) / (features.years_since_first_sanction + 10.0)'
            ) }}
            as double
        ) as copas_rate,
        features.index_event_type,
        features.index_offence_group_code,
        features.index_offence_group,
        features.index_disposal_group,
        latest_assessments.assessment_date is not null as has_prior_assessment,
        latest_assessments.assessment_date as latest_assessment_date,
        {%- for need in assessment_need_columns() %}
            latest_assessments.{{ need }},
        {%- endfor %}
        latest_assessments.rosh_level,
        latest_assessments.number_of_needs,
        features.is_reoffender,
        features.reoffences,
        features.days_to_first_reoffence,
        features.has_complete_follow_up
    from features
    left join latest_assessments
        on features.cohort_record_id = latest_assessments.cohort_record_id

)

select * from final
