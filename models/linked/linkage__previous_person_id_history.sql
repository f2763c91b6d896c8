{#-
    The previous release's person id history (docs/methodology.md section 10), carried into this release's
    linked.person_id_history and into the ids that may never be issued again. No rows on a first release or
    when the previous release has no history.
-#}

{%- set previous = previous_release_relation('linked', 'person_id_history') %}

with

{% if previous is not none -%}
previous_person_id_history as (

    select * from {{ previous }}

),

{% endif -%}
final as (

    {% if previous is not none -%}
        select
            cast(change_id as varchar) as change_id,
            cast(release_id as varchar) as release_id,
            cast(previous_person_id as varchar) as previous_person_id,
            cast(successor_person_id as varchar) as successor_person_id,
            cast(change as varchar) as change,
            cast(records_moved as bigint) as records_moved,
            cast(is_retired as boolean) as is_retired
        from previous_person_id_history
    {%- else -%}
        select
            cast(null as varchar) as change_id,
            cast(null as varchar) as release_id,
            cast(null as varchar) as previous_person_id,
            cast(null as varchar) as successor_person_id,
            cast(null as varchar) as change,
            cast(null as bigint) as records_moved,
            cast(null as boolean) as is_retired
        where false
    {%- endif %}

)

select * from final
