{#-
    The counted proven offences as of data_as_of (docs/methodology.md sections 1, 3 and 4): proven
    offences that are recordable and not a breach (`is_counted`), proven on or before data_as_of
    (derived_int.reporting_period). The one place the rule lives: offender histories, the first
    proven offences and young people's repeat offending read them from here.
-#}

with

proven_offences as (

    select * from {{ ref('linked__proven_offences') }}

),

reporting_period as (

    select * from {{ ref('derived_int__reporting_period') }}

),

final as (

    select proven_offences.*
    from proven_offences
    cross join reporting_period
    where
        proven_offences.is_counted
        and proven_offences.proven_date <= reporting_period.data_as_of

)

select * from final
