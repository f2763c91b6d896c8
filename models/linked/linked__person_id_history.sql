{#-
    The person id history (docs/methodology.md section 10): what became of every person id of the previous
    release that this release does not keep unchanged, added to the history carried from the previous
    release. Per previous id, from where its records are now:
    - records_removed: none of its records are in this extract (no successor; retired);
    - merged: its records are all in one person that holds another id (retired);
    - split: its records are in several people: one row per person other than the id's own holder, retired
      when no person holds the id any more.
    An id kept by the one person holding its records has no row, nor has a new person. A rebuild of a
    release replaces that release's rows.
-#}

with

previous_person_links as (

    select * from {{ ref('linkage__previous_person_links') }}

),

person_links as (

    select * from {{ ref('linked__person_links') }}

),

previous_person_id_history as (

    select * from {{ ref('linkage__previous_person_id_history') }}

),

current_ids as (

    select distinct person_id
    from person_links

),

-- Where the records of each previous id are now: one row per (previous id, current id), the
-- current id null for the records no longer in the extract.
movements as (

    select
        previous_person_links.person_id as previous_person_id,
        person_links.person_id as successor_person_id,
        count(*) as records
    from previous_person_links
    left join person_links
        on previous_person_links.record_id = person_links.record_id
    group by previous_person_links.person_id, person_links.person_id

),

previous_people as (

    select
        movements.previous_person_id,
        count(movements.successor_person_id) as current_people,
        bool_and(current_ids.person_id is null) as is_retired
    from movements
    left join current_ids
        on movements.previous_person_id = current_ids.person_id
    group by movements.previous_person_id

),

changes as (

    select
        movements.previous_person_id,
        movements.successor_person_id,
        case
            when previous_people.current_people = 0 then 'records_removed'
            when previous_people.current_people = 1 then 'merged'
            else 'split'
        end as change,
        movements.records as records_moved,
        previous_people.is_retired
    from movements
    inner join previous_people
        on movements.previous_person_id = previous_people.previous_person_id
    where
        previous_people.current_people = 0
        or (
            movements.successor_person_id != movements.previous_person_id
            and (previous_people.current_people > 1 or previous_people.is_retired)
        )

),

this_release as (

    select
        '{{ release_id() }}' as release_id,
        previous_person_id,
        successor_person_id,
        change,
        records_moved,
        is_retired
    from changes

),

carried_forward as (

    select
        release_id,
        previous_person_id,
        successor_person_id,
        change,
        records_moved,
        is_retired
    from previous_person_id_history
    where release_id != '{{ release_id() }}'

),

history as (

    select * from carried_forward
    union all
    select * from this_release

),

final as (

    select
        concat_ws(':', release_id, previous_person_id, coalesce(successor_person_id, ''))
            as change_id,
        release_id,
        previous_person_id,
        successor_person_id,
        change,
        cast(records_moved as bigint) as records_moved,
        is_retired
    from history

)

select * from final
