{#- category_code turns free-typed categories into stable codes. Passes when no row is returned. -#}
with

cases as (

    select * from (
        values
        ('Revoked - Further Offence', 'revoked_further_offence'),
        (' Pre-Sentence ', 'pre_sentence'),
        ('EXPIRED (NORMAL)', 'expired_normal'),
        ('completed', 'completed'),
        ('  ', null),
        (null, null)
    ) as t (input_text, expected)

),

final as (

    select
        input_text,
        expected,
        {{ category_code('input_text') }} as actual
    from cases

)

select * from final
where actual is distinct from expected
