{#-
    Every cell of the proven reoffending tables (publication.proven_reoffending_by_quarter, _by_year
    and _breakdowns; docs/methodology.md sections 2 and 6), with disclosure control applied once,
    jointly to all of them: the three tables share totals (a year is the sum of its quarters and of
    the categories of each breakdown), so one suppression pattern must hold across them. The public
    tables select their rows from this one relation. The cells and their unrounded counts:
    publication_int__proven_reoffending_counts; their suppression markers:
    publication_int__proven_reoffending_suppression.
-#}

with

cells as (

    select * from {{ ref('publication_int__proven_reoffending_counts') }}

),

suppression as (

    select * from {{ ref('publication_int__proven_reoffending_suppression') }}

),

marked as (

    select
        cells.*,
        offenders_suppression.suppression_marker as offenders_marker,
        reoffenders_suppression.suppression_marker as reoffenders_marker,
        {{ sdc_linked_marker('reoffenders_suppression.suppression_marker') }} as reoffences_marker
    from cells
    inner join suppression as offenders_suppression
        on cells.cell_id || '|offenders' = offenders_suppression.cell_id
    inner join suppression as reoffenders_suppression
        on cells.cell_id || '|reoffenders' = reoffenders_suppression.cell_id

),

-- the published values: counts rounded, rates and means from the rounded counts, with their reasons
final as (

    select
        cell_id,
        table_part,
        cohort_quarter,
        cohort_year,
        age_group,
        age_group_order,
        breakdown,
        category,
        cast(category_order as integer) as category_order,
        {{ sdc_count('offenders', 'offenders_marker') }} as offenders,
        offenders_marker,
        {{ sdc_count('reoffenders', 'reoffenders_marker') }} as reoffenders,
        reoffenders_marker,
        {{ sdc_ratio(
            'reoffenders', 'offenders', 'offenders_marker', 'reoffenders_marker',
            scale=100, decimals=1
        ) }}
            as proven_reoffending_rate,
        {{ sdc_ratio_marker('offenders', 'offenders_marker', 'reoffenders_marker') }}
            as proven_reoffending_rate_marker,
        {{ sdc_count('reoffences', 'reoffences_marker') }} as reoffences,
        reoffences_marker,
        {{ sdc_ratio('reoffences', 'reoffenders', 'reoffenders_marker', decimals=2) }}
            as reoffences_per_reoffender,
        {{ sdc_ratio_marker('reoffenders', 'reoffenders_marker') }}
            as reoffences_per_reoffender_marker,
        {{ sdc_ratio(
            'reoffences', 'offenders', 'offenders_marker', 'reoffences_marker', decimals=2
        ) }}
            as reoffences_per_offender,
        {{ sdc_ratio_marker('offenders', 'offenders_marker', 'reoffences_marker') }}
            as reoffences_per_offender_marker,
        {{ sdc_ratio(
            'days_to_first_reoffence_total', 'reoffenders', 'reoffenders_marker', decimals=1,
            round_numerator=false
        ) }}
            as average_days_to_first_reoffence,
        {{ sdc_ratio_marker('reoffenders', 'reoffenders_marker') }}
            as average_days_to_first_reoffence_marker
    from marked

)

select * from final
