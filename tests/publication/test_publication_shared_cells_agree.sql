-- Cells published in two places must be the same value with the same marker: the `All` category
-- of each proven reoffending breakdown is the year's row of publication.proven_reoffending_by_year;
-- the people of the adult convictions table are the youth conviction band cells of
-- publication.young_people_characteristics. Returns the rows that differ; passes when empty.
with

breakdown_totals as (

    select
        breakdowns.cohort_year,
        breakdowns.age_group,
        breakdowns.breakdown
    from {{ ref('publication__proven_reoffending_breakdowns') }} as breakdowns
    left join {{ ref('publication__proven_reoffending_by_year') }} as years
        on
            breakdowns.cohort_year = years.cohort_year
            and breakdowns.age_group = years.age_group
    where
        breakdowns.category = 'All'
        and (
            years.cohort_year is null
            {%- for column in [
                'offenders', 'offenders_marker', 'reoffenders', 'reoffenders_marker',
                'proven_reoffending_rate', 'reoffences', 'reoffences_marker',
                'average_days_to_first_reoffence'
            ] %}
                or coalesce(cast(breakdowns.{{ column }} as varchar), '-')
                != coalesce(cast(years.{{ column }} as varchar), '-')
            {%- endfor %}
        )

),

band_people as (

    select
        convictions.cohort_year,
        convictions.offender_group,
        convictions.youth_conviction_band
    from {{ ref('publication__young_people_adult_convictions') }} as convictions
    left join {{ ref('publication__young_people_characteristics') }} as characteristics
        on
            convictions.cohort_year = characteristics.cohort_year
            and characteristics.breakdown = 'youth_conviction_band'
            and convictions.youth_conviction_band = characteristics.category
            and convictions.offender_group = characteristics.offender_group
    where
        characteristics.cohort_year is null
        or coalesce(convictions.people, -1) != coalesce(characteristics.people, -1)
        or coalesce(convictions.people_marker, '-') != coalesce(characteristics.people_marker, '-')

)

select
    'proven_reoffending_breakdowns' as table_name,
    cast(cohort_year as varchar) || ' ' || age_group || ' ' || breakdown as cell
from breakdown_totals

union all

select
    'young_people_adult_convictions' as table_name,
    cast(cohort_year as varchar) || ' ' || offender_group || ' ' || youth_conviction_band as cell
from band_people
