{#-
    The proven reoffending cohort (derived.proven_reoffending), record-level and pseudonymised for
    accredited researchers: a keyed hash instead of the person id, the month instead of dates, year
    of birth, region and deprivation decile instead of date of birth and address, no source-system
    ids. The age at index, its band, the juvenile flag and the disposal group that depends on it are
    those of the research age (macro research_age: the birthday taken as 1 July), so that they cannot
    narrow the date of birth below its year.
-#}

with

proven_reoffending as (

    select * from {{ ref('derived__proven_reoffending') }}

),

offender_histories as (

    select * from {{ ref('derived__offender_histories') }}

),

disposal_groups as (

    select * from {{ ref('derived_int__disposal_groups') }}

),

aged as (

    select
        proven_reoffending.*,
        offender_histories.year_of_birth,
        offender_histories.deprivation_decile,
        {{ research_age('proven_reoffending.index_date', 'offender_histories.year_of_birth') }}
            as research_age_at_index
    from proven_reoffending
    left join offender_histories
        on proven_reoffending.person_id = offender_histories.person_id

),

-- juvenile on the research age: 10-17 (the research age is at least 10)
classified as (

    select
        aged.*,
        aged.research_age_at_index <= 17 as research_is_juvenile
    from aged

),

final as (

    select
        {{ pseudonymous_person_id('classified.person_id') }} as pseudonymous_person_id,
        classified.cohort_quarter,
        classified.cohort_year,
        {{ year_month('classified.index_date') }} as index_month,
        classified.index_event_type,
        classified.index_disposal_type,
        {{ index_disposal_group(
            'classified.research_is_juvenile',
            'classified.index_event_type',
            'classified.index_sentence_length_days',
            'disposal_groups'
        ) }} as index_disposal_group,
        classified.index_sentence_length_days,
        classified.index_offence_code,
        classified.index_offence_group_code,
        classified.index_offence_group,
        {{ research_five_year_band('classified.year_of_birth') }} as year_of_birth,
        {{ research_five_year_band('classified.research_age_at_index') }} as age_at_index,
        {{ age_band('classified.research_age_at_index') }} as age_band,
        classified.research_is_juvenile as is_juvenile,
        classified.sex,
        classified.ethnicity_group,
        classified.region_code,
        classified.region_name,
        {{ research_deprivation_decile('classified.deprivation_decile') }}
            as deprivation_decile,
        classified.previous_offences,
        classified.previous_offences_band,
        classified.is_reoffender,
        classified.reoffences,
        classified.days_to_first_reoffence,
        classified.has_complete_follow_up
    from classified
    left join disposal_groups on classified.index_disposal_type = disposal_groups.disposal_code

)

select * from final
