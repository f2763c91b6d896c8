{#-
    Adult convictions of the young people's cohort by their number of youth convictions
    (docs/methodology.md section 3), complete cohorts only, after disclosure control (section 6):
    each youth conviction band in its offender group, and the totals of prolific young offenders,
    the other cohort members and all. The people are the cells of
    publication.young_people_characteristics (breakdown youth_conviction_band), protected
    together in publication_int.young_people_cells.
-#}

with

cells as (

    select * from {{ ref('publication_int__young_people_cells') }}

),

final as (

    select
        cohort_year,
        offender_group,
        category as youth_conviction_band,
        cast(category_order as integer) as youth_conviction_band_order,
        people,
        {{ sdc_published_marker('people_marker') }} as people_marker,
        adult_convictions,
        {{ sdc_published_marker('adult_convictions_marker') }}
            as adult_convictions_marker,
        adult_convictions_per_person,
        {{ sdc_published_marker('adult_convictions_per_person_marker') }}
            as adult_convictions_per_person_marker
    from cells
    where
        table_part = 'characteristics'
        and breakdown = 'youth_conviction_band'
        and (category = 'All' or offender_group != 'All')

)

select * from final
