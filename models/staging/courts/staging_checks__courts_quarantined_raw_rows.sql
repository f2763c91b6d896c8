{#- The raw rows of the quarantined rows of courts's raw tables (macro quarantined_raw_rows). -#}

with

final as (

    {{ quarantined_raw_rows('courts') }}

)

select * from final
