{#-
    The proven reoffending cohort (derived.proven_reoffending), record-level and pseudonymised for
    accredited researchers: a keyed hash instead of the person id, the month instead of dates, year
    of birth, region and deprivation decile instead of date of birth and address, no source-system
    ids.
-#}

with

proven_reoffending as (

    select * from {{ ref('derived__proven_reoffending') }}

),

offender_histories as (

    select * from {{ ref('derived__offender_histories') }}

),

final as (

    select
        {{ pseudonymous_person_id('proven_reoffending.person_id') }} as pseudonymous_person_id,
        proven_reoffending.cohort_quarter,
        proven_reoffending.cohort_year,
        {{ year_month('proven_reoffending.index_date') }} as index_month,
        proven_reoffending.index_event_type,
        proven_reoffending.index_disposal_type,
        proven_reoffending.index_disposal_group,
        proven_reoffending.index_sentence_length_days,
        proven_reoffending.index_offence_code,
        proven_reoffending.index_offence_group_code,
        proven_reoffending.index_offence_group,
        {{ research_five_year_band('offender_histories.year_of_birth') }} as year_of_birth,
        {{ research_five_year_band('proven_reoffending.age_at_index') }} as age_at_index,
        proven_reoffending.age_band,
        proven_reoffending.is_juvenile,
        proven_reoffending.sex,
        proven_reoffending.ethnicity_group,
        proven_reoffending.region_code,
        proven_reoffending.region_name,
        {{ research_deprivation_decile('offender_histories.deprivation_decile') }}
            as deprivation_decile,
        proven_reoffending.previous_offences,
        proven_reoffending.previous_offences_band,
        proven_reoffending.is_reoffender,
        proven_reoffending.reoffences,
        proven_reoffending.days_to_first_reoffence,
        proven_reoffending.has_complete_follow_up
    from proven_reoffending
    left join offender_histories
        on proven_reoffending.person_id = offender_histories.person_id

)

select * from final
