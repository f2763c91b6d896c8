{#-
    The first proven offence of every person who has one (docs/methodology.md sections 3 and 4; doc
    block youth_first_proven_offence): the counted proven offence (recordable, not a breach; a
    caution or a conviction) with the earliest proven date up to data_as_of, with its age at
    offence. The one place the rule lives: derived.offender_histories and
    derived.first_time_entrants read it from here.
-#}

with

proven_offences as (

    select * from {{ ref('linked__proven_offences') }}

),

extract_dates as (

    select * from {{ ref('linked__extract_dates') }}

),

data_as_of as (

    select min(data_as_of) as data_as_of from extract_dates

),

counted_offences as (

    select proven_offences.*
    from proven_offences
    cross join data_as_of
    where {{ is_counted_by_data_as_of('proven_offences', 'data_as_of') }}

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
