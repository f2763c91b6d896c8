{#-
    First-time entrants to the justice system (docs/methodology.md section 3; doc block
    first_time_entrants): one row per person whose first counted proven offence (recordable, not a
    breach; a caution or a conviction) was committed aged 10-17, with the year and kind of that
    first outcome. The first proven offence comes from derived_int.first_proven_offences.
-#}

with

persons as (

    select * from {{ ref('linked__persons') }}

),

first_proven_offences as (

    select * from {{ ref('derived_int__first_proven_offences') }}

),

-- data_as_of, the earliest extract date of the sources
data_as_of as (

    select * from {{ ref('derived_int__reporting_period') }}

),

-- the first proven offence (derived_int.first_proven_offences) committed aged 10-17
first_offences as (

    select * from first_proven_offences
    where age_at_first_proven_offence between 10 and 17

),

final as (

    select
        first_offences.person_id,
        data_as_of.data_as_of,
        first_offences.first_proven_date,
        cast(extract(year from first_offences.first_proven_date) as integer) as fte_year,
        -- the year is complete when the day after data_as_of falls in a later year
        cast(extract(year from first_offences.first_proven_date) as integer)
        < cast(extract(year from {{ dbt.dateadd('day', 1, 'data_as_of.data_as_of') }}) as integer)
            as is_fte_year_complete,
        first_offences.age_at_first_proven_offence,
        first_offences.first_outcome_type,
        first_offences.first_offence_group,
        persons.sex,
        persons.ethnicity_group,
        persons.region_code,
        persons.region_name,
        persons.deprivation_decile
    from first_offences
    cross join data_as_of
    inner join persons on first_offences.person_id = persons.person_id

)

select * from final
