{#-
    Offender histories (docs/methodology.md section 4; doc block offender_histories): one row per
    linked person with demographics, their proven offending (counted proven offences only:
    recordable and not a breach), their sentences, custody releases, offence groups and latest
    assessment needs, all as of data_as_of (the earliest extract date of the sources).
-#}

with

persons as (

    select * from {{ ref('linked__persons') }}

),

counted_offences as (

    select * from {{ ref('derived_int__counted_offences') }}

),

first_proven_offences as (

    select * from {{ ref('derived_int__first_proven_offences') }}

),

court_disposals as (

    select * from {{ ref('linked__court_disposals') }}

),

custody_releases as (

    select * from {{ ref('linked__custody_releases') }}

),

assessment_periods as (

    select * from {{ ref('derived_int__assessment_periods') }}

),

-- data_as_of, the earliest extract date of the sources
data_as_of as (

    select * from {{ ref('derived_int__reporting_period') }}

),

offence_counts as (

    select
        person_id,
        max(proven_date) as last_proven_offence_date,
        count(*) as proven_offences,
        sum(case when is_juvenile_at_offence then 1 else 0 end) as proven_offences_as_juvenile,
        sum(case when not is_juvenile_at_offence then 1 else 0 end) as proven_offences_as_adult,
        count(distinct case when outcome_type = 'caution' then proven_date end) as cautions,
        count(distinct conviction_occasion_id) as conviction_occasions,
        count(distinct offence_group_code) as distinct_offence_groups
    from counted_offences
    group by person_id

),

-- counted offences per offence group
group_counts as (

    select
        person_id,
        offence_group_code,
        offence_group,
        count(*) as offences,
        max(offence_date) as last_offence_date
    from counted_offences
    group by person_id, offence_group_code, offence_group

),

-- the most frequent offence group (macro offence_group_rank)
group_ranked as (

    select
        *,
        {{ offence_group_rank('person_id') }} as group_rank
    from group_counts

),

most_frequent_groups as (

    select
        person_id,
        offence_group as most_frequent_offence_group
    from group_ranked
    where group_rank = 1

),

-- sentencing occasions at court: one per person and sentence date for each kind of sentence
sentences as (

    select
        court_disposals.person_id,
        court_disposals.sentence_date,
        court_disposals.is_custodial,
        court_disposals.disposal_category
    from court_disposals
    cross join data_as_of
    where court_disposals.sentence_date <= data_as_of.data_as_of

),

sentence_counts as (

    select
        person_id,
        count(distinct case when is_custodial then sentence_date end) as custodial_sentences,
        count(distinct case when disposal_category = 'community' then sentence_date end)
            as community_orders,
        count(distinct case when disposal_category = 'suspended_sentence' then sentence_date end)
            as suspended_sentence_orders
    from sentences
    group by person_id

),

release_counts as (

    select
        custody_releases.person_id,
        count(*) as custody_releases
    from custody_releases
    cross join data_as_of
    where custody_releases.release_date <= data_as_of.data_as_of
    group by custody_releases.person_id

),

-- the latest assessment on or before data_as_of (derived_int.assessment_periods)
latest_assessments as (

    select assessment_periods.*
    from assessment_periods
    cross join data_as_of
    where
        assessment_periods.assessment_date <= data_as_of.data_as_of
        and (
            assessment_periods.superseded_on is null
            or assessment_periods.superseded_on > data_as_of.data_as_of
        )

),

final as (

    select
        persons.person_id,
        data_as_of.data_as_of,
        persons.date_of_birth,
        persons.year_of_birth,
        persons.sex,
        persons.ethnicity_group,
        persons.region_code,
        persons.region_name,
        persons.police_force_code,
        persons.deprivation_decile,
        -- the first proven offence, as derived_int.first_proven_offences defines it
        first_proven_offences.first_proven_date as first_proven_offence_date,
        offence_counts.last_proven_offence_date,
        cast(first_proven_offences.age_at_first_proven_offence as integer)
            as age_at_first_proven_offence,
        cast(coalesce(offence_counts.proven_offences, 0) as integer) as proven_offences,
        cast(coalesce(offence_counts.proven_offences_as_juvenile, 0) as integer)
            as proven_offences_as_juvenile,
        cast(coalesce(offence_counts.proven_offences_as_adult, 0) as integer)
            as proven_offences_as_adult,
        cast(coalesce(offence_counts.cautions, 0) as integer) as cautions,
        cast(coalesce(offence_counts.conviction_occasions, 0) as integer) as conviction_occasions,
        cast(coalesce(sentence_counts.custodial_sentences, 0) as integer) as custodial_sentences,
        cast(coalesce(release_counts.custody_releases, 0) as integer) as custody_releases,
        cast(coalesce(sentence_counts.community_orders, 0) as integer) as community_orders,
        cast(coalesce(sentence_counts.suspended_sentence_orders, 0) as integer)
            as suspended_sentence_orders,
        cast(coalesce(offence_counts.distinct_offence_groups, 0) as integer)
            as distinct_offence_groups,
        most_frequent_groups.most_frequent_offence_group,
        latest_assessments.assessment_id is not null as has_assessment,
        latest_assessments.assessment_date as latest_assessment_date,
        {%- for need in assessment_need_columns() %}
            latest_assessments.{{ need }},
        {%- endfor %}
        latest_assessments.rosh_level,
        latest_assessments.number_of_needs
    from persons
    cross join data_as_of
    left join offence_counts on persons.person_id = offence_counts.person_id
    left join first_proven_offences on persons.person_id = first_proven_offences.person_id
    left join most_frequent_groups on persons.person_id = most_frequent_groups.person_id
    left join sentence_counts on persons.person_id = sentence_counts.person_id
    left join release_counts on persons.person_id = release_counts.person_id
    left join latest_assessments on persons.person_id = latest_assessments.person_id

)

select * from final
