{#-
    Criminogenic needs of the young people's cohort (docs/methodology.md section 3): for each need
    of the offender assessment, the share of assessed prolific young offenders, other cohort members
    and all with the need scored 2 (a significant problem), complete cohorts only, after disclosure
    control (section 6), protected together with the other young people tables in
    publication_int.young_people_cells.
-#}

with

cells as (

    select * from {{ ref('publication_int__young_people_cells') }}

),

final as (

    select
        cohort_year,
        need,
        need_description,
        cast(category_order as integer) as need_order,
        offender_group,
        assessed_people,
        {{ sdc_published_marker('assessed_people_marker') }} as assessed_people_marker,
        people_with_need,
        {{ sdc_published_marker('people_with_need_marker') }} as people_with_need_marker,
        percentage_with_need,
        {{ sdc_published_marker('percentage_with_need_marker') }}
            as percentage_with_need_marker
    from cells
    where table_part = 'needs'

)

select * from final
