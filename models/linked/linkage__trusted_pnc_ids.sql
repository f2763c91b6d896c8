{#-
    The shared-PNC-id rule. A record carrying a valid PNC id is linked through it, unless it is clearly a
    different person from the PNC's own record of that id: both dates of birth known and different beyond
    recording errors (not equal, not day and month swapped, not the same day and month a year apart, more
    than 31 days apart) and neither name close (Jaro-Winkler below 0.85, and not forename and surname
    swapped). Such a record keeps its PNC id for reference but the id is not trusted for linkage.
-#}

with

records as (

    select * from {{ ref('linkage__person_identities') }}

),

pnc_records as (

    select
        pnc_id,
        record_id as anchor_record_id,
        date_of_birth as anchor_date_of_birth,
        surname as anchor_surname,
        forename as anchor_forename
    from records
    where source_table = 'pnc.persons' and pnc_id is not null

),

anchors as (

    select * from pnc_records
    qualify row_number() over (partition by pnc_id order by anchor_record_id) = 1

),

compared as (

    select
        records.record_id,
        records.pnc_id,
        anchors.anchor_record_id,
        anchors.pnc_id is not null
        and records.date_of_birth is not null
        and anchors.anchor_date_of_birth is not null
        and records.date_of_birth != anchors.anchor_date_of_birth
        and not (
            month(records.date_of_birth) = day(anchors.anchor_date_of_birth)
            and day(records.date_of_birth) = month(anchors.anchor_date_of_birth)
            and year(records.date_of_birth) = year(anchors.anchor_date_of_birth)
        )
        and not (
            month(records.date_of_birth) = month(anchors.anchor_date_of_birth)
            and day(records.date_of_birth) = day(anchors.anchor_date_of_birth)
            and abs(year(records.date_of_birth) - year(anchors.anchor_date_of_birth)) <= 1
        )
        and abs(
            {{ dbt.datediff('anchors.anchor_date_of_birth', 'records.date_of_birth', 'day') }}
        ) > 31
        and coalesce({{ jaro_winkler('records.surname', 'anchors.anchor_surname') }}, 0) < 0.85
        and coalesce({{ jaro_winkler('records.forename', 'anchors.anchor_forename') }}, 0) < 0.85
        and not (
            records.surname = anchors.anchor_forename
            and records.forename = anchors.anchor_surname
        ) as is_pnc_id_conflict
    from records
    left join anchors on records.pnc_id = anchors.pnc_id

),

final as (

    select
        record_id,
        pnc_id,
        case when pnc_id is not null and not is_pnc_id_conflict then pnc_id end as pnc_id_trusted,
        is_pnc_id_conflict,
        anchor_record_id
    from compared

)

select * from final
