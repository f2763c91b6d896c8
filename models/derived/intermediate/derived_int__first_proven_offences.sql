{#-
    The first proven offence of every person who has one (docs/methodology.md sections 3 and 4; doc
    block youth_first_proven_offence): the counted proven offence as of data_as_of
    (derived_int.counted_offences; a caution or a conviction) with the earliest proven date, with its
    age at offence. The one place the rule lives: derived.offender_histories and
    derived.first_time_entrants read it from here.
-#}

with

counted_offences as (

    select * from {{ ref('derived_int__counted_offences') }}

),

-- earliest proven date, then earliest offence date, then the most serious, then the lowest id
offences_ranked as (

    select
        *,
        row_number() over (
            partition by person_id
            order by proven_date, offence_date, seriousness_rank, proven_offence_id
        ) as offence_number
    from counted_offences

),

final as (

    select
        person_id,
        proven_offence_id as first_proven_offence_id,
        proven_date as first_proven_date,
        offence_date as first_offence_date,
        age_at_offence as age_at_first_proven_offence,
        outcome_type as first_outcome_type,
        offence_group as first_offence_group
    from offences_ranked
    where offence_number = 1

)

select * from final
