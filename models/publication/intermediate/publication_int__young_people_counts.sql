{#-
    The unrounded counts of every published row of the young people tables (docs/methodology.md sections
    3 and 6), before disclosure control: the characteristic rows (people and adult convictions per cohort
    year, breakdown, category and offender group, on the full grid) and the need rows (assessed people and
    people with each need). publication_int__young_people_cells protects them. A relation of its own so
    that the disclosure pass reads a table: Spark copies a CTE into every query step that reads it.
    Category lists: reference.publication_offender_groups and reference.publication_young_people_categories
    (with reference.regions, reference.offence_groups and reference.assessment_needs).
-#}
{%- set string_type = dbt.type_string() %}
{%- set needs = assessment_need_columns() %}
{%- set breakdowns = [
    'sex', 'ethnicity_group', 'deprivation_decile', 'region', 'age_at_first_conviction',
    'youth_conviction_band', 'youth_offence_group', 'adult_offence_group', 'custody_before_18',
    'referral_order_before_18', 'youth_rehabilitation_order_before_18'
] %}

with

young_people as (

    select * from {{ ref('derived__young_people_repeat_offending') }}

),

offence_groups as (

    select * from {{ ref('reference__offence_groups') }}

),

regions as (

    select * from {{ ref('reference__regions') }}

),

assessment_needs as (

    select * from {{ ref('reference__assessment_needs') }}

),

offender_groups as (

    select * from {{ ref('reference__publication_offender_groups') }}

),

listed_categories as (

    select * from {{ ref('reference__publication_young_people_categories') }}

),

-- complete cohorts only, with the publication's categories
cohort as (

    select
        cohort_year,
        case when is_prolific_young_offender then 'PYO' else 'Non-PYO' end as offender_group,
        adult_convictions,
        has_assessment,
        {%- for need in needs %}
            {{ need }},
        {%- endfor %}
        case sex when 'F' then 'Female' when 'M' then 'Male' else 'Unknown' end as sex,
        ethnicity_group,
        coalesce(cast(deprivation_decile as {{ string_type }}), 'Unknown') as deprivation_decile,
        coalesce(region_name, 'Unknown') as region,
        cast(age_at_first_conviction as {{ string_type }}) as age_at_first_conviction,
        youth_conviction_band,
        coalesce(youth_offence_group, 'No youth conviction') as youth_offence_group,
        adult_offence_group,
        case when has_custody_before_18 then 'Yes' else 'No' end as custody_before_18,
        case when has_referral_order_before_18 then 'Yes' else 'No' end as referral_order_before_18,
        case when has_youth_rehabilitation_order_before_18 then 'Yes' else 'No' end
            as youth_rehabilitation_order_before_18
    from young_people
    where is_cohort_complete

),

cohort_years as (

    select distinct cohort_year from cohort

),

-- every category of every breakdown, and whether it is possible for prolific young offenders (3 or
-- more youth convictions) and for the others: a category impossible for a group is a structural
-- zero, not published for it
categories as (

    select
        breakdown,
        category,
        category_order,
        in_pyo,
        in_non_pyo
    from listed_categories

    union all

    select
        'region' as breakdown,
        region_name as category,
        row_number() over (order by region_code) as category_order,
        true as in_pyo,
        true as in_non_pyo
    from regions

    union all

    select
        breakdowns.breakdown,
        offence_groups.offence_group as category,
        cast(offence_groups.offence_group_code as integer) as category_order,
        true as in_pyo,
        true as in_non_pyo
    from offence_groups
    cross join (values ('youth_offence_group'), ('adult_offence_group')) as breakdowns (breakdown)

),

-- where each published row is: the categories for the groups they are possible for and for all
-- young people, and each breakdown's total (category `All`) per group
placements as (

    select
        cohort_years.cohort_year,
        categories.breakdown,
        categories.category,
        categories.category_order,
        offender_groups.offender_group,
        offender_groups.offender_group_order,
        case
            when offender_groups.offender_group = 'All' and not categories.in_pyo then 'Non-PYO'
            when offender_groups.offender_group = 'All' and not categories.in_non_pyo then 'PYO'
            else offender_groups.offender_group
        end as cell_group
    from cohort_years
    cross join categories
    cross join offender_groups
    where
        offender_groups.offender_group = 'All'
        or (offender_groups.offender_group = 'PYO' and categories.in_pyo)
        or (offender_groups.offender_group = 'Non-PYO' and categories.in_non_pyo)

    union all

    select
        cohort_years.cohort_year,
        breakdowns.breakdown,
        'All' as category,
        0 as category_order,
        offender_groups.offender_group,
        offender_groups.offender_group_order,
        offender_groups.offender_group as cell_group
    from cohort_years
    cross join (select distinct breakdown from categories) as breakdowns
    cross join offender_groups

),

-- one cell per set of people: a breakdown's total is the group's total in every breakdown; a
-- category possible for one group only is the same cell for that group and for all; no youth
-- conviction is the youth conviction band 0
placed_cells as (

    select
        placements.*,
        'yp|' || cast(placements.cohort_year as {{ string_type }}) || '|' || case
            when placements.category = 'All' then 'total|' || placements.cell_group
            when
                placements.breakdown = 'youth_offence_group'
                and placements.category = 'No youth conviction'
                then 'youth_conviction_band|0|Non-PYO'
            else placements.breakdown || '|' || placements.category || '|' || placements.cell_group
        end as cell_id
    from placements

),

person_categories as (
    {%- for breakdown in breakdowns %}

        select
            cohort_year,
            offender_group,
            '{{ breakdown }}' as breakdown,
            {{ breakdown }} as category,
            adult_convictions
        from cohort

        union all

        select
            cohort_year,
            'All' as offender_group,
            '{{ breakdown }}' as breakdown,
            {{ breakdown }} as category,
            adult_convictions
        from cohort

        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

category_measures as (

    select
        cohort_year,
        offender_group,
        breakdown,
        category,
        count(*) as people,
        sum(adult_convictions) as adult_convictions
    from person_categories
    group by cohort_year, offender_group, breakdown, category

),

group_measures as (

    select
        cohort_year,
        offender_group,
        count(*) as people,
        sum(adult_convictions) as adult_convictions,
        sum(case when has_assessment then 1 else 0 end) as assessed_people
    from cohort
    group by cohort_year, offender_group

    union all

    select
        cohort_year,
        'All' as offender_group,
        count(*) as people,
        sum(adult_convictions) as adult_convictions,
        sum(case when has_assessment then 1 else 0 end) as assessed_people
    from cohort
    group by cohort_year

),

characteristic_rows as (

    select
        placed_cells.*,
        coalesce(
            case
                when placed_cells.category = 'All' then group_measures.people
                else category_measures.people
            end,
            0
        ) as people,
        coalesce(
            case
                when placed_cells.category = 'All' then group_measures.adult_convictions
                else category_measures.adult_convictions
            end,
            0
        ) as adult_convictions
    from placed_cells
    left join category_measures
        on
            placed_cells.cohort_year = category_measures.cohort_year
            and placed_cells.cell_group = category_measures.offender_group
            and placed_cells.breakdown = category_measures.breakdown
            and placed_cells.category = category_measures.category
    left join group_measures
        on
            placed_cells.cohort_year = group_measures.cohort_year
            and placed_cells.cell_group = group_measures.offender_group

),

-- people with each need scored 2 (a significant problem) in their assessment, per group
need_measures as (
    {%- for need in needs %}

        select
            cohort_year,
            offender_group,
            '{{ need }}' as need,
            sum(case when {{ need }} = 2 then 1 else 0 end) as people_with_need
        from cohort
        group by cohort_year, offender_group

        union all

        select
            cohort_year,
            'All' as offender_group,
            '{{ need }}' as need,
            sum(case when {{ need }} = 2 then 1 else 0 end) as people_with_need
        from cohort
        group by cohort_year

        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

need_rows as (

    select
        cohort_years.cohort_year,
        assessment_needs.need_column as need,
        assessment_needs.need_description,
        cast(assessment_needs.oasys_section as integer) as need_order,
        offender_groups.offender_group,
        offender_groups.offender_group_order,
        'yp|' || cast(cohort_years.cohort_year as {{ string_type }})
        || '|need|' || assessment_needs.need_column
        || '|' || offender_groups.offender_group as cell_id,
        'yp|' || cast(cohort_years.cohort_year as {{ string_type }})
        || '|assessed|' || offender_groups.offender_group
            as assessed_cell_id,
        coalesce(need_measures.people_with_need, 0) as people_with_need,
        coalesce(group_measures.assessed_people, 0) as assessed_people
    from cohort_years
    cross join assessment_needs
    cross join offender_groups
    left join need_measures
        on
            cohort_years.cohort_year = need_measures.cohort_year
            and assessment_needs.need_column = need_measures.need
            and offender_groups.offender_group = need_measures.offender_group
    left join group_measures
        on
            cohort_years.cohort_year = group_measures.cohort_year
            and offender_groups.offender_group = group_measures.offender_group

),

-- each group's total (the `All` characteristic cell of its own group): the denominator of its
-- rows and the parent of its assessed people
group_totals as (

    select distinct
        cohort_year,
        offender_group,
        cell_id,
        people
    from characteristic_rows
    where category = 'All'

),

rows_with_totals as (

    select
        'characteristics' as table_part,
        characteristic_rows.cell_id,
        characteristic_rows.cohort_year,
        characteristic_rows.breakdown,
        characteristic_rows.category,
        characteristic_rows.category_order,
        characteristic_rows.offender_group,
        characteristic_rows.offender_group_order,
        characteristic_rows.cell_group,
        characteristic_rows.people,
        characteristic_rows.adult_convictions,
        cast(null as {{ string_type }}) as need_description,
        cast(null as {{ string_type }}) as assessed_cell_id,
        cast(null as integer) as assessed_people,
        cast(null as integer) as people_with_need,
        group_totals.cell_id as group_cell_id,
        group_totals.people as group_people
    from characteristic_rows
    left join group_totals
        on
            characteristic_rows.cohort_year = group_totals.cohort_year
            and characteristic_rows.offender_group = group_totals.offender_group

    union all

    select
        'needs' as table_part,
        need_rows.cell_id,
        need_rows.cohort_year,
        'assessment_need' as breakdown,
        need_rows.need as category,
        need_rows.need_order as category_order,
        need_rows.offender_group,
        need_rows.offender_group_order,
        need_rows.offender_group as cell_group,
        cast(null as integer) as people,
        cast(null as integer) as adult_convictions,
        need_rows.need_description,
        need_rows.assessed_cell_id,
        need_rows.assessed_people,
        need_rows.people_with_need,
        group_totals.cell_id as group_cell_id,
        group_totals.people as group_people
    from need_rows
    left join group_totals
        on
            need_rows.cohort_year = group_totals.cohort_year
            and need_rows.offender_group = group_totals.offender_group

),

-- the contract's types, the same on every engine
final as (

    select
        cast(table_part as {{ dbt.type_string() }}) as table_part,
        cast(cell_id as {{ dbt.type_string() }}) as cell_id,
        cast(cohort_year as {{ dbt.type_int() }}) as cohort_year,
        cast(breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(category as {{ dbt.type_string() }}) as category,
        cast(category_order as {{ dbt.type_int() }}) as category_order,
        cast(offender_group as {{ dbt.type_string() }}) as offender_group,
        cast(offender_group_order as {{ dbt.type_int() }}) as offender_group_order,
        cast(cell_group as {{ dbt.type_string() }}) as cell_group,
        cast(people as {{ dbt.type_bigint() }}) as people,
        cast(adult_convictions as {{ dbt.type_bigint() }}) as adult_convictions,
        cast(need_description as {{ dbt.type_string() }}) as need_description,
        cast(assessed_cell_id as {{ dbt.type_string() }}) as assessed_cell_id,
        cast(assessed_people as {{ dbt.type_bigint() }}) as assessed_people,
        cast(people_with_need as {{ dbt.type_bigint() }}) as people_with_need,
        cast(group_cell_id as {{ dbt.type_string() }}) as group_cell_id,
        cast(group_people as {{ dbt.type_bigint() }}) as group_people
    from rows_with_totals

)

select * from final
