-- A person id issued before this release is held now only by a person that shares a record
-- with the previous release's holder of that id: an id is never given to a new person, nor
-- revived once retired. Returns one row per reused id; passes when empty (docs/methodology.md
-- section 10).
with

issued_person_ids as (

    select * from {{ ref('linkage__issued_person_ids') }}

),

previous_person_links as (

    select * from {{ ref('linkage__previous_person_links') }}

),

person_links as (

    select * from {{ ref('linked__person_links') }}

),

current_ids as (

    select distinct person_id
    from person_links

),

carried_over as (

    select distinct person_links.person_id
    from person_links
    inner join previous_person_links
        on
            person_links.record_id = previous_person_links.record_id
            and person_links.person_id = previous_person_links.person_id

),

final as (

    select current_ids.person_id
    from current_ids
    inner join issued_person_ids
        on current_ids.person_id = issued_person_ids.person_id
    left join carried_over
        on current_ids.person_id = carried_over.person_id
    where carried_over.person_id is null

)

select * from final
