{#-
    Releases from custody after a custodial sentence or recall: the rows of
    linked_checks.custody_releases with a person. The rows left out are in audit.linked_exclusions.
-#}

with

checked as (

    select * from {{ ref('linked_checks__custody_releases') }}

),

final as (

    select
        custody_release_id,
        person_id,
        prison_number,
        establishment_code,
        reception_date,
        reception_reason,
        is_recall,
        sentence_date,
        sentence_length_days,
        release_date,
        release_reason
    from checked
    where exclusion_reason is null

)

select * from final
