-- sdc_ratio: the ratio rounded half up on the exact value (2031 / 20 = 101.55 gives 101.6 on every
-- engine; round() of the double gave 101.5 on DuckDB), null when the denominator is suppressed or
-- below the threshold (10) or the numerator is suppressed. Returns the cases whose result differs
-- from the expected value; passes when empty.
{%- set n, d = 'numerator', 'denominator' %}
{%- set n_marker, d_marker = 'numerator_marker', 'denominator_marker' %}
with

cases (numerator, denominator, denominator_marker, numerator_marker, scale, decimals, expected) as (
    values
    (2031, 20, null, null, 1, 1, 101.6e0),
    (2029, 20, null, null, 1, 1, 101.5e0),
    (1, 10, null, null, 1, 2, 0.1e0),
    (10, 80, null, null, 1, 2, 0.13e0),
    (5, 9, null, null, 100, 1, null),
    (5, 18, null, null, 100, 1, 27.8e0),
    (2, 3, null, null, 100, 1, null),
    (20, 30, null, null, 100, 1, 66.7e0),
    (13, 40, null, null, 100, 1, 32.5e0),
    (0, 12, null, null, 100, 1, 0.0e0),
    (12, 12, null, null, 100, 1, 100.0e0),
    (3000000000, 12, null, null, 100, 1, 25000000000.0e0),
    (20, 30, 'primary', null, 100, 1, null),
    (20, 30, null, 'secondary', 100, 1, null)
),

results as (
    select
        cases.*,
        case
            when scale = 100 and decimals = 1
                then {{ sdc_ratio(n, d, d_marker, n_marker, scale=100, decimals=1) }}
            when scale = 1 and decimals = 1
                then {{ sdc_ratio(n, d, d_marker, n_marker, scale=1, decimals=1) }}
            else {{ sdc_ratio(n, d, d_marker, n_marker, scale=1, decimals=2) }}
        end as actual
    from cases
)

select *
from results
where actual is distinct from expected
