-- The generic test not_recoverable_from_totals on inline cells: each case must return exactly
-- the groups from which a single suppressed value could be worked out. Returns a row per case
-- whose failure count is not the expected one; passes when empty.
with

quarter_cells (cohort_year, cohort_quarter, offenders, offenders_marker) as (
    values
    -- 2021: one quarter suppressed and the year published: recoverable
    (2021, '2021-Q1', 40, null),
    (2021, '2021-Q2', null, 'primary'),
    (2021, '2021-Q3', 35, null),
    (2021, '2021-Q4', 50, null),
    -- 2022: two quarters suppressed: protected
    (2022, '2022-Q1', 40, null),
    (2022, '2022-Q2', null, 'primary'),
    (2022, '2022-Q3', null, 'secondary'),
    (2022, '2022-Q4', 50, null),
    -- 2023: an incomplete year, not published as a total: nothing to work out
    (2023, '2023-Q1', 45, null),
    (2023, '2023-Q2', null, 'primary')
),

year_cells (cohort_year, offenders, offenders_marker) as (
    values
    (2021, 130, null),
    (2022, 120, null)
),

with_totals_failures as (
    {{ repeat_offending.test_not_recoverable_from_totals(
        'quarter_cells', ['cohort_year'], 'offenders', 'offenders_marker', totals='year_cells'
    ) }}
),

without_totals_failures as (
    {{ repeat_offending.test_not_recoverable_from_totals(
        'quarter_cells', ['cohort_year'], 'offenders', 'offenders_marker'
    ) }}
),

failure_counts as (
    select
        'with totals: only the published year with one suppressed quarter' as test_case,
        1 as expected_failures,
        count(*) as actual_failures
    from with_totals_failures
    where cohort_year = 2021
    union all
    select
        'with totals: no other year' as test_case,
        0 as expected_failures,
        count(*) as actual_failures
    from with_totals_failures
    where cohort_year != 2021
    union all
    select
        'without totals: every group with one suppressed member (the safe side)' as test_case,
        2 as expected_failures,
        count(*) as actual_failures
    from without_totals_failures
)

select *
from failure_counts
where actual_failures != expected_failures
