-- audit_distinct_count: distinct non-null values, nulls and repeats not counted (exact on
-- DuckDB; on Spark a sketch that is exact at these sizes). Returns the groups whose count
-- differs; passes when empty.
with

cases (case_group, case_value, expected) as (
    values
    ('all null', cast(null as {{ dbt.type_string() }}), 0),
    ('one value', 'a', 1),
    ('one value', 'a', 1),
    ('repeats and nulls', 'a', 3),
    ('repeats and nulls', 'b', 3),
    ('repeats and nulls', 'b', 3),
    ('repeats and nulls', cast(null as {{ dbt.type_string() }}), 3),
    ('repeats and nulls', 'c', 3),
    ('case matters', 'x', 2),
    ('case matters', 'X', 2)
),

counted as (
    select
        case_group,
        max(expected) as expected,
        {{ repeat_offending.audit_distinct_count('case_value') }} as actual
    from cases
    group by case_group
),

final as (
    select *
    from counted
    where actual != expected
)

select * from final
