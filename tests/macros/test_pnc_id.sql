-- is_valid_pnc_id and normalise_pnc_id. Check characters as computed by
-- generator/src/justice_world/pnc.py: 2003/0123456L, 1999/0000001G, 2019/9999999C, 2000/0000000Z,
-- 1985/4242424Y, 2024/7654321D.
-- Returns the cases whose result differs from the expected value; passes when empty.
with

cases (input_value, expected_valid, expected_normalised) as (
    values
    ('2003/0123456L', true, '2003/0123456L'),
    ('1999/0000001G', true, '1999/0000001G'),
    ('2019/9999999C', true, '2019/9999999C'),
    ('2000/0000000Z', true, '2000/0000000Z'),
    ('1985/4242424Y', true, '1985/4242424Y'),
    -- wrong check character
    ('2003/0123456M', false, null),
    ('2024/7654321A', false, null),
    -- cleanable: case, spaces, two-digit years (pivot 30), short serials
    ('2003/0123456l', false, '2003/0123456L'),
    (' 2003/ 0123456L ', false, '2003/0123456L'),
    ('03/0123456L', false, '2003/0123456L'),
    ('99/0000001G', false, '1999/0000001G'),
    ('00/0000000Z', false, '2000/0000000Z'),
    ('85/4242424y', false, '1985/4242424Y'),
    ('1999/1G', false, '1999/0000001G'),
    ('03/123456L', false, '2003/0123456L'),
    -- the century pivot (30): 30 -> 2030, 31 -> 1931
    ('30/5L', false, '2030/0000005L'),
    ('31/5B', false, '1931/0000005B'),
    -- the century does not enter the check character (only YY does)
    ('24/7654321D', false, '2024/7654321D'),
    -- not cleanable
    ('2003/01234567L', false, null),
    ('2003-0123456L', false, null),
    ('200/0123456L', false, null),
    ('2003/0123456', false, null),
    ('2003/012345AL', false, null),
    ('20030123456L', false, null),
    ('', false, null),
    (null, false, null)
),

results as (
    select
        input_value,
        expected_valid,
        expected_normalised,
        {{ repeat_offending.is_valid_pnc_id('input_value') }} as actual_valid,
        {{ repeat_offending.normalise_pnc_id('input_value') }} as actual_normalised
    from cases
)

select *
from results
where
    actual_valid is distinct from expected_valid
    or actual_normalised is distinct from expected_normalised
