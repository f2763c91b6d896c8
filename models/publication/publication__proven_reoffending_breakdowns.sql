{#-
    Proven reoffending by cohort year for juveniles and adults, by age band, sex, ethnicity group,
    index offence group, index disposal group, previous offences band and region
    (docs/methodology.md section 2), complete cohorts only, after disclosure control (section 6).
    The cells of the three proven reoffending tables are protected together:
    publication_int.proven_reoffending_cells.
-#}

with

cells as (

    select * from {{ ref('publication_int__proven_reoffending_cells') }}

),

breakdowns as (

    select distinct breakdown
    from cells
    where table_part = 'breakdown'

),

final as (

    select
        cohort_year,
        age_group,
        breakdown,
        category,
        cast(category_order as integer) as category_order,
        offenders,
        {{ sdc_published_marker('offenders_marker') }} as offenders_marker,
        reoffenders,
        {{ sdc_published_marker('reoffenders_marker') }} as reoffenders_marker,
        proven_reoffending_rate,
        {{ sdc_published_marker('proven_reoffending_rate_marker') }}
            as proven_reoffending_rate_marker,
        reoffences,
        {{ sdc_published_marker('reoffences_marker') }} as reoffences_marker,
        reoffences_per_reoffender,
        {{ sdc_published_marker('reoffences_per_reoffender_marker') }}
            as reoffences_per_reoffender_marker,
        reoffences_per_offender,
        {{ sdc_published_marker('reoffences_per_offender_marker') }}
            as reoffences_per_offender_marker,
        average_days_to_first_reoffence,
        {{ sdc_published_marker('average_days_to_first_reoffence_marker') }}
            as average_days_to_first_reoffence_marker
    from cells
    where table_part = 'breakdown'

    union all

    -- each breakdown's total: the year's offenders of the age group (the same cell as in _by_year)
    select
        years.cohort_year,
        years.age_group,
        breakdowns.breakdown,
        'All' as category,
        0 as category_order,
        years.offenders,
        {{ sdc_published_marker('years.offenders_marker') }} as offenders_marker,
        years.reoffenders,
        {{ sdc_published_marker('years.reoffenders_marker') }} as reoffenders_marker,
        years.proven_reoffending_rate,
        {{ sdc_published_marker('years.proven_reoffending_rate_marker') }}
            as proven_reoffending_rate_marker,
        years.reoffences,
        {{ sdc_published_marker('years.reoffences_marker') }} as reoffences_marker,
        years.reoffences_per_reoffender,
        {{ sdc_published_marker('years.reoffences_per_reoffender_marker') }}
            as reoffences_per_reoffender_marker,
        years.reoffences_per_offender,
        {{ sdc_published_marker('years.reoffences_per_offender_marker') }}
            as reoffences_per_offender_marker,
        years.average_days_to_first_reoffence,
        {{ sdc_published_marker('years.average_days_to_first_reoffence_marker') }}
            as average_days_to_first_reoffence_marker
    from cells as years
    cross join breakdowns
    where years.table_part = 'year' and years.age_group != 'All'

)

select * from final
