{#-
    The previous release's person records with a hash of their identity values (macro person_identity_hash),
    to tell which records an extract left unchanged (audit.person_id_stability, docs/methodology.md
    section 10). No rows on a first release or when the previous release has no person identities.
-#}

with

final as (

    {{ previous_release_rows('linkage', 'person_identities', [
        {'name': 'record_id', 'type': dbt.type_string()},
        {'name': 'identity_hash', 'type': dbt.type_string(), 'expression': person_identity_hash()}
    ]) }}

)

select * from final
