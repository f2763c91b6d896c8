{#-
    Every cell of publication.first_time_entrants_by_year (docs/methodology.md sections 3 and 6):
    the first-time entrants of each complete year in total and by age at the offence, kind of first
    outcome and offence group, with disclosure control applied once. The year's total is one cell
    (breakdown `All`), the total of every breakdown; the public table repeats it in each. Category
    lists: reference.publication_first_time_entrants_categories (with reference.offence_groups).
-#}
{%- set string_type = dbt.type_string() %}

with

first_time_entrants as (

    select * from {{ ref('derived__first_time_entrants') }}

),

offence_groups as (

    select * from {{ ref('reference__offence_groups') }}

),

listed_categories as (

    select * from {{ ref('reference__publication_first_time_entrants_categories') }}

),

entrants as (

    select
        fte_year,
        case
            when age_at_first_proven_offence <= 14 then '10-14'
            else '15-17'
        end as age_band,
        case first_outcome_type
            when 'caution' then 'Caution'
            else 'Conviction'
        end as first_outcome,
        first_offence_group
    from first_time_entrants
    where is_fte_year_complete

),

years as (

    select distinct fte_year from entrants

),

-- every category, so that no cell is left out (which would show it to be zero)
categories as (

    select
        breakdown,
        category,
        category_order
    from listed_categories

    union all

    select
        'first_offence_group' as breakdown,
        offence_group as category,
        cast(offence_group_code as integer) as category_order
    from offence_groups

),

breakdowns as (

    select distinct breakdown from categories

),

category_counts as (

    select
        fte_year,
        'age_band' as breakdown,
        age_band as category,
        count(*) as first_time_entrants
    from entrants
    group by fte_year, age_band

    union all

    select
        fte_year,
        'first_outcome' as breakdown,
        first_outcome as category,
        count(*) as first_time_entrants
    from entrants
    group by fte_year, first_outcome

    union all

    select
        fte_year,
        'first_offence_group' as breakdown,
        first_offence_group as category,
        count(*) as first_time_entrants
    from entrants
    group by fte_year, first_offence_group

),

year_counts as (

    select
        fte_year,
        count(*) as first_time_entrants
    from entrants
    group by fte_year

),

cells as (

    select
        years.fte_year,
        categories.breakdown,
        categories.category,
        categories.category_order,
        'fte|' || cast(years.fte_year as {{ string_type }}) || '|' || categories.breakdown
        || '|' || categories.category as cell_id,
        coalesce(category_counts.first_time_entrants, 0) as first_time_entrants
    from years
    cross join categories
    left join category_counts
        on
            years.fte_year = category_counts.fte_year
            and categories.breakdown = category_counts.breakdown
            and categories.category = category_counts.category

    union all

    select
        fte_year,
        'All' as breakdown,
        'All' as category,
        0 as category_order,
        'fte|' || cast(fte_year as {{ string_type }}) as cell_id,
        first_time_entrants
    from year_counts

),

sdc_cells as (

    select
        cell_id,
        1 as stage,
        cast(null as {{ string_type }}) as parent_cell_id,
        first_time_entrants as people,
        cast(null as integer) as complement_people
    from cells

),

-- the categories of each breakdown add up to the year's first-time entrants
sdc_relations as (

    select
        'fte|' || cast(cells.fte_year as {{ string_type }}) || '|' || breakdowns.breakdown
            as relation_id,
        cells.cell_id,
        cells.breakdown = 'All' as is_total
    from cells
    inner join breakdowns
        on cells.breakdown in (breakdowns.breakdown, 'All')

),

suppression as (
    {{ sdc_suppress('sdc_cells', 'sdc_relations') }}
),

marked as (

    select
        cells.*,
        suppression.suppression_marker as first_time_entrants_marker
    from cells
    inner join suppression
        on cells.cell_id = suppression.cell_id

),

-- the published values: counts rounded, with their markers
final as (

    select
        marked.cell_id,
        marked.fte_year,
        marked.breakdown,
        marked.category,
        cast(marked.category_order as integer) as category_order,
        {{ sdc_count('marked.first_time_entrants', 'marked.first_time_entrants_marker') }}
            as first_time_entrants,
        marked.first_time_entrants_marker
    from marked

)

select * from final
