{#-
    Every event that can start a proven-reoffending cohort (docs/methodology.md section 2, doc block
    `derived_index_events`), at any age and on any date: releases from sentenced custody,
    non-custodial sentencing occasions at court that include a counted offence, and caution
    occasions that include a counted offence, each with its index disposal and principal (index)
    offence. Choosing one event per person per quarter and the age rule are left to
    derived.proven_reoffending.
-#}

with

custody_releases as (

    select * from {{ ref('linked__custody_releases') }}

),

court_disposals as (

    select * from {{ ref('linked__court_disposals') }}

),

proven_offences as (

    select * from {{ ref('linked__proven_offences') }}

),

-- 1. Releases from custody. The custodial sentence served is found in the courts data: the
-- person's custodial disposals on the release's sentence date, those of the sentence with the
-- release's length first; its principal offence (most serious, tie lowest code) is the index
-- offence.
release_offences as (

    select
        custody_releases.custody_release_id,
        court_disposals.disposal_code,
        court_disposals.offence_code,
        court_disposals.offence_group_code,
        court_disposals.seriousness_rank,
        row_number() over (
            partition by custody_releases.custody_release_id
            order by
                case
                    when
                        court_disposals.sentence_length_days
                        = custody_releases.sentence_length_days
                        then 0
                    else 1
                end,
                court_disposals.seriousness_rank asc,
                court_disposals.offence_code asc,
                court_disposals.court_disposal_id asc
        ) as offence_order
    from custody_releases
    inner join court_disposals
        on
            custody_releases.person_id = court_disposals.person_id
            and custody_releases.sentence_date = court_disposals.sentence_date
            and court_disposals.is_custodial

),

release_events as (

    select
        {{ dbt.concat(["'custody_release:'", 'custody_releases.custody_release_id']) }}
            as index_event_id,
        custody_releases.person_id,
        'custody_release' as index_event_type,
        custody_releases.release_date as index_date,
        release_offences.disposal_code as index_disposal_type,
        custody_releases.sentence_length_days as index_sentence_length_days,
        release_offences.offence_code as index_offence_code,
        release_offences.offence_group_code as index_offence_group_code,
        release_offences.seriousness_rank as index_offence_seriousness_rank
    from custody_releases
    left join release_offences
        on
            custody_releases.custody_release_id = release_offences.custody_release_id
            and release_offences.offence_order = 1

),

-- 2. Court orders: a sentencing occasion (person, case, sentence date) with no custodial
-- disposal and at least one counted offence (recordable, not a breach).
sentencing_occasions as (

    select
        person_id,
        case_id,
        sentence_date,
        max(case when is_custodial then 1 else 0 end) as has_custodial_disposal,
        max(case when is_recordable and not is_breach then 1 else 0 end) as has_counted_offence
    from court_disposals
    group by person_id, case_id, sentence_date

),

court_order_offences as (

    select
        court_disposals.person_id,
        court_disposals.case_id,
        court_disposals.sentence_date,
        court_disposals.disposal_code,
        court_disposals.sentence_length_days,
        court_disposals.offence_code,
        court_disposals.offence_group_code,
        court_disposals.seriousness_rank,
        row_number() over (
            partition by
                court_disposals.person_id, court_disposals.case_id, court_disposals.sentence_date
            order by
                court_disposals.seriousness_rank asc,
                court_disposals.offence_code asc,
                court_disposals.court_disposal_id asc
        ) as offence_order
    from court_disposals
    inner join sentencing_occasions
        on
            court_disposals.person_id = sentencing_occasions.person_id
            and court_disposals.case_id = sentencing_occasions.case_id
            and court_disposals.sentence_date = sentencing_occasions.sentence_date
    where
        sentencing_occasions.has_custodial_disposal = 0
        and sentencing_occasions.has_counted_offence = 1

),

court_order_events as (

    select
        {{ dbt.concat([
            "'court_order:'",
            'person_id',
            "':'",
            'case_id',
            "':'",
            dbt.cast('sentence_date', api.Column.translate_type('string')),
        ]) }} as index_event_id,
        person_id,
        'court_order' as index_event_type,
        sentence_date as index_date,
        disposal_code as index_disposal_type,
        sentence_length_days as index_sentence_length_days,
        offence_code as index_offence_code,
        offence_group_code as index_offence_group_code,
        seriousness_rank as index_offence_seriousness_rank
    from court_order_offences
    where offence_order = 1

),

-- 3. Cautions: a caution occasion (person, caution date) that includes a counted offence. Only
-- convictions and cautions are proven offences, so penalty notices and community resolutions never
-- reach linked.proven_offences; the outcome type is checked here all the same.
caution_offences as (

    select
        person_id,
        proven_date,
        outcome_code,
        offence_code,
        offence_group_code,
        seriousness_rank,
        max(case when is_counted then 1 else 0 end)
            over (partition by person_id, proven_date)
            as has_counted_offence,
        row_number() over (
            partition by person_id, proven_date
            order by seriousness_rank asc, offence_code asc, proven_offence_id asc
        ) as offence_order
    from proven_offences
    where outcome_type = 'caution'

),

caution_events as (

    select
        {{ dbt.concat([
            "'caution:'",
            'person_id',
            "':'",
            dbt.cast('proven_date', api.Column.translate_type('string')),
        ]) }} as index_event_id,
        person_id,
        'caution' as index_event_type,
        proven_date as index_date,
        outcome_code as index_disposal_type,
        cast(null as integer) as index_sentence_length_days,
        offence_code as index_offence_code,
        offence_group_code as index_offence_group_code,
        seriousness_rank as index_offence_seriousness_rank
    from caution_offences
    where offence_order = 1 and has_counted_offence = 1

),

unioned as (

    select * from release_events
    union all
    select * from court_order_events
    union all
    select * from caution_events

),

final as (

    select
        cast(index_event_id as {{ api.Column.translate_type('string') }}) as index_event_id,
        cast(person_id as {{ api.Column.translate_type('string') }}) as person_id,
        cast(index_event_type as {{ api.Column.translate_type('string') }}) as index_event_type,
        cast(index_date as date) as index_date,
        cast(index_disposal_type as {{ api.Column.translate_type('string') }})
            as index_disposal_type,
        cast(index_sentence_length_days as integer) as index_sentence_length_days,
        cast(index_offence_code as {{ api.Column.translate_type('string') }}) as index_offence_code,
        cast(index_offence_group_code as {{ api.Column.translate_type('string') }})
            as index_offence_group_code,
        cast(index_offence_seriousness_rank as integer) as index_offence_seriousness_rank
    from unioned

)

select * from final
