{#-
    Every cell of the proven reoffending tables (publication.proven_reoffending_by_quarter, _by_year
    and _breakdowns; docs/methodology.md sections 2 and 6), with disclosure control applied once,
    jointly to all of them: the three tables share totals (a year is the sum of its quarters and of
    the categories of each breakdown), so one suppression pattern must hold across them. The public
    tables select their rows from this one relation. The cells and their unrounded counts:
    publication_int__proven_reoffending_counts.
-#}
{%- set string_type = dbt.type_string() %}

with

cells as (

    select * from {{ ref('publication_int__proven_reoffending_counts') }}

),

-- the breakdowns of each age group
breakdowns as (

    select distinct
        age_group,
        breakdown
    from cells
    where table_part = 'breakdown'

),

-- the linear relations between cells: a total and the cells that add up to it
relations as (

    -- juveniles and adults add up to all offenders, per quarter and per year
    select
        'ages|' || table_part || '|'
        || coalesce(cohort_quarter, cast(cohort_year as {{ string_type }})) as relation_id,
        cell_id,
        age_group = 'All' as is_total
    from cells
    where table_part in ('quarter', 'year')

    union all

    -- the four quarters of a complete year add up to the year
    select
        'quarters|' || cast(years.cohort_year as {{ string_type }}) || '|' || years.age_group
            as relation_id,
        quarters.cell_id,
        false as is_total
    from cells as quarters
    inner join cells as years
        on
            quarters.cohort_year = years.cohort_year
            and quarters.age_group = years.age_group
            and years.table_part = 'year'
    where quarters.table_part = 'quarter'

    union all

    select
        'quarters|' || cast(cohort_year as {{ string_type }}) || '|' || age_group as relation_id,
        cell_id,
        true as is_total
    from cells
    where table_part = 'year'

    union all

    -- the categories of a breakdown add up to the year's offenders of the age group
    select
        'breakdown|' || cast(cohort_year as {{ string_type }}) || '|' || age_group || '|'
        || breakdown as relation_id,
        cell_id,
        false as is_total
    from cells
    where table_part = 'breakdown'

    union all

    select
        'breakdown|' || cast(years.cohort_year as {{ string_type }}) || '|' || years.age_group
        || '|' || breakdowns.breakdown as relation_id,
        years.cell_id,
        true as is_total
    from cells as years
    inner join breakdowns
        on years.age_group = breakdowns.age_group
    where years.table_part = 'year'

),

-- people counts to protect: offenders (stage 1) and reoffenders (stage 2, with the offenders who
-- did not reoffend as complement, and suppressed with the offenders of their cell)
sdc_cells as (

    select
        cell_id || '|offenders' as cell_id,
        1 as stage,
        cast(null as {{ string_type }}) as parent_cell_id,
        offenders as people,
        cast(null as integer) as complement_people
    from cells

    union all

    select
        cell_id || '|reoffenders' as cell_id,
        2 as stage,
        cell_id || '|offenders' as parent_cell_id,
        reoffenders as people,
        offenders - reoffenders as complement_people
    from cells

),

sdc_relations as (

    select
        relations.relation_id || '|' || measures.measure as relation_id,
        relations.cell_id || '|' || measures.measure as cell_id,
        relations.is_total
    from relations
    cross join (values ('offenders'), ('reoffenders')) as measures (measure)

),

suppression as (
    {{ sdc_suppress('sdc_cells', 'sdc_relations', stages=2) }}
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

-- the published values: counts rounded, rates and means from unrounded counts, each with its marker
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
            'days_to_first_reoffence_total', 'reoffenders', 'reoffenders_marker', decimals=1
        ) }}
            as average_days_to_first_reoffence,
        {{ sdc_ratio_marker('reoffenders', 'reoffenders_marker') }}
            as average_days_to_first_reoffence_marker
    from marked

)

select * from final
