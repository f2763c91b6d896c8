{#- The raw rows of the quarantined rows of oasys's raw tables (macro quarantined_raw_rows). -#}

with

final as (

    {{ quarantined_raw_rows('oasys') }}

)

select * from final
