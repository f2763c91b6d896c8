{#-
    One row per linked person: demographics chosen from the person's staged records by the
    survivorship rules of the doc block `persons_survivorship` (models/linked/_linked__docs.md).
    Every candidate value is one row of `candidates` (person, attribute, value, whether a PNC record
    holds it, when its record was last updated); `ranked` orders the values of each person and
    attribute by the attribute's rule, and the first one survives.
-#}

with

person_links as (

    select * from {{ ref('linked__person_links') }}

),

trusted_pnc_ids as (

    select * from {{ ref('linkage__trusted_pnc_ids') }}

),

pnc_persons as (

    select * from {{ ref('stg_pnc__persons') }}

),

court_defendants as (

    select * from {{ ref('stg_courts__defendants') }}

),

prisoners as (

    select * from {{ ref('stg_prisons__prisoners') }}

),

probation_people as (

    select * from {{ ref('stg_probation__people') }}

),

assessments as (

    select * from {{ ref('stg_oasys__assessments') }}

),

custodial_spells as (

    select * from {{ ref('stg_prisons__custodial_spells') }}

),

probation_events as (

    select * from {{ ref('stg_probation__events') }}

),

postcode_sectors as (

    select * from {{ ref('reference__postcode_sectors') }}

),

areas as (

    select * from {{ ref('reference__areas') }}

),

regions as (

    select * from {{ ref('reference__regions') }}

),

-- The demographics each staged person record carries, keyed as in the person links.
person_records as (

    select
        'pnc.persons' as source_table,
        pnc_id as source_record_id,
        date_of_birth,
        is_date_of_birth_after_events,
        sex,
        ethnicity_group,
        forename_std as forename,
        surname_std as surname,
        postcode,
        last_updated_at
    from pnc_persons

    union all

    select
        'courts.defendants' as source_table,
        defendant_id as source_record_id,
        date_of_birth,
        is_date_of_birth_after_events,
        sex,
        ethnicity_group,
        forename_std as forename,
        surname_std as surname,
        postcode,
        last_updated_at
    from court_defendants

    union all

    select
        'prisons.prisoners' as source_table,
        prison_number as source_record_id,
        date_of_birth,
        is_date_of_birth_after_events,
        sex,
        ethnicity_group,
        forename_std as forename,
        surname_std as surname,
        postcode,
        last_updated_at
    from prisoners

    union all

    select
        'probation.people' as source_table,
        crn as source_record_id,
        date_of_birth,
        is_date_of_birth_after_events,
        sex,
        ethnicity_group,
        forename_std as forename,
        surname_std as surname,
        postcode,
        last_updated_at
    from probation_people

    union all

    select
        'oasys.assessments' as source_table,
        assessment_id as source_record_id,
        date_of_birth,
        false as is_date_of_birth_after_events,
        sex,
        null as ethnicity_group,
        forename_std as forename,
        surname_std as surname,
        postcode,
        last_updated_at
    from assessments

),

linked_records as (

    select
        person_links.person_id,
        person_links.record_id,
        person_links.source_system,
        person_links.source_table,
        person_links.source_table = 'pnc.persons' as is_pnc_record,
        person_records.date_of_birth,
        coalesce(person_records.is_date_of_birth_after_events, false)
            as is_date_of_birth_after_events,
        person_records.sex,
        person_records.ethnicity_group,
        person_records.forename,
        person_records.surname,
        -- A postcode is valid when it is well formed (staging blanks the others) and its sector
        -- is in the postcode directory (reference.postcode_sectors).
        case
            when postcode_sectors.postcode_sector is not null then person_records.postcode
        end as postcode,
        person_records.last_updated_at
    from person_links
    left join person_records
        on
            person_links.source_table = person_records.source_table
            and person_links.source_record_id = person_records.source_record_id
    left join postcode_sectors
        on
            substr(person_records.postcode, 1, length(person_records.postcode) - 2)
            = postcode_sectors.postcode_sector

),

candidates as (

    select
        person_id,
        'date_of_birth' as attribute,
        {{ dbt.cast('date_of_birth', api.Column.translate_type('string')) }} as attribute_value,
        is_pnc_record,
        last_updated_at
    from linked_records
    -- a date of birth later than the person's events in its system never survives
    where date_of_birth is not null and not is_date_of_birth_after_events

    union all

    select
        person_id,
        'sex' as attribute,
        sex as attribute_value,
        is_pnc_record,
        last_updated_at
    from linked_records
    where sex is not null

    union all

    select
        person_id,
        'ethnicity_group' as attribute,
        ethnicity_group as attribute_value,
        is_pnc_record,
        last_updated_at
    from linked_records
    where ethnicity_group is not null and ethnicity_group != 'Not stated'

    union all

    select
        person_id,
        'forename' as attribute,
        forename as attribute_value,
        is_pnc_record,
        last_updated_at
    from linked_records
    where forename is not null

    union all

    select
        person_id,
        'surname' as attribute,
        surname as attribute_value,
        is_pnc_record,
        last_updated_at
    from linked_records
    where surname is not null

    union all

    select
        person_id,
        'postcode' as attribute,
        postcode as attribute_value,
        is_pnc_record,
        last_updated_at
    from linked_records
    where postcode is not null

),

candidate_values as (

    select
        person_id,
        attribute,
        attribute_value,
        count(*) as records_with_value,
        max(case when is_pnc_record then 1 else 0 end) as is_pnc_value,
        max(case when is_pnc_record then last_updated_at end) as last_pnc_updated_at,
        max(last_updated_at) as last_updated_at
    from candidates
    group by person_id, attribute, attribute_value

),

ranked as (

    select
        person_id,
        attribute,
        attribute_value,
        row_number() over (
            partition by person_id, attribute
            order by
                -- names: the value of the most recently updated PNC record, when there is one
                case
                    when attribute in ('forename', 'surname') then last_pnc_updated_at
                end desc nulls last,
                -- postcode: the most recently recorded
                case when attribute = 'postcode' then last_updated_at end desc nulls last,
                -- every attribute: the most frequent value
                records_with_value desc,
                -- date of birth and sex: on a tie, the PNC's value
                case
                    when attribute in ('date_of_birth', 'sex') then is_pnc_value
                end desc nulls last,
                -- then the value of the most recently updated record, then the lowest value
                last_updated_at desc nulls last,
                attribute_value asc
        ) as value_rank
    from candidate_values

),

survivors as (

    select
        person_id,
        cast(
            max(case when attribute = 'date_of_birth' then attribute_value end) as date
        ) as date_of_birth,
        max(case when attribute = 'sex' then attribute_value end) as sex,
        max(case when attribute = 'ethnicity_group' then attribute_value end) as ethnicity_group,
        max(case when attribute = 'forename' then attribute_value end) as forename,
        max(case when attribute = 'surname' then attribute_value end) as surname,
        max(case when attribute = 'postcode' then attribute_value end) as postcode
    from ranked
    where value_rank = 1
    group by person_id

),

person_pnc_ids as (

    select
        linked_records.person_id,
        trusted_pnc_ids.pnc_id_trusted as pnc_id,
        count(*) as records_with_pnc_id
    from linked_records
    inner join trusted_pnc_ids on linked_records.record_id = trusted_pnc_ids.record_id
    where trusted_pnc_ids.pnc_id_trusted is not null
    group by linked_records.person_id, trusted_pnc_ids.pnc_id_trusted

),

ranked_pnc_ids as (

    select
        person_id,
        pnc_id,
        row_number() over (
            partition by person_id
            order by records_with_pnc_id desc, pnc_id asc
        ) as pnc_id_rank
    from person_pnc_ids

),

pnc_ids as (

    select
        person_id,
        max(case when pnc_id_rank = 1 then pnc_id end) as pnc_id,
        count(*) as pnc_id_count
    from ranked_pnc_ids
    group by person_id

),

record_counts as (

    select
        person_id,
        count(*) as records,
        count(distinct source_system) as systems,
        sum(case when source_table = 'pnc.persons' then 1 else 0 end) as pnc_records,
        sum(case when source_table = 'courts.defendants' then 1 else 0 end) as court_records,
        sum(case when source_table = 'prisons.prisoners' then 1 else 0 end) as prison_records,
        sum(case when source_table = 'probation.people' then 1 else 0 end) as probation_records,
        sum(case when source_table = 'oasys.assessments' then 1 else 0 end) as assessment_records,
        sum(
            case when date_of_birth is not null and is_date_of_birth_after_events then 1 else 0 end
        ) as date_of_birth_after_events_records,
        max(last_updated_at) as last_updated_at
    from linked_records
    group by person_id

),

prisoner_links as (

    select
        source_record_id as prison_number,
        person_id
    from person_links
    where source_table = 'prisons.prisoners'

),

probation_links as (

    select
        source_record_id as crn,
        person_id
    from person_links
    where source_table = 'probation.people'

),

deaths_recorded as (

    select
        prisoner_links.person_id,
        custodial_spells.release_date as date_of_death
    from custodial_spells
    inner join prisoner_links on custodial_spells.prison_number = prisoner_links.prison_number
    where custodial_spells.release_reason = 'DIED' and custodial_spells.release_date is not null

    union all

    select
        probation_links.person_id,
        probation_events.termination_date as date_of_death
    from probation_events
    inner join probation_links on probation_events.crn = probation_links.crn
    where
        probation_events.termination_reason = 'died'
        and probation_events.termination_date is not null

),

deaths as (

    select
        person_id,
        min(date_of_death) as date_of_death
    from deaths_recorded
    group by person_id

),

final as (

    select
        record_counts.person_id,
        pnc_ids.pnc_id,
        coalesce(pnc_ids.pnc_id_count, 0) as pnc_id_count,
        survivors.forename,
        survivors.surname,
        survivors.date_of_birth,
        cast(extract(year from survivors.date_of_birth) as integer) as year_of_birth,
        survivors.date_of_birth is null
        and record_counts.date_of_birth_after_events_records > 0 as is_date_of_birth_withheld,
        survivors.sex,
        coalesce(survivors.ethnicity_group, 'Not stated') as ethnicity_group,
        survivors.postcode,
        areas.area_code,
        areas.region_code,
        regions.region_name,
        areas.police_force_code,
        areas.deprivation_decile,
        deaths.date_of_death,
        record_counts.records,
        record_counts.systems,
        record_counts.pnc_records,
        record_counts.court_records,
        record_counts.prison_records,
        record_counts.probation_records,
        record_counts.assessment_records,
        record_counts.date_of_birth_after_events_records,
        record_counts.last_updated_at
    from record_counts
    left join survivors on record_counts.person_id = survivors.person_id
    left join pnc_ids on record_counts.person_id = pnc_ids.person_id
    left join deaths on record_counts.person_id = deaths.person_id
    left join postcode_sectors
        on
            substr(survivors.postcode, 1, length(survivors.postcode) - 2)
            = postcode_sectors.postcode_sector
    left join areas on postcode_sectors.area_code = areas.area_code
    left join regions on areas.region_code = regions.region_code

)

select * from final
