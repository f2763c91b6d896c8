{#-
    The linked people whose date of birth is withheld: every date of birth their records hold is later than
    their offences, sentences, custody or supervision in the same system (a recording error), so
    linked.persons leaves it null. Their events are kept with an unknown age; this lists how many proven
    offences each keeps and how many are excluded, with the reasons in audit.linked_exclusions.
-#}

with

persons as (

    select * from {{ ref('linked__persons') }}

),

proven_offence_checks as (

    select * from {{ ref('linked_checks__proven_offences') }}

),

withheld as (

    select
        person_id,
        records,
        date_of_birth_after_events_records
    from persons
    where is_date_of_birth_withheld

),

offence_counts as (

    select
        person_id,
        sum(case when exclusion_reason is null then 1 else 0 end) as proven_offences,
        sum(case when exclusion_reason is not null then 1 else 0 end) as excluded_proven_offences
    from proven_offence_checks
    group by person_id

),

final as (

    select
        withheld.person_id,
        withheld.records,
        withheld.date_of_birth_after_events_records,
        coalesce(offence_counts.proven_offences, 0) as proven_offences,
        coalesce(offence_counts.excluded_proven_offences, 0) as excluded_proven_offences
    from withheld
    left join offence_counts on withheld.person_id = offence_counts.person_id

)

select * from final
