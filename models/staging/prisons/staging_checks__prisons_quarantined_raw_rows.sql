{#- The raw rows of the quarantined rows of prisons's raw tables (macro quarantined_raw_rows). -#}

with

final as (

    {{ quarantined_raw_rows('prisons') }}

)

select * from final
