{#-
    The young people's cohort (derived.young_people_repeat_offending: people convicted of an offence
    committed in the cohort year while aged 18, with the prolific young offender flag), record-level
    and pseudonymised for accredited researchers. The cohort is defined at the exact age of 18, so its
    offence and conviction are given by year, not month: a month, with the year of birth, would tell
    on which side of the offence the 18th birthday falls. The age at the first conviction and the
    adult follow-up are those of the research age (macro research_age: the birthday taken as 1 July).
-#}

with

young_people as (

    select * from {{ ref('derived__young_people_repeat_offending') }}

),

offender_histories as (

    select * from {{ ref('derived__offender_histories') }}

),

aged as (

    select
        young_people.*,
        {{ research_age(
            'young_people.first_conviction_offence_date', 'offender_histories.year_of_birth'
        ) }} as research_age_at_first_conviction,
        {{ research_age('young_people.data_as_of', 'offender_histories.year_of_birth') }}
            as research_age_at_data_as_of
    from young_people
    left join offender_histories on young_people.person_id = offender_histories.person_id

),

final as (

    select
        {{ pseudonymous_person_id('aged.person_id') }} as pseudonymous_person_id,
        cohort_year,
        is_cohort_complete,
        cast(extract(year from cohort_conviction_date) as integer) as cohort_conviction_year,
        youth_convictions,
        youth_conviction_band,
        is_prolific_young_offender,
        {{ research_five_year_band('research_age_at_first_conviction') }}
            as age_at_first_conviction,
        youth_cautions,
        has_custody_before_18,
        has_referral_order_before_18,
        has_youth_rehabilitation_order_before_18,
        youth_convicted_offences,
        youth_offence_group,
        adult_convictions,
        adult_convicted_offences,
        adult_offence_group,
        -- whole years from the 18th birthday (on the research age) to data_as_of, at least 0
        cast(
            case
                when research_age_at_data_as_of < 18 then 0
                else research_age_at_data_as_of - 18
            end
            as integer
        ) as adult_follow_up_years,
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
    from aged

)

select * from final
