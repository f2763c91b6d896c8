{#- The raw rows of the quarantined rows of pnc's raw tables (macro quarantined_raw_rows). -#}

with

final as (

    {{ quarantined_raw_rows('pnc') }}

)

select * from final
