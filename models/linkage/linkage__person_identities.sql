{#-
    One row per staged person record from the five systems, with the identity fields in one shape: the
    input of person linkage (linkage__match_edges).
-#}

with

pnc_persons as (

    select * from {{ ref('stg_pnc__persons') }}

),

court_defendants as (

    select * from {{ ref('stg_courts__defendants') }}

),

prisoners as (

    select * from {{ ref('stg_prisons__prisoners') }}

),

probation_people as (

    select * from {{ ref('stg_probation__people') }}

),

assessments as (

    select * from {{ ref('stg_oasys__assessments') }}

),

nicknames as (

    select
        {{ standardise_name('nickname') }} as nickname_std,
        min({{ standardise_name('formal_name') }}) as formal_name_std
    from {{ ref('reference__nicknames') }}
    group by 1

),

unioned as (

    select
        'pnc' as source_system,
        'pnc.persons' as source_table,
        pnc_id as source_record_id,
        case when is_pnc_id_valid then pnc_id end as pnc_id,
        cast(null as {{ dbt.type_string() }}) as crn,
        cast(null as {{ dbt.type_string() }}) as prison_number,
        forename_std as forename,
        middle_names_std as middle_names,
        surname_std as surname,
        date_of_birth,
        sex,
        postcode,
        last_updated_at
    from pnc_persons

    union all

    select
        'courts' as source_system,
        'courts.defendants' as source_table,
        defendant_id as source_record_id,
        case when is_pnc_id_valid then pnc_id end as pnc_id,
        null as crn,
        null as prison_number,
        forename_std as forename,
        middle_names_std as middle_names,
        surname_std as surname,
        date_of_birth,
        sex,
        postcode,
        last_updated_at
    from court_defendants

    union all

    select
        'prisons' as source_system,
        'prisons.prisoners' as source_table,
        prison_number as source_record_id,
        case when is_pnc_id_valid then pnc_id end as pnc_id,
        null as crn,
        prison_number,
        forename_std as forename,
        middle_names_std as middle_names,
        surname_std as surname,
        date_of_birth,
        sex,
        postcode,
        last_updated_at
    from prisoners

    union all

    select
        'probation' as source_system,
        'probation.people' as source_table,
        crn as source_record_id,
        case when is_pnc_id_valid then pnc_id end as pnc_id,
        crn,
        null as prison_number,
        forename_std as forename,
        middle_names_std as middle_names,
        surname_std as surname,
        date_of_birth,
        sex,
        postcode,
        last_updated_at
    from probation_people

    union all

    select
        'oasys' as source_system,
        'oasys.assessments' as source_table,
        assessment_id as source_record_id,
        null as pnc_id,
        crn,
        prison_number,
        forename_std as forename,
        null as middle_names,
        surname_std as surname,
        date_of_birth,
        sex,
        postcode,
        last_updated_at
    from assessments

),

final as (

    select
        {{ dbt.concat(["unioned.source_table", "':'", "unioned.source_record_id"]) }} as record_id,
        unioned.source_system,
        unioned.source_table,
        unioned.source_record_id,
        unioned.pnc_id,
        unioned.crn,
        unioned.prison_number,
        unioned.forename,
        coalesce(nicknames.formal_name_std, unioned.forename) as forename_canonical,
        {{ regex_extract('unioned.middle_names', '^([A-Z]+)') }} as middle_name,
        unioned.surname,
        unioned.date_of_birth,
        unioned.sex,
        unioned.postcode,
        {{ postcode_district('unioned.postcode') }} as postcode_district,
        unioned.last_updated_at
    from unioned
    left join nicknames on unioned.forename = nicknames.nickname_std

)

select * from final
