-- normalise_postcode and postcode_district: upper case, whitespace removed, UK format checked,
-- one space before the inward code; the district is the outward code.
-- Returns the cases whose result differs from the expected value; passes when empty.
with

cases (input_value, expected, expected_district) as (
    values
    ('SW1A 1AA', 'SW1A 1AA', 'SW1A'),
    ('sw1a1aa', 'SW1A 1AA', 'SW1A'),
    ('  sw1a   1aa ', 'SW1A 1AA', 'SW1A'),
    ('M1 1AE', 'M1 1AE', 'M1'),
    ('m11ae', 'M1 1AE', 'M1'),
    ('B33 8TH', 'B33 8TH', 'B33'),
    ('CR2 6XH', 'CR2 6XH', 'CR2'),
    ('DN55 1PT', 'DN55 1PT', 'DN55'),
    ('W1A 0AX', 'W1A 0AX', 'W1A'),
    ('ec1a1bb', 'EC1A 1BB', 'EC1A'),
    ('gir 0aa', 'GIR 0AA', 'GIR'),
    ('SW1A' || chr(9) || '1AA', 'SW1A 1AA', 'SW1A'),
    -- invalid
    ('SW1A 1A', null, null),
    ('SW1A-1AA', null, null),
    ('1AA SW1', null, null),
    ('ABC 123', null, null),
    ('SW1AA 1AA', null, null),
    ('NFA', null, null),
    ('', null, null),
    (null, null, null)
),

results as (
    select
        input_value,
        expected,
        expected_district,
        {{ repeat_offending.normalise_postcode('input_value') }} as actual,
        {{ repeat_offending.postcode_district('input_value') }} as actual_district
    from cases
)

select *
from results
where
    actual is distinct from expected
    or actual_district is distinct from expected_district
