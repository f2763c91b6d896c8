-- clean_integer: whole numbers only (an optional sign and digits, spaces around allowed);
-- anything else, including decimals that a plain cast would round, -> null.
-- Returns the cases whose result differs from the expected value; passes when empty.
with

cases (input_value, expected, expected_integer) as (
    values
    ('12', 12, 12),
    (' 12 ', 12, 12),
    ('+12', 12, 12),
    ('-5', -5, -5),
    ('007', 7, 7),
    ('0', 0, 0),
    ('99999999999', 99999999999, null),
    ('99999999999999999999', null, null),
    ('1.5', null, null),
    ('1.0', null, null),
    ('1_000', null, null),
    ('1e3', null, null),
    ('0x10', null, null),
    ('1 000', null, null),
    ('twelve', null, null),
    ('', null, null),
    (null, null, null)
),

results as (
    select
        input_value,
        expected,
        expected_integer,
        {{ repeat_offending.clean_integer('input_value') }} as actual,
        {{ repeat_offending.clean_integer('input_value', 'integer') }} as actual_integer
    from cases
)

select *
from results
where
    actual is distinct from expected
    or actual_integer is distinct from expected_integer
