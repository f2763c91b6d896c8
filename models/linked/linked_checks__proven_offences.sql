{#-
    Every proven offence of the PNC (outcome a conviction or a caution, with an outcome date) with
    its person and the checks of docs/methodology.md section 1: one row per staged offence outcome
    that is proven, with `exclusion_reason` null when it is a proven offence of
    linked.proven_offences and set when it is left out (listed in audit.linked_exclusions).
-#}

with

proven as (

    select * from {{ ref('linked_checks__proven_outcomes') }}

),

offence_codes as (

    select * from {{ ref('reference__offence_codes') }}

),

offence_groups as (

    select * from {{ ref('reference__offence_groups') }}

),

person_links as (

    select * from {{ ref('linked__person_links') }}

),

persons as (

    select * from {{ ref('linked__persons') }}

),

pnc_person_links as (

    select
        source_record_id as pnc_id,
        person_id
    from person_links
    where source_table = 'pnc.persons'

),

joined as (

    select
        proven.offence_record_id as proven_offence_id,
        pnc_person_links.person_id,
        proven.pnc_id,
        proven.offence_code,
        offence_codes.offence_description,
        offence_codes.offence_group_code,
        offence_groups.offence_group,
        proven.offence_date,
        proven.proven_date,
        proven.outcome_code,
        proven.outcome_type,
        case
            when proven.outcome_type = 'conviction' then proven.disposal_code
            else proven.outcome_code
        end as disposal_type,
        proven.sentence_length_days,
        proven.court_code,
        offence_codes.is_recordable,
        offence_codes.is_breach,
        offence_codes.seriousness_rank,
        persons.date_of_birth
    from proven
    left join pnc_person_links on proven.pnc_id = pnc_person_links.pnc_id
    left join persons on pnc_person_links.person_id = persons.person_id
    left join offence_codes on proven.offence_code = offence_codes.offence_code
    left join offence_groups on offence_codes.offence_group_code = offence_groups.offence_group_code

),

aged as (

    select
        *,
        -- completed years: the year difference, less one before the birthday of the offence year (a
        -- 29 February birthday falls on 1 March in other years)
        cast(
            extract(year from offence_date) - extract(year from date_of_birth)
            - case
                when
                    extract(month from offence_date) * 100 + extract(day from offence_date)
                    < extract(month from date_of_birth) * 100 + extract(day from date_of_birth)
                    then 1
                else 0
            end
            as integer
        ) as age_at_offence
    from joined

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
        is_recordable and not is_breach as is_counted,
        case
            when outcome_type = 'conviction'
                then {{ dbt.concat([
                    'person_id',
                    "':'",
                    dbt.cast('proven_date', api.Column.translate_type('string')),
                    "':'",
                    "coalesce(court_code, '')",
                ]) }}
        end as conviction_occasion_id,
        age_at_offence,
        age_at_offence between 10 and 17 as is_juvenile_at_offence,
        case
            when person_id is null then 'no_linked_person'
            when offence_date > proven_date then 'offence_after_proven_date'
            when age_at_offence < 10 then 'offence_before_age_10'
        end as exclusion_reason,
        case
            when person_id is null
                then 'no staged pnc.persons record has the pnc_id of the offence'
            when offence_date > proven_date
                then {{ dbt.concat([
                    "'offence date '",
                    dbt.cast('offence_date', api.Column.translate_type('string')),
                    "' is after the proven date '",
                    dbt.cast('proven_date', api.Column.translate_type('string')),
                ]) }}
            when age_at_offence < 10
                then {{ dbt.concat([
                    "'offence date '",
                    dbt.cast('offence_date', api.Column.translate_type('string')),
                    "' is before the 10th birthday (age '",
                    dbt.cast('age_at_offence', api.Column.translate_type('string')),
                    "')'",
                ]) }}
        end as exclusion_detail
    from aged

)

select * from final
