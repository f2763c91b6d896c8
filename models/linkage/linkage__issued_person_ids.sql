{#-
    Every person id issued in this lineage of releases before this one (docs/methodology.md section 10): the
    ids of the previous release's person links and every id its person id history names, retired ones
    included. A new person never gets one of these ids.
-#}

with

previous_person_links as (

    select * from {{ ref('linkage__previous_person_links') }}

),

previous_person_id_history as (

    select * from {{ ref('linkage__previous_person_id_history') }}

),

held_ids as (

    select distinct person_id
    from previous_person_links

),

history_ids as (

    select previous_person_id as person_id
    from previous_person_id_history
    union
    select successor_person_id as person_id
    from previous_person_id_history
    where successor_person_id is not null

),

final as (

    select
        coalesce(held_ids.person_id, history_ids.person_id) as person_id,
        held_ids.person_id is not null as is_held_in_previous_release
    from held_ids
    full outer join history_ids
        on held_ids.person_id = history_ids.person_id

)

select * from final
