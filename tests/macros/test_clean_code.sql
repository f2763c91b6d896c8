-- clean_code: trimmed (spaces, tabs, newlines), upper-cased, blank -> null.
-- Returns the cases whose result differs from the expected value; passes when empty.
with

cases (input_value, expected) as (
    values
    ('TH68010', 'TH68010'),
    (' th68010 ', 'TH68010'),
    (chr(9) || 'conv' || chr(10), 'CONV'),
    ('Not Guilty', 'NOT GUILTY'),
    ('  a  b ', 'A  B'),
    ('', null),
    ('   ', null),
    (null, null)
),

results as (
    select
        input_value,
        expected,
        {{ repeat_offending.clean_code('input_value') }} as actual
    from cases
)

select *
from results
where actual is distinct from expected
