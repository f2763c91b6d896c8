{#-
    Proven reoffending (docs/methodology.md section 2): one row per person per cohort quarter, for
    the earliest eligible index event of the quarter, with the person's previous offences,
    reoffences in the follow-up year proven by the end of the waiting period, and the breakdowns of
    the published tables. The rules and the project's choices are in the doc blocks of
    models/derived/_derived__docs.md.
-#}

{%- set string_type = api.Column.translate_type('string') -%}

with

index_events as (

    select * from {{ ref('derived_int__index_events') }}

),

persons as (

    select * from {{ ref('linked__persons') }}

),

proven_offences as (

    select * from {{ ref('linked__proven_offences') }}

),

disposal_groups as (

    select * from {{ ref('derived_int__disposal_groups') }}

),

offence_groups as (

    select * from {{ ref('reference__offence_groups') }}

),

-- The last day every source could record anything: the earliest extract date.
data_as_of as (

    select * from {{ ref('derived_int__reporting_period') }}

),

-- Proven offences that count as reoffences and previous offences: recordable, not breaches.
counted_offences as (

    select
        person_id,
        offence_date,
        proven_date
    from proven_offences
    where is_counted

),

events_with_people as (

    select
        index_events.*,
        persons.date_of_birth,
        persons.sex,
        persons.ethnicity_group,
        persons.region_code,
        persons.region_name,
        persons.police_force_code,
        -- completed years on the index date (a 29 February birthday is 1 March in other years)
        cast(
            extract(year from index_events.index_date) - extract(year from persons.date_of_birth)
            - case
                when
                    extract(month from index_events.index_date) * 100
                    + extract(day from index_events.index_date)
                    < extract(month from persons.date_of_birth) * 100
                    + extract(day from persons.date_of_birth)
                    then 1
                else 0
            end
            as integer
        ) as age_at_index,
        {{ dbt.concat([
            dbt.cast('extract(year from index_events.index_date)', string_type),
            "'-Q'",
            dbt.cast('extract(quarter from index_events.index_date)', string_type),
        ]) }} as cohort_quarter
    from index_events
    left join persons on index_events.person_id = persons.person_id

),

-- Only events up to data_as_of (a source extracted later than another can hold events after it)
-- and on or after the 10th birthday; events of people with no known date of birth are kept.
eligible_events as (

    select events_with_people.*
    from events_with_people
    cross join data_as_of
    where
        events_with_people.index_date <= data_as_of.data_as_of
        and (events_with_people.age_at_index is null or events_with_people.age_at_index >= 10)

),

-- One index event per person per quarter: the earliest; on a tie custody release, then court order,
-- then caution; then the most serious index offence, the lowest offence code, the longest sentence.
ranked_events as (

    select
        *,
        row_number() over (
            partition by person_id, cohort_quarter
            order by
                index_date asc,
                case index_event_type
                    when 'custody_release' then 1
                    when 'court_order' then 2
                    else 3
                end asc,
                index_offence_seriousness_rank asc nulls last,
                index_offence_code asc nulls last,
                index_sentence_length_days desc nulls last,
                index_event_id asc
        ) as event_order
    from eligible_events

),

cohort as (

    select
        ranked_events.*,
        {{ dbt.concat(['ranked_events.person_id', "'-'", 'ranked_events.cohort_quarter']) }}
            as cohort_record_id,
        cast({{ dbt.dateadd('month', 12, 'ranked_events.index_date') }} as date)
            as follow_up_end_date,
        cast({{ dbt.dateadd('month', 18, 'ranked_events.index_date') }} as date)
            as waiting_period_end_date,
        data_as_of.data_as_of
    from ranked_events
    cross join data_as_of
    where ranked_events.event_order = 1

),

-- Proven reoffences: committed in the follow-up year (after the index date) and proven by the end
-- of the waiting period.
reoffences as (

    select
        cohort.cohort_record_id,
        count(*) as reoffences,
        min(counted_offences.offence_date) as first_reoffence_date
    from cohort
    inner join counted_offences
        on
            cohort.person_id = counted_offences.person_id
            and counted_offences.offence_date > cohort.index_date
            and counted_offences.offence_date <= cohort.follow_up_end_date
            and counted_offences.proven_date <= cohort.waiting_period_end_date
    group by cohort.cohort_record_id

),

-- Previous offences: proven before the index date.
previous_offences as (

    select
        cohort.cohort_record_id,
        count(*) as previous_offences
    from cohort
    inner join counted_offences
        on
            cohort.person_id = counted_offences.person_id
            and counted_offences.proven_date < cohort.index_date
    group by cohort.cohort_record_id

),

measured as (

    select
        cohort.*,
        cohort.age_at_index between 10 and 17 as is_juvenile,
        coalesce(previous_offences.previous_offences, 0) as previous_offences,
        coalesce(reoffences.reoffences, 0) as reoffences,
        reoffences.first_reoffence_date
    from cohort
    left join previous_offences on cohort.cohort_record_id = previous_offences.cohort_record_id
    left join reoffences on cohort.cohort_record_id = reoffences.cohort_record_id

),

classified as (

    select
        measured.*,
        offence_groups.offence_group as index_offence_group,
        {{ index_disposal_group(
            'measured.is_juvenile',
            'measured.index_event_type',
            'measured.index_sentence_length_days',
            'disposal_groups'
        ) }} as index_disposal_group
    from measured
    left join disposal_groups on measured.index_disposal_type = disposal_groups.disposal_code
    left join offence_groups
        on measured.index_offence_group_code = offence_groups.offence_group_code

),

final as (

    select
        cast(classified.cohort_record_id as {{ string_type }}) as cohort_record_id,
        cast(classified.person_id as {{ string_type }}) as person_id,
        cast(classified.cohort_quarter as {{ string_type }}) as cohort_quarter,
        cast(extract(year from classified.index_date) as integer) as cohort_year,
        classified.index_date,
        cast(classified.index_event_id as {{ string_type }}) as index_event_id,
        cast(classified.index_event_type as {{ string_type }}) as index_event_type,
        cast(classified.index_disposal_type as {{ string_type }}) as index_disposal_type,
        cast(classified.index_disposal_group as {{ string_type }}) as index_disposal_group,
        classified.index_sentence_length_days,
        cast(classified.index_offence_code as {{ string_type }}) as index_offence_code,
        cast(classified.index_offence_group_code as {{ string_type }}) as index_offence_group_code,
        cast(classified.index_offence_group as {{ string_type }}) as index_offence_group,
        classified.date_of_birth is not null as has_date_of_birth,
        classified.age_at_index,
        cast({{ age_band('classified.age_at_index') }} as {{ string_type }}) as age_band,
        classified.is_juvenile,
        cast(classified.sex as {{ string_type }}) as sex,
        cast(classified.ethnicity_group as {{ string_type }}) as ethnicity_group,
        cast(classified.region_code as {{ string_type }}) as region_code,
        cast(classified.region_name as {{ string_type }}) as region_name,
        cast(classified.police_force_code as {{ string_type }}) as police_force_code,
        cast(classified.previous_offences as integer) as previous_offences,
        cast(
            case
                when classified.previous_offences = 0 then '0'
                when classified.previous_offences <= 2 then '1-2'
                when classified.previous_offences <= 6 then '3-6'
                when classified.previous_offences <= 10 then '7-10'
                else '11+'
            end
            as {{ string_type }}
        ) as previous_offences_band,
        classified.reoffences > 0 as is_reoffender,
        cast(classified.reoffences as integer) as reoffences,
        classified.first_reoffence_date,
        cast(
            {{ dbt.datediff('classified.index_date', 'classified.first_reoffence_date', 'day') }}
            as integer
        ) as days_to_first_reoffence,
        classified.follow_up_end_date,
        classified.waiting_period_end_date,
        classified.data_as_of,
        classified.waiting_period_end_date <= classified.data_as_of as has_complete_follow_up
    from classified

)

select * from final
