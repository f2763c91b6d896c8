{#-
    Every cell of the young people tables (publication.young_people_characteristics,
    _adult_convictions and _assessment_needs; docs/methodology.md sections 3 and 6), with disclosure
    control applied once, jointly to all of them: the tables share cells (the youth conviction
    bands, the totals of prolific and other young offenders) and totals. The public tables select
    their rows from this one relation. The rows and their unrounded counts:
    publication_int__young_people_counts.
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
        category_order,
        offender_group,
        offender_group_order,
        cell_group,
        people,
        adult_convictions
    from counts
    where table_part = 'characteristics'

),

need_rows as (

    select
        cell_id,
        cohort_year,
        category as need,
        need_description,
        category_order as need_order,
        offender_group,
        offender_group_order,
        assessed_cell_id,
        assessed_people,
        people_with_need
    from counts
    where table_part = 'needs'

),

totals as (

    select
        cohort_year,
        cell_group,
        cell_id,
        people
    from characteristic_rows
    where category = 'All'
    group by cohort_year, cell_group, cell_id, people

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
        need_rows.assessed_cell_id as cell_id,
        2 as stage,
        totals.cell_id as parent_cell_id,
        need_rows.assessed_people as people,
        totals.people - need_rows.assessed_people as complement_people
    from need_rows
    inner join totals
        on
            need_rows.cohort_year = totals.cohort_year
            and need_rows.offender_group = totals.cell_group

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

suppression as (
    {{ sdc_suppress('sdc_cells', 'sdc_relations', stages=3) }}
),

characteristics_marked as (

    select
        characteristic_rows.*,
        cell_suppression.suppression_marker as people_marker,
        total_suppression.suppression_marker as total_people_marker,
        totals.people as total_people
    from characteristic_rows
    inner join suppression as cell_suppression
        on characteristic_rows.cell_id = cell_suppression.cell_id
    inner join totals
        on
            characteristic_rows.cohort_year = totals.cohort_year
            and characteristic_rows.offender_group = totals.cell_group
    inner join suppression as total_suppression
        on totals.cell_id = total_suppression.cell_id

),

needs_marked as (

    select
        need_rows.*,
        need_suppression.suppression_marker as people_with_need_marker,
        assessed_suppression.suppression_marker as assessed_people_marker
    from need_rows
    inner join suppression as need_suppression
        on need_rows.cell_id = need_suppression.cell_id
    inner join suppression as assessed_suppression
        on need_rows.assessed_cell_id = assessed_suppression.cell_id

),

-- the published values (counts rounded, percentages and means from unrounded counts) and their
-- markers: the characteristic rows and the need rows, each with its own columns
final as (

    select
        'characteristics' as table_part,
        cell_id,
        cohort_year,
        breakdown,
        category,
        cast(category_order as integer) as category_order,
        offender_group,
        offender_group_order,
        {{ sdc_count('people', 'people_marker') }} as people,
        people_marker,
        {{ sdc_ratio(
            'people', 'total_people', 'total_people_marker', 'people_marker', scale=100, decimals=1
        ) }}
            as percentage,
        {{ sdc_ratio_marker('total_people', 'total_people_marker', 'people_marker') }}
            as percentage_marker,
        {{ sdc_count('adult_convictions', sdc_linked_marker('people_marker')) }}
            as adult_convictions,
        {{ sdc_linked_marker('people_marker') }} as adult_convictions_marker,
        {{ sdc_ratio('adult_convictions', 'people', 'people_marker', decimals=2) }}
            as adult_convictions_per_person,
        {{ sdc_ratio_marker('people', 'people_marker') }} as adult_convictions_per_person_marker,
        cast(null as {{ string_type }}) as need,
        cast(null as {{ string_type }}) as need_description,
        cast(null as integer) as assessed_people,
        cast(null as {{ string_type }}) as assessed_people_marker,
        cast(null as integer) as people_with_need,
        cast(null as {{ string_type }}) as people_with_need_marker,
        cast(null as double) as percentage_with_need,
        cast(null as {{ string_type }}) as percentage_with_need_marker
    from characteristics_marked

    union all

    select
        'needs' as table_part,
        cell_id,
        cohort_year,
        'assessment_need' as breakdown,
        need as category,
        cast(need_order as integer) as category_order,
        offender_group,
        offender_group_order,
        cast(null as integer) as people,
        cast(null as {{ string_type }}) as people_marker,
        cast(null as double) as percentage,
        cast(null as {{ string_type }}) as percentage_marker,
        cast(null as integer) as adult_convictions,
        cast(null as {{ string_type }}) as adult_convictions_marker,
        cast(null as double) as adult_convictions_per_person,
        cast(null as {{ string_type }}) as adult_convictions_per_person_marker,
        need,
        need_description,
        {{ sdc_count('assessed_people', 'assessed_people_marker') }} as assessed_people,
        assessed_people_marker,
        {{ sdc_count('people_with_need', 'people_with_need_marker') }} as people_with_need,
        people_with_need_marker,
        {{ sdc_ratio(
            'people_with_need', 'assessed_people', 'assessed_people_marker',
            'people_with_need_marker', scale=100, decimals=1
        ) }} as percentage_with_need,
        {{ sdc_ratio_marker(
            'assessed_people', 'assessed_people_marker', 'people_with_need_marker'
        ) }}
            as percentage_with_need_marker
    from needs_marked

)

select * from final
