{#-
    Every cell of the young people tables (publication.young_people_characteristics,
    _adult_convictions and _assessment_needs; docs/methodology.md sections 3 and 6), with disclosure
    control applied once, jointly to all of them: the tables share cells (the youth conviction
    bands, the totals of prolific and other young offenders) and totals. The public tables select
    their rows from this one relation. The rows and their unrounded counts:
    publication_int__young_people_counts; their suppression markers:
    publication_int__young_people_suppression.
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
        people,
        adult_convictions,
        group_cell_id,
        group_people
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

suppression as (

    select * from {{ ref('publication_int__young_people_suppression') }}

),


characteristics_marked as (

    select
        characteristic_rows.*,
        cell_suppression.suppression_marker as people_marker,
        total_suppression.suppression_marker as total_people_marker,
        characteristic_rows.group_people as total_people
    from characteristic_rows
    inner join suppression as cell_suppression
        on characteristic_rows.cell_id = cell_suppression.cell_id
    inner join suppression as total_suppression
        on characteristic_rows.group_cell_id = total_suppression.cell_id

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
