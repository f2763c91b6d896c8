{#-
    First-time entrants to the justice system (aged 10-17 at their first proven offence;
    docs/methodology.md section 3) by year of their first caution or conviction, in total and by age
    at the offence, kind of first outcome and offence group, complete years only, after disclosure
    control (section 6). The cells and their protection: publication_int.first_time_entrants_cells.
-#}

with

cells as (

    select * from {{ ref('publication_int__first_time_entrants_cells') }}

),

breakdowns as (

    select distinct breakdown
    from cells
    where breakdown != 'All'

),

-- the year's total is repeated as the category `All` of each breakdown
final as (

    select
        fte_year,
        breakdown,
        category,
        category_order,
        first_time_entrants,
        {{ sdc_published_marker('first_time_entrants_marker') }}
            as first_time_entrants_marker
    from cells
    where breakdown != 'All'

    union all

    select
        years.fte_year,
        breakdowns.breakdown,
        'All' as category,
        0 as category_order,
        years.first_time_entrants,
        {{ sdc_published_marker('years.first_time_entrants_marker') }}
            as first_time_entrants_marker
    from cells as years
    cross join breakdowns
    where years.breakdown = 'All'

)

select * from final
