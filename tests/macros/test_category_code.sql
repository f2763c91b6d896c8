-- category_code: free-typed categories to lower-case underscore codes, blank -> null.
-- Returns the cases whose result differs from the expected value; passes when empty.
with

cases (input_value, expected) as (
    values
    ('Revoked - Further Offence', 'revoked_further_offence'),
    (' Pre-Sentence ', 'pre_sentence'),
    ('EXPIRED (NORMAL)', 'expired_normal'),
    ('completed', 'completed'),
    ('  ', null),
    (null, null)
),

results as (
    select
        input_value,
        expected,
        {{ repeat_offending.category_code('input_value') }} as actual
    from cases
)

select *
from results
where actual is distinct from expected
