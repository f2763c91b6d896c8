{#-
    The previous release's person links (docs/methodology.md section 10): the person id each record had in
    the release published before this one, read from its linked.person_links (attached read-only as the
    catalog `previous`). No rows on a first release or when the previous release has no person links.
-#}

{%- set previous = previous_release_relation('linked', 'person_links') %}

with

{% if previous is not none -%}
previous_person_links as (

    select * from {{ previous }}

),

{% endif -%}
final as (

    {% if previous is not none -%}
        select
            cast(record_id as varchar) as record_id,
            cast(person_id as varchar) as person_id
        from previous_person_links
    {%- else -%}
        select
            cast(null as varchar) as record_id,
            cast(null as varchar) as person_id
        where false
    {%- endif %}

)

select * from final
