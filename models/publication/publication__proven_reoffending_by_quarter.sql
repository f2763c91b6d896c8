{#-
    Proven reoffending by cohort quarter, for juveniles, adults and all offenders
    (docs/methodology.md section 2), complete cohorts only, after disclosure control (section 6).
    The cells of the three proven reoffending tables are protected together:
    publication_int.proven_reoffending_cells.
-#}

with

cells as (

    select * from {{ ref('publication_int__proven_reoffending_cells') }}

),

final as (

    select
        cohort_quarter,
        cohort_year,
        age_group,
        offenders,
        offenders_marker,
        reoffenders,
        reoffenders_marker,
        proven_reoffending_rate,
        proven_reoffending_rate_marker,
        reoffences,
        reoffences_marker,
        reoffences_per_reoffender,
        reoffences_per_reoffender_marker,
        reoffences_per_offender,
        reoffences_per_offender_marker,
        average_days_to_first_reoffence,
        average_days_to_first_reoffence_marker
    from cells
    where table_part = 'quarter'

)

select * from final
