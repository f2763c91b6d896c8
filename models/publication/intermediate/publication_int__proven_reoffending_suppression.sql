{#-
    The suppression marker of every people count of the proven reoffending tables
    (publication.proven_reoffending_by_quarter, _by_year and _breakdowns; docs/methodology.md section 6):
    offenders (stage 1) and reoffenders (stage 2) of each cell of
    publication_int__proven_reoffending_counts, protected jointly over the relations between the cells.
    Internal: it holds why each value is suppressed. publication_int__proven_reoffending_cells publishes
    the values with it. A relation of its own so that the disclosure pass is computed once: Spark copies
    a CTE into every step of a query that reads it.
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

final as (
    {{ sdc_suppress('sdc_cells', 'sdc_relations', stages=2) }}
)

select * from final
