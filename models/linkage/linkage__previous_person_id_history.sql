{#-
    The previous release's person id history (docs/methodology.md section 10), carried into this release's
    linked.person_id_history and into the ids that may never be issued again. No rows on a first release or
    when the previous release has no history.
-#}

with

final as (

    {{ previous_release_rows('linked', 'person_id_history', [
        {'name': 'change_id', 'type': dbt.type_string()},
        {'name': 'release_id', 'type': dbt.type_string()},
        {'name': 'previous_person_id', 'type': dbt.type_string()},
        {'name': 'successor_person_id', 'type': dbt.type_string()},
        {'name': 'change', 'type': dbt.type_string()},
        {'name': 'records_moved', 'type': 'bigint'},
        {'name': 'is_retired', 'type': 'boolean'}
    ]) }}

)

select * from final
