{#- The raw rows of the quarantined rows of probation's raw tables (macro quarantined_raw_rows). -#}

with

final as (

    {{ quarantined_raw_rows('probation') }}

)

select * from final
