{#-
    Offender histories (derived.offender_histories), one row per linked person, pseudonymised for
    accredited researchers: a keyed hash instead of the person id, year of birth instead of the date
    of birth, months instead of dates.
-#}

with

offender_histories as (

    select * from {{ ref('derived__offender_histories') }}

),

final as (

    select
        {{ pseudonymous_person_id('person_id') }} as pseudonymous_person_id,
        {{ research_five_year_band('year_of_birth') }} as year_of_birth,
        sex,
        ethnicity_group,
        region_code,
        region_name,
        {{ research_deprivation_decile('deprivation_decile') }} as deprivation_decile,
        {{ year_month('first_proven_offence_date') }} as first_proven_offence_month,
        {{ year_month('last_proven_offence_date') }} as last_proven_offence_month,
        {{ research_five_year_band('age_at_first_proven_offence') }} as age_at_first_proven_offence,
        proven_offences,
        proven_offences_as_juvenile,
        proven_offences_as_adult,
        cautions,
        conviction_occasions,
        custodial_sentences,
        custody_releases,
        community_orders,
        suspended_sentence_orders,
        distinct_offence_groups,
        most_frequent_offence_group,
        has_assessment,
        {{ year_month('latest_assessment_date') }} as latest_assessment_month,
        {%- for need in assessment_need_columns() %}
            {{ need }},
        {%- endfor %}
        rosh_level,
        number_of_needs
    from offender_histories

)

select * from final
