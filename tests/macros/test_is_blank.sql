-- is_blank: null, empty or whitespace only.
-- Returns the cases whose result differs from the expected value; passes when empty.
with

cases (input_value, expected) as (
    values
    ('x', false),
    (' x ', false),
    ('0', false),
    ('', true),
    ('   ', true),
    (chr(9) || chr(10), true),
    (null, true)
),

results as (
    select
        input_value,
        expected,
        {{ repeat_offending.is_blank('input_value') }} as actual
    from cases
)

select *
from results
where actual is distinct from expected
