{#-
    Proven offences (docs/methodology.md section 1): the offences of linked_checks.proven_offences
    that pass its checks. The rows left out are in audit.linked_exclusions.
-#}

with

checked as (

    select * from {{ ref('linked_checks__proven_offences') }}

),

final as (

    select
        proven_offence_id,
        person_id,
        pnc_id,
        offence_code,
        offence_description,
        offence_group_code,
        offence_group,
        offence_date,
        proven_date,
        outcome_code,
        outcome_type,
        disposal_type,
        sentence_length_days,
        court_code,
        is_recordable,
        is_breach,
        seriousness_rank,
        is_counted,
        conviction_occasion_id,
        age_at_offence,
        is_juvenile_at_offence
    from checked
    where exclusion_reason is null

)

select * from final
