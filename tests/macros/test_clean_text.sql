-- clean_text: trimmed, internal runs of whitespace collapsed to one space, case kept,
-- blank -> null.
-- Returns the cases whose result differs from the expected value; passes when empty.
with

cases (input_value, expected) as (
    values
    ('  White:  British ', 'White: British'),
    ('a' || chr(9) || chr(9) || 'b' || chr(10), 'a b'),
    ('Keep Case', 'Keep Case'),
    ('', null),
    ('  ', null),
    (null, null)
),

results as (
    select
        input_value,
        expected,
        {{ repeat_offending.clean_text('input_value') }} as actual
    from cases
)

select *
from results
where actual is distinct from expected
