{#-
    The shared-PNC-id rule. A record carrying a valid PNC id is linked through it, unless it is clearly a
    different person from the PNC's own record of that id: either both dates of birth are known and differ
    beyond recording errors (not equal, not day and month swapped, not the same day and month a year apart,
    more than 31 days apart) and a name is not close, or neither name is close whatever the dates. A name
    is close when its Jaro-Winkler similarity to the anchor's same name, or to the other name (forename
    and surname swapped), is at least 0.85. Sharing a common surname is no evidence of being the same
    person. Such a record keeps its PNC id for reference but the id is not
    trusted for linkage.
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

numbered_pnc_records as (

    select
        *,
        row_number() over (partition by pnc_id order by anchor_record_id) as anchor_rank
    from pnc_records

),

anchors as (

    select
        pnc_id,
        anchor_record_id,
        anchor_date_of_birth,
        anchor_surname,
        anchor_forename
    from numbered_pnc_records
    where anchor_rank = 1

),

paired as (

    select
        records.record_id,
        records.pnc_id,
        anchors.anchor_record_id,
        anchors.pnc_id is not null as has_anchor,
        records.date_of_birth,
        anchors.anchor_date_of_birth,
        greatest(
            coalesce({{ jaro_winkler('records.surname', 'anchors.anchor_surname') }}, 0),
            coalesce({{ jaro_winkler('records.surname', 'anchors.anchor_forename') }}, 0)
        ) >= 0.85 as is_surname_close,
        greatest(
            coalesce({{ jaro_winkler('records.forename', 'anchors.anchor_forename') }}, 0),
            coalesce({{ jaro_winkler('records.forename', 'anchors.anchor_surname') }}, 0)
        ) >= 0.85 as is_forename_close,
        records.surname is null and records.forename is null as has_no_names
    from records
    left join anchors on records.pnc_id = anchors.pnc_id

),

compared as (

    select
        *,
        date_of_birth is not null
        and anchor_date_of_birth is not null
        and date_of_birth != anchor_date_of_birth
        and not (
            month(date_of_birth) = day(anchor_date_of_birth)
            and day(date_of_birth) = month(anchor_date_of_birth)
            and year(date_of_birth) = year(anchor_date_of_birth)
        )
        and not (
            month(date_of_birth) = month(anchor_date_of_birth)
            and day(date_of_birth) = day(anchor_date_of_birth)
            and abs(year(date_of_birth) - year(anchor_date_of_birth)) <= 1
        )
        and abs({{ dbt.datediff('anchor_date_of_birth', 'date_of_birth', 'day') }}) > 31
            as is_date_of_birth_beyond_errors
    from paired

),

judged as (

    select
        *,
        has_anchor
        and not has_no_names
        and (
            (is_date_of_birth_beyond_errors and not (is_surname_close and is_forename_close))
            or (not is_surname_close and not is_forename_close)
        ) as is_pnc_id_conflict
    from compared

),

final as (

    select
        record_id,
        pnc_id,
        case when pnc_id is not null and not is_pnc_id_conflict then pnc_id end as pnc_id_trusted,
        is_pnc_id_conflict,
        anchor_record_id
    from judged

)

select * from final
