{#-
    Repeat offending by children and young people (docs/methodology.md section 3): prolific young
    offenders (PYO, 3 or more youth convictions) against the other members of the cohort, by
    characteristic, complete cohorts only, after disclosure control (section 6). The cells of the
    three young people tables are protected together:
    publication_int.young_people_cells.
-#}

with

cells as (

    select * from {{ ref('publication_int__young_people_cells') }}

),

final as (

    select
        cohort_year,
        breakdown,
        category,
        cast(category_order as integer) as category_order,
        offender_group,
        people,
        {{ sdc_published_marker('people_marker') }} as people_marker,
        percentage,
        {{ sdc_published_marker('percentage_marker') }} as percentage_marker
    from cells
    where table_part = 'characteristics'

)

select * from final
