{#-
    Sentences passed at court: the rows of linked_checks.court_disposals with a person. The rows
    left out are in audit.linked_exclusions.
-#}

with

checked as (

    select * from {{ ref('linked_checks__court_disposals') }}

),

final as (

    select
        court_disposal_id,
        person_id,
        case_id,
        court_code,
        court_type,
        offence_code,
        offence_group_code,
        is_recordable,
        is_breach,
        seriousness_rank,
        offence_date,
        conviction_date,
        sentence_date,
        disposal_code,
        disposal_category,
        is_custodial,
        adult_disposal_group,
        juvenile_disposal_group,
        sentence_length_days,
        is_principal_offence
    from checked
    where exclusion_reason is null

)

select * from final
