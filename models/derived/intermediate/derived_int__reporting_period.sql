{#-
    The reporting period of the derived tables (docs/methodology.md section 1): data_as_of, the
    earliest extract date of the sources, the last day every source could record anything. Every
    derived model that measures "as of" reads it from here.
-#}

with

extract_dates as (

    select * from {{ ref('linked__extract_dates') }}

),

final as (

    select min(data_as_of) as data_as_of
    from extract_dates

)

select * from final
