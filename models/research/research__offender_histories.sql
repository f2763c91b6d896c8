{#-
    Offender histories (derived.offender_histories), one row per linked person, pseudonymised for
    accredited researchers: a keyed hash instead of the person id, year of birth instead of the date
    of birth, months instead of dates. The age at the first proven offence and the offences as a
    juvenile and as an adult are those of the research age (macro research_age: the birthday taken as
    1 July), so that they cannot narrow the date of birth below its year.
-#}

with

offender_histories as (

    select * from {{ ref('derived__offender_histories') }}

),

first_proven_offences as (

    select * from {{ ref('derived_int__first_proven_offences') }}

),

counted_offences as (

    select * from {{ ref('derived_int__counted_offences') }}

),

-- the counted offences (of derived.offender_histories.proven_offences) with the research age at
-- the offence
offences_aged as (

    select
        counted_offences.person_id,
        {{ research_age('counted_offences.offence_date', 'offender_histories.year_of_birth') }}
            as research_age_at_offence
    from counted_offences
    inner join offender_histories on counted_offences.person_id = offender_histories.person_id

),

-- as a juvenile (research age 10-17) or as an adult; neither when the year of birth is unknown
offences_by_research_age as (

    select
        person_id,
        sum(case when research_age_at_offence <= 17 then 1 else 0 end)
            as proven_offences_as_juvenile,
        sum(case when research_age_at_offence >= 18 then 1 else 0 end) as proven_offences_as_adult
    from offences_aged
    group by person_id

),

final as (

    select
        {{ pseudonymous_person_id('offender_histories.person_id') }} as pseudonymous_person_id,
        {{ research_five_year_band('offender_histories.year_of_birth') }} as year_of_birth,
        offender_histories.sex,
        offender_histories.ethnicity_group,
        offender_histories.region_code,
        offender_histories.region_name,
        {{ research_deprivation_decile('offender_histories.deprivation_decile') }}
            as deprivation_decile,
        {{ year_month('offender_histories.first_proven_offence_date') }}
            as first_proven_offence_month,
        {{ year_month('offender_histories.last_proven_offence_date') }}
            as last_proven_offence_month,
        {{ research_five_year_band(research_age(
            'first_proven_offences.first_offence_date', 'offender_histories.year_of_birth'
        )) }} as age_at_first_proven_offence,
        offender_histories.proven_offences,
        cast(coalesce(offences_by_research_age.proven_offences_as_juvenile, 0) as integer)
            as proven_offences_as_juvenile,
        cast(coalesce(offences_by_research_age.proven_offences_as_adult, 0) as integer)
            as proven_offences_as_adult,
        offender_histories.cautions,
        offender_histories.conviction_occasions,
        offender_histories.custodial_sentences,
        offender_histories.custody_releases,
        offender_histories.community_orders,
        offender_histories.suspended_sentence_orders,
        offender_histories.distinct_offence_groups,
        offender_histories.most_frequent_offence_group,
        offender_histories.has_assessment,
        {{ year_month('offender_histories.latest_assessment_date') }} as latest_assessment_month,
        {%- for need in assessment_need_columns() %}
            offender_histories.{{ need }},
        {%- endfor %}
        offender_histories.rosh_level,
        offender_histories.number_of_needs
    from offender_histories
    left join first_proven_offences
        on offender_histories.person_id = first_proven_offences.person_id
    left join offences_by_research_age
        on offender_histories.person_id = offences_by_research_age.person_id

)

select * from final
