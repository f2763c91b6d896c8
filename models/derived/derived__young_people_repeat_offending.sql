{#-
    Young people's repeat offending (docs/methodology.md section 3; doc block youth_cohort): the
    people convicted of at least one counted offence committed in the cohort year Y while aged 18,
    one row each, with their offending as children (youth convictions, cautions, custody) and as
    adults, and their needs from the offender assessment nearest the cohort conviction. Y is the var
    `young_people_cohort_year`; null means the latest year with complete data.
-#}

{%- set requested_cohort_year = var('young_people_cohort_year', none) -%}
{%- if requested_cohort_year is not none
    and (requested_cohort_year | string | trim) != (requested_cohort_year | int | string) -%}
    {{ exceptions.raise_compiler_error(
        "var young_people_cohort_year must be a year such as 2019, or null for the latest"
        ~ " complete year; got " ~ requested_cohort_year
    ) }}
{%- endif -%}
{%- set requested_cohort_year_sql =
    'null' if requested_cohort_year is none else requested_cohort_year | int | string -%}
{%- set string_type = api.Column.translate_type('string') %}

with

persons as (

    select * from {{ ref('linked__persons') }}

),

counted_proven_offences as (

    select * from {{ ref('derived_int__counted_offences') }}

),

court_disposals as (

    select * from {{ ref('linked__court_disposals') }}

),

custody_releases as (

    select * from {{ ref('linked__custody_releases') }}

),

assessments as (

    select * from {{ ref('linked__assessments') }}

),

-- the warehouse's data_as_of: the earliest extract date of the sources
data_as_of as (

    select * from {{ ref('derived_int__reporting_period') }}

),

-- the candidates for Y: the var's year (null when the var is null), and two and three years before
-- the year of data_as_of, one of which is the latest complete year
candidate_years as (

    select
        data_as_of,
        cast({{ requested_cohort_year_sql }} as integer) as candidate_year,
        true as is_requested
    from data_as_of

    union all

    select
        data_as_of,
        cast(extract(year from data_as_of) as integer) - 2 as candidate_year,
        false as is_requested
    from data_as_of

    union all

    select
        data_as_of,
        cast(extract(year from data_as_of) as integer) - 3 as candidate_year,
        false as is_requested
    from data_as_of

),

year_ends as (

    select
        *,
        cast(
            {{ dbt.concat([dbt.cast('candidate_year', string_type), "'-12-31'"]) }} as date
        ) as year_end
    from candidate_years

),

-- a year is complete when its 31 December plus 18 months is on or before data_as_of, so that
-- offences committed in the year have had the waiting period to be proven
year_completeness as (

    select
        *,
        cast({{ dbt.dateadd('month', 18, 'year_end') }} as date) <= data_as_of as is_complete
    from year_ends

),

-- the var's year, kept even when incomplete (and flagged), or else the latest complete year
cohort_year as (

    select
        data_as_of,
        coalesce(
            max(case when is_requested then candidate_year end),
            max(case when not is_requested and is_complete then candidate_year end)
        ) as cohort_year,
        coalesce(
            max(case when is_requested then is_complete end),
            true
        ) as is_cohort_complete
    from year_completeness
    group by data_as_of

),

-- counted proven offences as of data_as_of (derived_int.counted_offences), with a known age
counted_offences as (

    select * from counted_proven_offences
    where age_at_offence is not null

),

convictions as (

    select * from counted_offences
    where outcome_type = 'conviction'

),

-- the cohort: convicted of an offence committed in Y while aged 18 (a caution does not count)
cohort_offences as (

    select
        convictions.person_id,
        convictions.offence_date,
        convictions.proven_date
    from convictions
    inner join cohort_year
        on cast(extract(year from convictions.offence_date) as integer) = cohort_year.cohort_year
    where convictions.age_at_offence = 18

),

cohort as (

    select
        person_id,
        min(offence_date) as cohort_offence_date,
        min(proven_date) as cohort_conviction_date
    from cohort_offences
    group by person_id

),

cohort_persons as (

    select
        cohort.person_id,
        cohort.cohort_offence_date,
        cohort.cohort_conviction_date,
        persons.sex,
        persons.ethnicity_group,
        persons.region_code,
        persons.region_name,
        persons.deprivation_decile,
        persons.date_of_birth,
        -- the same date 18 years on; 28 February for a 29 February birthday
        cast({{ dbt.dateadd('year', 18, 'persons.date_of_birth') }} as date) as date_18_years_on
    from cohort
    inner join persons on cohort.person_id = persons.person_id

),

-- the 18th birthday: a 29 February birthday falls on 1 March (as for the ages at offence)
cohort_members as (

    select
        *,
        case
            when extract(month from date_of_birth) = 2 and extract(day from date_of_birth) = 29
                then cast({{ dbt.dateadd('day', 1, 'date_18_years_on') }} as date)
            else date_18_years_on
        end as eighteenth_birthday
    from cohort_persons

),

-- the cohort's convicted offences, as a child (aged 10-17 at the offence) or as an adult
cohort_convictions as (

    select
        convictions.person_id,
        convictions.proven_date as conviction_date,
        convictions.offence_date,
        convictions.age_at_offence,
        convictions.offence_group_code,
        convictions.offence_group,
        case when convictions.age_at_offence between 10 and 17 then 'youth' else 'adult' end
            as period
    from convictions
    inner join cohort on convictions.person_id = cohort.person_id

),

-- conviction occasions: one per person and conviction date (docs/methodology.md section 3); youth
-- when an offence of the occasion was committed aged 10-17, adult when one was committed aged 18
-- or over
conviction_occasions as (

    select
        person_id,
        conviction_date,
        max(case when period = 'youth' then 1 else 0 end) as is_youth_conviction,
        max(case when period = 'adult' then 1 else 0 end) as is_adult_conviction,
        -- the earliest offence of the occasion and the age at it
        min(offence_date) as offence_date,
        min(age_at_offence) as age_at_offence
    from cohort_convictions
    group by person_id, conviction_date

),

-- the first conviction is the occasion that convicted the earliest offence: occasions are ordered
-- by offence date, not conviction date (docs/methodology.md section 3), so its age is the lowest
-- age at offence of any occasion, 10 to 18 for every cohort member whatever the court delays
conviction_counts as (

    select
        person_id,
        sum(is_youth_conviction) as youth_convictions,
        sum(is_adult_conviction) as adult_convictions,
        min(offence_date) as first_conviction_offence_date,
        min(age_at_offence) as age_at_first_conviction
    from conviction_occasions
    group by person_id

),

-- cautions for offences committed aged 10-17: one per person and caution date
youth_cautions as (

    select
        counted_offences.person_id,
        count(distinct counted_offences.proven_date) as youth_cautions
    from counted_offences
    inner join cohort on counted_offences.person_id = cohort.person_id
    where
        counted_offences.outcome_type = 'caution'
        and counted_offences.age_at_offence between 10 and 17
    group by counted_offences.person_id

),

-- convicted offences per offence group, as a child and as an adult
group_counts as (

    select
        person_id,
        period,
        offence_group_code,
        offence_group,
        count(*) as offences,
        max(offence_date) as last_offence_date
    from cohort_convictions
    group by person_id, period, offence_group_code, offence_group

),

-- the most frequent group, as a child and as an adult (macro offence_group_rank)
group_ranked as (

    select
        *,
        {{ offence_group_rank('person_id, period') }} as group_rank
    from group_counts

),

offence_groups as (

    select
        person_id,
        max(case when period = 'youth' and group_rank = 1 then offence_group end)
            as youth_offence_group,
        max(case when period = 'adult' and group_rank = 1 then offence_group end)
            as adult_offence_group,
        sum(case when period = 'youth' then offences else 0 end) as youth_convicted_offences,
        sum(case when period = 'adult' then offences else 0 end) as adult_convicted_offences
    from group_ranked
    group by person_id

),

-- court sentences passed before the 18th birthday
youth_sentences as (

    select
        cohort_members.person_id,
        max(case when court_disposals.is_custodial then 1 else 0 end) as has_custody,
        max(
            case when court_disposals.juvenile_disposal_group = 'Referral order' then 1 else 0 end
        ) as has_referral_order,
        max(
            case
                when court_disposals.juvenile_disposal_group = 'Youth rehabilitation order' then 1
                else 0
            end
        ) as has_youth_rehabilitation_order
    from cohort_members
    inner join court_disposals
        on
            cohort_members.person_id = court_disposals.person_id
            and court_disposals.sentence_date < cohort_members.eighteenth_birthday
    group by cohort_members.person_id

),

-- releases from a custodial sentence passed (or, without a sentence date, begun) before 18
youth_custody_releases as (

    select distinct cohort_members.person_id
    from cohort_members
    inner join custody_releases
        on
            cohort_members.person_id = custody_releases.person_id
            and coalesce(custody_releases.sentence_date, custody_releases.reception_date)
            < cohort_members.eighteenth_birthday

),

-- the assessment nearest the first cohort conviction, before or after it; on equal distance the
-- earlier, then the lowest id
assessments_timed as (

    select
        assessments.*,
        {{ dbt.datediff('cohort.cohort_conviction_date', 'assessments.assessment_date', 'day') }}
            as days_from_cohort_conviction
    from assessments
    inner join cohort on assessments.person_id = cohort.person_id
    cross join data_as_of
    where assessments.assessment_date <= data_as_of.data_as_of

),

assessments_ranked as (

    select
        *,
        row_number() over (
            partition by person_id
            order by abs(days_from_cohort_conviction) asc, assessment_date asc, assessment_id asc
        ) as nearness_rank
    from assessments_timed

),

nearest_assessments as (

    select * from assessments_ranked
    where nearness_rank = 1

),

joined as (

    select
        cohort_members.person_id,
        cohort_year.cohort_year,
        cohort_year.is_cohort_complete,
        cohort_year.data_as_of,
        cohort_members.cohort_offence_date,
        cohort_members.cohort_conviction_date,
        coalesce(conviction_counts.youth_convictions, 0) as youth_convictions,
        conviction_counts.first_conviction_offence_date,
        conviction_counts.age_at_first_conviction,
        coalesce(youth_cautions.youth_cautions, 0) as youth_cautions,
        coalesce(youth_sentences.has_custody, 0) = 1
        or youth_custody_releases.person_id is not null as has_custody_before_18,
        coalesce(youth_sentences.has_referral_order, 0) = 1 as has_referral_order_before_18,
        coalesce(youth_sentences.has_youth_rehabilitation_order, 0) = 1
            as has_youth_rehabilitation_order_before_18,
        coalesce(offence_groups.youth_convicted_offences, 0) as youth_convicted_offences,
        offence_groups.youth_offence_group,
        coalesce(conviction_counts.adult_convictions, 0) as adult_convictions,
        coalesce(offence_groups.adult_convicted_offences, 0) as adult_convicted_offences,
        offence_groups.adult_offence_group,
        {{ dbt.datediff('cohort_members.eighteenth_birthday', 'cohort_year.data_as_of', 'day') }}
            as adult_follow_up_days,
        nearest_assessments.assessment_id is not null as has_assessment,
        nearest_assessments.assessment_date,
        nearest_assessments.days_from_cohort_conviction,
        {%- for need in assessment_need_columns() %}
            nearest_assessments.{{ need }},
        {%- endfor %}
        nearest_assessments.rosh_level,
        nearest_assessments.number_of_needs,
        cohort_members.sex,
        cohort_members.ethnicity_group,
        cohort_members.region_code,
        cohort_members.region_name,
        cohort_members.deprivation_decile
    from cohort_members
    cross join cohort_year
    left join conviction_counts on cohort_members.person_id = conviction_counts.person_id
    left join youth_cautions on cohort_members.person_id = youth_cautions.person_id
    left join youth_sentences on cohort_members.person_id = youth_sentences.person_id
    left join youth_custody_releases
        on cohort_members.person_id = youth_custody_releases.person_id
    left join offence_groups on cohort_members.person_id = offence_groups.person_id
    left join nearest_assessments on cohort_members.person_id = nearest_assessments.person_id

),

final as (

    select
        person_id,
        cohort_year,
        is_cohort_complete,
        data_as_of,
        cohort_offence_date,
        cohort_conviction_date,
        cast(youth_convictions as integer) as youth_convictions,
        case
            when youth_convictions = 0 then '0'
            when youth_convictions <= 2 then '1-2'
            when youth_convictions = 3 then '3'
            when youth_convictions <= 6 then '4-6'
            when youth_convictions <= 9 then '7-9'
            else '10+'
        end as youth_conviction_band,
        youth_convictions >= 3 as is_prolific_young_offender,
        first_conviction_offence_date,
        cast(age_at_first_conviction as integer) as age_at_first_conviction,
        cast(youth_cautions as integer) as youth_cautions,
        has_custody_before_18,
        has_referral_order_before_18,
        has_youth_rehabilitation_order_before_18,
        cast(youth_convicted_offences as integer) as youth_convicted_offences,
        youth_offence_group,
        cast(adult_convictions as integer) as adult_convictions,
        cast(adult_convicted_offences as integer) as adult_convicted_offences,
        adult_offence_group,
        cast(adult_follow_up_days as integer) as adult_follow_up_days,
        has_assessment,
        assessment_date,
        cast(days_from_cohort_conviction as integer) as days_from_cohort_conviction_to_assessment,
        {%- for need in assessment_need_columns() %}
            {{ need }},
        {%- endfor %}
        rosh_level,
        number_of_needs,
        sex,
        ethnicity_group,
        region_code,
        region_name,
        deprivation_decile
    from joined

)

select * from final
