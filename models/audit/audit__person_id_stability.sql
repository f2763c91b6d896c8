{#-
    How stable person ids are between the previous release and this one (docs/methodology.md section 10).
    One row per build. A previous person is unchanged when every one of its records is still in the extract
    with the same identity values and no record new to this extract is linked to any of them: its data did
    not change, so only a change of clustering can cost it its id. Without a previous release (or one
    without person links) every measure is null.
-#}

with

previous_person_links as (

    select * from {{ ref('linkage__previous_person_links') }}

),

previous_identity_hashes as (

    select * from {{ ref('linkage__previous_identity_hashes') }}

),

person_links as (

    select * from {{ ref('linked__person_links') }}

),

person_identities as (

    select * from {{ ref('linkage__person_identities') }}

),

person_id_history as (

    select * from {{ ref('linked__person_id_history') }}

),

identity_hashes as (

    select
        record_id,
        {{ person_identity_hash() }} as identity_hash
    from person_identities

),

-- The people of this release holding a record that was not in the previous release.
people_with_new_records as (

    select distinct person_links.person_id
    from person_links
    left join previous_person_links
        on person_links.record_id = previous_person_links.record_id
    where previous_person_links.record_id is null

),

previous_records as (

    select
        previous_person_links.person_id as previous_person_id,
        person_links.person_id as current_person_id,
        coalesce(
            person_links.record_id is not null
            and previous_identity_hashes.identity_hash = identity_hashes.identity_hash,
            false
        ) as is_record_unchanged,
        people_with_new_records.person_id is not null as has_new_records
    from previous_person_links
    left join person_links
        on previous_person_links.record_id = person_links.record_id
    left join previous_identity_hashes
        on previous_person_links.record_id = previous_identity_hashes.record_id
    left join identity_hashes
        on previous_person_links.record_id = identity_hashes.record_id
    left join people_with_new_records
        on person_links.person_id = people_with_new_records.person_id

),

previous_people as (

    select
        previous_person_id,
        bool_and(is_record_unchanged) and not bool_or(has_new_records) as is_unchanged,
        bool_or(current_person_id = previous_person_id) as keeps_id
    from previous_records
    group by previous_person_id

),

people_counts as (

    select
        count(*) as previous_people,
        count(*) filter (where is_unchanged) as unchanged_people,
        count(*) filter (where is_unchanged and keeps_id) as unchanged_people_keeping_id
    from previous_people

),

retirements as (

    select
        previous_person_id,
        bool_or(successor_person_id is not null) as has_successor
    from person_id_history
    where release_id = '{{ release_id() }}' and is_retired
    group by previous_person_id

),

retirement_counts as (

    select
        count(*) as retired_person_ids,
        count(*) filter (where has_successor) as retired_with_successor,
        count(*) filter (where not has_successor) as retired_with_reason_only
    from retirements

),

new_ids as (

    select count(distinct person_links.person_id) as new_person_ids
    from person_links
    left join previous_people
        on person_links.person_id = previous_people.previous_person_id
    where previous_people.previous_person_id is null

),

-- Without a previous release there is nothing to compare: every measure is null.
final as (

    select
        '{{ release_id() }}' as release_id,
        people_counts.previous_people > 0 as has_previous_release,
        nullif(people_counts.previous_people, 0) as previous_people,
        case
            when people_counts.previous_people > 0 then people_counts.unchanged_people
        end as unchanged_people,
        case
            when people_counts.previous_people > 0 then people_counts.unchanged_people_keeping_id
        end as unchanged_people_keeping_id,
        cast(people_counts.unchanged_people_keeping_id as double)
        / nullif(people_counts.unchanged_people, 0) as unchanged_share_keeping_id,
        case
            when people_counts.previous_people > 0 then retirement_counts.retired_person_ids
        end as retired_person_ids,
        case
            when people_counts.previous_people > 0 then retirement_counts.retired_with_successor
        end as retired_with_successor,
        case
            when people_counts.previous_people > 0 then retirement_counts.retired_with_reason_only
        end as retired_with_reason_only,
        case
            when people_counts.previous_people > 0 then new_ids.new_person_ids
        end as new_person_ids
    from people_counts
    cross join retirement_counts
    cross join new_ids

)

select * from final
