{#-
    The suppression marker of every people count of the young people tables
    (publication.young_people_characteristics, _adult_convictions and _assessment_needs;
    docs/methodology.md section 6): the characteristic cells (stage 1), the assessed people of each group
    (stage 2) and the people with each need (stage 3) of publication_int__young_people_counts, protected
    jointly over the relations between them. Internal: it holds why each value is suppressed.
    publication_int__young_people_cells publishes the values with it. A relation of its own so that the
    disclosure pass is computed once: Spark copies a CTE into every step of a query that reads it.
-#}
{%- set string_type = dbt.type_string() %}

with

counts as (

    select * from {{ ref('publication_int__young_people_counts') }}

),

characteristic_rows as (

    select
        cell_id,
        cohort_year,
        breakdown,
        category,
        offender_group,
        people
    from counts
    where table_part = 'characteristics'

),

need_rows as (

    select
        cell_id,
        cohort_year,
        category as need,
        offender_group,
        assessed_cell_id,
        assessed_people,
        people_with_need,
        group_cell_id,
        group_people
    from counts
    where table_part = 'needs'

),

-- people counts to protect: the characteristic cells (stage 1), the assessed people of each group
-- (stage 2: suppressed with the group; complement: the group's people without an assessment) and
-- the people with each need (stage 3: suppressed with the assessed people; complement: assessed
-- people without the need)
sdc_cells as (

    select
        cell_id,
        1 as stage,
        cast(null as {{ string_type }}) as parent_cell_id,
        max(people) as people,
        cast(null as integer) as complement_people
    from characteristic_rows
    group by cell_id

    union all

    select distinct
        assessed_cell_id as cell_id,
        2 as stage,
        group_cell_id as parent_cell_id,
        assessed_people as people,
        group_people - assessed_people as complement_people
    from need_rows

    union all

    select
        cell_id,
        3 as stage,
        assessed_cell_id as parent_cell_id,
        people_with_need as people,
        assessed_people - people_with_need as complement_people
    from need_rows

),

sdc_relations as (

    -- the categories of a breakdown add up to the group's total
    select
        'column|' || cast(cohort_year as {{ string_type }}) || '|' || breakdown || '|'
        || offender_group as relation_id,
        cell_id,
        category = 'All' as is_total
    from characteristic_rows

    union all

    -- prolific and other young offenders add up to all, in each category
    select
        'row|' || cast(cohort_year as {{ string_type }}) || '|' || breakdown || '|' || category
            as relation_id,
        cell_id,
        offender_group = 'All' as is_total
    from characteristic_rows

    union all

    select distinct
        'assessed|' || cast(cohort_year as {{ string_type }}) as relation_id,
        assessed_cell_id as cell_id,
        offender_group = 'All' as is_total
    from need_rows

    union all

    select
        'need|' || cast(cohort_year as {{ string_type }}) || '|' || need as relation_id,
        cell_id,
        offender_group = 'All' as is_total
    from need_rows

),

final as (
    {{ sdc_suppress('sdc_cells', 'sdc_relations', stages=3) }}
)

select * from final
