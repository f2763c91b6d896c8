{#-
    The previous release's person records with a hash of their identity values (macro person_identity_hash),
    to tell which records an extract left unchanged (audit.person_id_stability, docs/methodology.md
    section 10). No rows on a first release or when the previous release has no person identities.
-#}

{%- set previous = previous_release_relation('linkage', 'person_identities') %}

with

{% if previous is not none -%}
previous_person_identities as (

    select * from {{ previous }}

),

{% endif -%}
final as (

    {% if previous is not none -%}
        select
            cast(record_id as varchar) as record_id,
            {{ person_identity_hash() }} as identity_hash
        from previous_person_identities
    {%- else -%}
        select
            cast(null as varchar) as record_id,
            cast(null as varchar) as identity_hash
        where false
    {%- endif %}

)

select * from final
