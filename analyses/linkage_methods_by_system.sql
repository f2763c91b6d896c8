-- How the person records of each system were linked: share of records attached by each link method,
-- and the people they form. Compile with `dbt compile` and run the SQL in target/compiled/.
with

links as (

    select * from {{ ref('linked__person_links') }}

),

by_method as (

    select
        source_system,
        link_method,
        count(*) as person_records,
        count(distinct person_id) as people
    from links
    group by source_system, link_method

),

final as (

    select
        source_system,
        link_method,
        person_records,
        people,
        round(
            100.0 * person_records / sum(person_records) over (partition by source_system), 2
        ) as percent_of_system_records
    from by_method

)

select * from final
order by source_system, person_records desc
