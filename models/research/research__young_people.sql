{#-
    The young people's cohort (derived.young_people_repeat_offending: people convicted of an offence
    committed in the cohort year while aged 18, with the prolific young offender flag), record-level
    and pseudonymised for accredited researchers. The adult follow-up is given in whole years: in
    days, with the extract date, it would give away the date of birth.
-#}

with

young_people as (

    select * from {{ ref('derived__young_people_repeat_offending') }}

),

final as (

    select
        {{ pseudonymous_person_id('person_id') }} as pseudonymous_person_id,
        cohort_year,
        is_cohort_complete,
        {{ year_month('cohort_offence_date') }} as cohort_offence_month,
        {{ year_month('cohort_conviction_date') }} as cohort_conviction_month,
        youth_convictions,
        youth_conviction_band,
        is_prolific_young_offender,
        {{ research_five_year_band('age_at_first_conviction') }} as age_at_first_conviction,
        youth_cautions,
        has_custody_before_18,
        has_referral_order_before_18,
        has_youth_rehabilitation_order_before_18,
        youth_convicted_offences,
        youth_offence_group,
        adult_convictions,
        adult_convicted_offences,
        adult_offence_group,
        cast(floor(adult_follow_up_days / 365.25e0) as integer) as adult_follow_up_years,
        has_assessment,
        days_from_cohort_conviction_to_assessment,
        {%- for need in assessment_need_columns() %}
            {{ need }},
        {%- endfor %}
        rosh_level,
        number_of_needs,
        sex,
        ethnicity_group,
        region_code,
        region_name,
        {{ research_deprivation_decile('deprivation_decile') }} as deprivation_decile
    from young_people

)

select * from final
