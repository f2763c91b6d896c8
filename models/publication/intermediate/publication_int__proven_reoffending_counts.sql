{#-
    The unrounded counts of every cell of the proven reoffending tables (docs/methodology.md sections 2
    and 6), before disclosure control: complete cohort quarters and years, every category of every
    breakdown on the full grid, zero cells included. publication_int__proven_reoffending_cells protects
    them. A relation of its own so that the disclosure pass reads a table: Spark copies a CTE into every
    query step that reads it. Category lists: reference.publication_age_groups and
    reference.publication_proven_reoffending_categories (with reference.offence_groups and
    reference.regions).
-#}
{%- set string_type = dbt.type_string() %}
{%- set breakdowns = [
    'age_band', 'sex', 'ethnicity_group', 'index_offence_group', 'index_disposal_group',
    'previous_offences_band', 'region'
] %}

with

proven_reoffending as (

    select * from {{ ref('derived__proven_reoffending') }}

),

offence_groups as (

    select * from {{ ref('reference__offence_groups') }}

),

regions as (

    select * from {{ ref('reference__regions') }}

),

age_groups as (

    select * from {{ ref('reference__publication_age_groups') }}

),

listed_categories as (

    select * from {{ ref('reference__publication_proven_reoffending_categories') }}

),

-- a cohort quarter is published when every one of its rows has its complete follow-up
complete_quarters as (

    select
        cohort_quarter,
        min(cohort_year) as cohort_year
    from proven_reoffending
    group by cohort_quarter
    having sum(case when has_complete_follow_up then 0 else 1 end) = 0

),

-- and a cohort year when its four quarters are
complete_years as (

    select cohort_year
    from complete_quarters
    group by cohort_year
    having count(*) = 4

),

-- the cohort of the complete quarters, with the publication's age group and categories; people
-- whose age is unknown are adults (the adult disposal groups apply to them) with the age band
-- `Unknown`
cohort as (

    select
        proven_reoffending.cohort_quarter,
        proven_reoffending.cohort_year,
        case when proven_reoffending.is_juvenile then 'Juvenile' else 'Adult' end as age_group,
        proven_reoffending.is_reoffender,
        proven_reoffending.reoffences,
        proven_reoffending.days_to_first_reoffence,
        coalesce(proven_reoffending.age_band, 'Unknown') as age_band,
        case proven_reoffending.sex
            when 'F' then 'Female'
            when 'M' then 'Male'
            else 'Unknown'
        end as sex,
        proven_reoffending.ethnicity_group,
        coalesce(proven_reoffending.index_offence_group, 'Unknown') as index_offence_group,
        proven_reoffending.index_disposal_group,
        proven_reoffending.previous_offences_band,
        coalesce(proven_reoffending.region_name, 'Unknown') as region
    from proven_reoffending
    inner join complete_quarters
        on proven_reoffending.cohort_quarter = complete_quarters.cohort_quarter

),

-- every category of every breakdown, for each age group: cells with no offenders are published
-- (suppressed) rather than left out, which would show them to be zero. Categories impossible for an
-- age group (a juvenile aged 25, an adult youth rehabilitation order) are structural zeros and not
-- listed.
categories as (

    select
        age_group,
        breakdown,
        category,
        category_order
    from listed_categories

    union all

    select
        age_groups.age_group,
        'index_offence_group' as breakdown,
        offence_groups.offence_group as category,
        cast(offence_groups.offence_group_code as integer) as category_order
    from offence_groups
    cross join age_groups
    where age_groups.age_group != 'All'

    union all

    select
        age_groups.age_group,
        'region' as breakdown,
        regions.region_name as category,
        row_number() over (
            partition by age_groups.age_group order by regions.region_code
        ) as category_order
    from regions
    cross join age_groups
    where age_groups.age_group != 'All'

),

-- measures per cohort quarter and age group (`All` = juveniles and adults)
quarter_measures as (

    select
        cohort_quarter,
        age_group,
        count(*) as offenders,
        sum(case when is_reoffender then 1 else 0 end) as reoffenders,
        sum(reoffences) as reoffences,
        sum(days_to_first_reoffence) as days_to_first_reoffence_total
    from cohort
    group by cohort_quarter, age_group

    union all

    select
        cohort_quarter,
        'All' as age_group,
        count(*) as offenders,
        sum(case when is_reoffender then 1 else 0 end) as reoffenders,
        sum(reoffences) as reoffences,
        sum(days_to_first_reoffence) as days_to_first_reoffence_total
    from cohort
    group by cohort_quarter

),

year_measures as (

    select
        cohort.cohort_year,
        cohort.age_group,
        count(*) as offenders,
        sum(case when cohort.is_reoffender then 1 else 0 end) as reoffenders,
        sum(cohort.reoffences) as reoffences,
        sum(cohort.days_to_first_reoffence) as days_to_first_reoffence_total
    from cohort
    inner join complete_years
        on cohort.cohort_year = complete_years.cohort_year
    group by cohort.cohort_year, cohort.age_group

    union all

    select
        cohort.cohort_year,
        'All' as age_group,
        count(*) as offenders,
        sum(case when cohort.is_reoffender then 1 else 0 end) as reoffenders,
        sum(cohort.reoffences) as reoffences,
        sum(cohort.days_to_first_reoffence) as days_to_first_reoffence_total
    from cohort
    inner join complete_years
        on cohort.cohort_year = complete_years.cohort_year
    group by cohort.cohort_year

),

breakdown_rows as (
    {%- for breakdown in breakdowns %}

        select
            cohort.cohort_year,
            cohort.age_group,
            '{{ breakdown }}' as breakdown,
            cohort.{{ breakdown }} as category,
            cohort.is_reoffender,
            cohort.reoffences,
            cohort.days_to_first_reoffence
        from cohort
        inner join complete_years
            on cohort.cohort_year = complete_years.cohort_year

        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

breakdown_measures as (

    select
        cohort_year,
        age_group,
        breakdown,
        category,
        count(*) as offenders,
        sum(case when is_reoffender then 1 else 0 end) as reoffenders,
        sum(reoffences) as reoffences,
        sum(days_to_first_reoffence) as days_to_first_reoffence_total
    from breakdown_rows
    group by cohort_year, age_group, breakdown, category

),

-- the cells: one per published value set, on the full grid (zero cells included)
cells as (

    select
        'quarter|' || complete_quarters.cohort_quarter || '|' || age_groups.age_group as cell_id,
        'quarter' as table_part,
        complete_quarters.cohort_quarter,
        complete_quarters.cohort_year,
        age_groups.age_group,
        age_groups.age_group_order,
        'All' as breakdown,
        'All' as category,
        0 as category_order,
        coalesce(quarter_measures.offenders, 0) as offenders,
        coalesce(quarter_measures.reoffenders, 0) as reoffenders,
        coalesce(quarter_measures.reoffences, 0) as reoffences,
        coalesce(quarter_measures.days_to_first_reoffence_total, 0) as days_to_first_reoffence_total
    from complete_quarters
    cross join age_groups
    left join quarter_measures
        on
            complete_quarters.cohort_quarter = quarter_measures.cohort_quarter
            and age_groups.age_group = quarter_measures.age_group

    union all

    select
        'year|' || cast(complete_years.cohort_year as {{ string_type }}) || '|'
        || age_groups.age_group as cell_id,
        'year' as table_part,
        cast(null as {{ string_type }}) as cohort_quarter,
        complete_years.cohort_year,
        age_groups.age_group,
        age_groups.age_group_order,
        'All' as breakdown,
        'All' as category,
        0 as category_order,
        coalesce(year_measures.offenders, 0) as offenders,
        coalesce(year_measures.reoffenders, 0) as reoffenders,
        coalesce(year_measures.reoffences, 0) as reoffences,
        coalesce(year_measures.days_to_first_reoffence_total, 0) as days_to_first_reoffence_total
    from complete_years
    cross join age_groups
    left join year_measures
        on
            complete_years.cohort_year = year_measures.cohort_year
            and age_groups.age_group = year_measures.age_group

    union all

    select
        'year|' || cast(complete_years.cohort_year as {{ string_type }}) || '|'
        || categories.age_group || '|' || categories.breakdown || '|' || categories.category
            as cell_id,
        'breakdown' as table_part,
        cast(null as {{ string_type }}) as cohort_quarter,
        complete_years.cohort_year,
        categories.age_group,
        age_groups.age_group_order,
        categories.breakdown,
        categories.category,
        categories.category_order,
        coalesce(breakdown_measures.offenders, 0) as offenders,
        coalesce(breakdown_measures.reoffenders, 0) as reoffenders,
        coalesce(breakdown_measures.reoffences, 0) as reoffences,
        coalesce(breakdown_measures.days_to_first_reoffence_total, 0)
            as days_to_first_reoffence_total
    from complete_years
    cross join categories
    inner join age_groups
        on categories.age_group = age_groups.age_group
    left join breakdown_measures
        on
            complete_years.cohort_year = breakdown_measures.cohort_year
            and categories.age_group = breakdown_measures.age_group
            and categories.breakdown = breakdown_measures.breakdown
            and categories.category = breakdown_measures.category

),

-- the contract's types, the same on every engine
final as (

    select
        cast(cell_id as {{ dbt.type_string() }}) as cell_id,
        cast(table_part as {{ dbt.type_string() }}) as table_part,
        cast(cohort_quarter as {{ dbt.type_string() }}) as cohort_quarter,
        cast(cohort_year as {{ dbt.type_int() }}) as cohort_year,
        cast(age_group as {{ dbt.type_string() }}) as age_group,
        cast(age_group_order as {{ dbt.type_int() }}) as age_group_order,
        cast(breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(category as {{ dbt.type_string() }}) as category,
        cast(category_order as {{ dbt.type_int() }}) as category_order,
        cast(offenders as {{ dbt.type_bigint() }}) as offenders,
        cast(reoffenders as {{ dbt.type_bigint() }}) as reoffenders,
        cast(reoffences as {{ dbt.type_bigint() }}) as reoffences,
        cast(days_to_first_reoffence_total as {{ dbt.type_bigint() }})
            as days_to_first_reoffence_total
    from cells

)

select * from final
