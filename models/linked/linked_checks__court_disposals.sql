{#-
    Every sentenced court case offence (convicted, with a sentence date and a disposal) with its
    case, its person (through the defendant) and its offence and disposal classification:
    `exclusion_reason` is null for the rows of linked.court_disposals and `no_linked_person` for
    those left out.
-#}

with

case_offences as (

    select * from {{ ref('stg_courts__case_offences') }}

),

cases as (

    select * from {{ ref('stg_courts__cases') }}

),

offence_codes as (

    select * from {{ ref('reference__offence_codes') }}

),

disposal_types as (

    select * from {{ ref('reference__disposal_types') }}

),

person_links as (

    select * from {{ ref('linked__person_links') }}

),

defendant_links as (

    select
        source_record_id as defendant_id,
        person_id
    from person_links
    where source_table = 'courts.defendants'

),

sentenced as (

    select * from case_offences
    where is_convicted and sentence_date is not null and disposal_code is not null

),

joined as (

    select
        sentenced.case_offence_id as court_disposal_id,
        defendant_links.person_id,
        sentenced.case_id,
        cases.court_code,
        cases.court_type,
        sentenced.offence_code,
        offence_codes.offence_group_code,
        offence_codes.is_recordable,
        offence_codes.is_breach,
        offence_codes.seriousness_rank,
        sentenced.offence_date,
        sentenced.verdict_date as conviction_date,
        sentenced.sentence_date,
        sentenced.disposal_code,
        disposal_types.disposal_category,
        disposal_types.is_custodial,
        disposal_types.adult_disposal_group,
        disposal_types.juvenile_disposal_group,
        sentenced.sentence_length_days,
        sentenced.is_principal_offence
    from sentenced
    left join defendant_links on sentenced.defendant_id = defendant_links.defendant_id
    left join cases on sentenced.case_id = cases.case_id
    left join offence_codes on sentenced.offence_code = offence_codes.offence_code
    left join disposal_types on sentenced.disposal_code = disposal_types.disposal_code

),

final as (

    select
        *,
        case when person_id is null then 'no_linked_person' end as exclusion_reason,
        case
            when person_id is null
                then 'no staged courts.defendants record has the defendant_id of the case offence'
        end as exclusion_detail
    from joined

)

select * from final
