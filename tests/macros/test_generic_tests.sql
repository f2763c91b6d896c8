-- The project's generic tests, run on inline rows: each must return exactly the offending rows.
-- Returns a row per generic test whose failure count is not the expected one; passes when empty.
with

key_rows (person_id, system_code, amount) as (
    values
    (1, 'a', 10),
    (1, 'b', 20),
    (2, 'a', 30),
    (2, 'a', 40),
    (3, null, 50),
    (3, null, 60)
),

unique_combination_failures as (
    {{ repeat_offending.test_unique_combination_of_columns(
        'key_rows', ['person_id', 'system_code']
    ) }}
),

column_expression_failures as (
    {{ repeat_offending.test_expression_is_true('key_rows', '>= 30', column_name='amount') }}
),

model_expression_failures as (
    {{ repeat_offending.test_expression_is_true('key_rows', 'system_code is not null') }}
),

failure_counts as (
    select
        'unique_combination_of_columns' as generic_test,
        2 as expected_failures,
        count(*) as actual_failures
    from unique_combination_failures
    union all
    select
        'expression_is_true on a column' as generic_test,
        2 as expected_failures,
        count(*) as actual_failures
    from column_expression_failures
    union all
    select
        'expression_is_true on a model' as generic_test,
        2 as expected_failures,
        count(*) as actual_failures
    from model_expression_failures
)

select *
from failure_counts
where actual_failures != expected_failures
