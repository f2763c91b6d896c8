{#-
    Links from identifiers. Every record with a trusted PNC id joins the PNC's own record of that id (or,
    when the PNC record is missing, the first record carrying the id); offender assessments join the
    probation record of their case reference number or the prison record of their prison number.
-#}

with

records as (

    select * from {{ ref('linkage__person_identities') }}

),

trusted as (

    select * from {{ ref('linkage__trusted_pnc_ids') }}

),

carriers as (

    select
        record_id,
        pnc_id_trusted as pnc_id,
        anchor_record_id
    from trusted
    where pnc_id_trusted is not null

),

hubs as (

    select
        pnc_id,
        coalesce(min(anchor_record_id), min(record_id)) as hub_record_id
    from carriers
    group by pnc_id

),

pnc_edges as (

    select
        hubs.hub_record_id as record_id_l,
        carriers.record_id as record_id_r,
        'pnc_id' as link_method
    from carriers
    inner join hubs on carriers.pnc_id = hubs.pnc_id
    where carriers.record_id != hubs.hub_record_id

),

assessments as (

    select * from records where source_table = 'oasys.assessments'

),

probation_people as (

    select * from records where source_table = 'probation.people'

),

prisoners as (

    select * from records where source_table = 'prisons.prisoners'

),

crn_edges as (

    select
        probation_people.record_id as record_id_l,
        assessments.record_id as record_id_r,
        'system_id' as link_method
    from assessments
    inner join probation_people on assessments.crn = probation_people.crn

),

prison_number_edges as (

    select
        prisoners.record_id as record_id_l,
        assessments.record_id as record_id_r,
        'system_id' as link_method
    from assessments
    inner join prisoners on assessments.prison_number = prisoners.prison_number

),

final as (

    select * from pnc_edges
    union all
    select * from crn_edges
    union all
    select * from prison_number_edges

)

select * from final
