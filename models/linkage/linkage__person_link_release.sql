{#-
    The input of the person links snapshot (snapshots.person_links, docs/methodology.md section 10): each
    record's person id with the id of the release being built, so that every version the snapshot records
    names the release it first appeared in.
-#}

{{ config(materialized='view') }}

with

person_links as (

    select * from {{ ref('linked__person_links') }}

),

final as (

    select
        record_id,
        person_id,
        '{{ release_id() }}' as release_id
    from person_links

)

select * from final
