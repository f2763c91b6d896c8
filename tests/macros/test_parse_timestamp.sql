-- parse_timestamp: strict `YYYY-MM-DD HH:MM:SS`, for DuckDB and for the portable default__
-- implementation.
-- Returns the cases whose result differs from the expected value; passes when empty.
with

cases (input_value, expected) as (
    values
    ('2025-06-30 23:59:59', '2025-06-30 23:59:59'),
    (' 2019-03-04 10:11:12 ', '2019-03-04 10:11:12'),
    ('2020-02-29 00:00:00', '2020-02-29 00:00:00'),
    ('2019-02-29 00:00:00', null),
    ('2019-03-04 24:00:00', null),
    ('2019-03-04 10:60:00', null),
    ('2019-03-04 10:11', null),
    ('2019-03-04T10:11:12', null),
    ('2019-03-04', null),
    ('04/03/2019 10:11:12', null),
    ('', null),
    (null, null)
),

results as (
    select
        input_value,
        cast(expected as timestamp) as expected,
        {{ repeat_offending.parse_timestamp('input_value') }} as actual,
        {{ repeat_offending.default__parse_timestamp('input_value') }} as actual_portable
    from cases
)

select *
from results
where
    actual is distinct from expected
    or actual_portable is distinct from expected
