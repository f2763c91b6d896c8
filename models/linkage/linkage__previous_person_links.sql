{#-
    The previous release's person links (docs/methodology.md section 10): the person id each record had in
    the release published before this one, read from its linked.person_links (attached read-only as the
    catalog `previous`). No rows on a first release or when the previous release has no person links.
-#}

with

final as (

    {{ previous_release_rows('linked', 'person_links', [
        {'name': 'record_id', 'type': dbt.type_string()},
        {'name': 'person_id', 'type': dbt.type_string()}
    ]) }}

)

select * from final
