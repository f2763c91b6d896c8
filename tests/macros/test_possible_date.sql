-- possible_date and is_date_doubtful: a date before 1900 or after the extract day is nulled and
-- flagged; a recorded text that did not parse is flagged; nothing recorded is not doubtful.
-- Returns the cases whose result differs from the expected one; passes when empty.

with

cases (date_text, parsed, extracted_at, expected_date, expected_doubtful) as (
    values
    ('04/03/1980', date '1980-03-04', timestamp '2025-06-30 23:59:59', date '1980-03-04', false),
    ('01/01/1900', date '1900-01-01', timestamp '2025-06-30 23:59:59', date '1900-01-01', false),
    ('31/12/1899', date '1899-12-31', timestamp '2025-06-30 23:59:59', null, true),
    ('30/06/2025', date '2025-06-30', timestamp '2025-06-30 23:59:59', date '2025-06-30', false),
    ('01/07/2025', date '2025-07-01', timestamp '2025-06-30 23:59:59', null, true),
    ('31/02/1980', null, timestamp '2025-06-30 23:59:59', null, true),
    ('04/03/1800', date '1800-03-04', timestamp '2025-06-30 23:59:59', null, true),
    ('04/03/2200', date '2200-03-04', timestamp '2025-06-30 23:59:59', null, true),
    (null, null, timestamp '2025-06-30 23:59:59', null, false)
),

results as (

    select
        *,
        {{ possible_date('parsed', 'extracted_at') }} as actual_date,
        {{ is_date_doubtful('date_text', 'parsed', 'extracted_at') }} as actual_doubtful
    from cases

),

final as (

    select *
    from results
    where
        actual_date is distinct from expected_date
        or actual_doubtful is distinct from expected_doubtful

)

select * from final
