{#-
    Every release from custody that ends time served for a custodial sentence or a recall (staged
    `is_sentenced_release`: conditional release, end of sentence, end of recall; never a death, a
    deportation or a release from remand) on a spell that served a sentence (not remand-only), with
    a release date, and its person through the prison number: `exclusion_reason` is null for the
    rows of linked.custody_releases and `no_linked_person` for those left out.
-#}

with

custodial_spells as (

    select * from {{ ref('stg_prisons__custodial_spells') }}

),

person_links as (

    select * from {{ ref('linked__person_links') }}

),

prisoner_links as (

    select
        source_record_id as prison_number,
        person_id
    from person_links
    where source_table = 'prisons.prisoners'

),

releases as (

    select * from custodial_spells
    where is_sentenced_release and not is_remand_only and release_date is not null

),

joined as (

    select
        releases.spell_id as custody_release_id,
        prisoner_links.person_id,
        releases.prison_number,
        releases.establishment_code,
        releases.reception_date,
        releases.reception_reason,
        releases.reception_reason = 'RECALL' as is_recall,
        releases.sentence_date,
        releases.sentence_length_days,
        releases.release_date,
        releases.release_reason
    from releases
    left join prisoner_links on releases.prison_number = prisoner_links.prison_number

),

final as (

    select
        *,
        case when person_id is null then 'no_linked_person' end as exclusion_reason,
        case
            when person_id is null
                then 'no staged prisons.prisoners record has the prison_number of the spell'
        end as exclusion_detail
    from joined

)

select * from final
