{#-
    Proven reoffending by cohort year (the four quarterly cohorts of the year together), for
    juveniles, adults and all offenders (docs/methodology.md section 2), complete cohorts only,
    after disclosure control (section 6). The cells of the three proven reoffending tables are
    protected together: publication_int.proven_reoffending_cells.
-#}

with

cells as (

    select * from {{ ref('publication_int__proven_reoffending_cells') }}

),

final as (

    select
        cohort_year,
        age_group,
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
    where table_part = 'year'

)

select * from final
