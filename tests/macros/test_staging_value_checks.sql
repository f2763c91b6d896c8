-- earliest_date, is_date_of_birth_after_events, is_name_too_long and has_name_without_letters on
-- inline rows: the earliest of dates ignoring nulls; a date of birth after the earliest event
-- flagged, on or before it or with no event not; a name longer than var('max_name_length')
-- flagged, one of exactly that length not; a recorded name with no standardised form flagged.
-- Returns the cases whose result differs from the expected one; passes when empty.

with

date_cases (first_date, second_date, date_of_birth, expected_earliest, expected_after) as (
    values
    (date '2010-05-01', date '2011-01-01', date '1990-01-01', date '2010-05-01', false),
    (date '2011-01-01', date '2010-05-01', date '2010-05-01', date '2010-05-01', false),
    (null, date '2010-05-01', date '2010-05-02', date '2010-05-01', true),
    (date '2010-05-01', null, date '2012-01-01', date '2010-05-01', true),
    (null, null, date '2012-01-01', null, false),
    (date '2010-05-01', date '2011-01-01', null, date '2010-05-01', false)
),

name_cases (surname, surname_std, expected_too_long, expected_without_letters) as (
    values
    ('Smith', 'SMITH', false, false),
    (repeat('a', {{ var('max_name_length') }}), 'A', false, false),
    (repeat('a', {{ var('max_name_length') }} + 1), 'A', true, false),
    ('123', null, false, true),
    (null, null, false, false)
),

date_results as (

    select
        *,
        {{ earliest_date(['first_date', 'second_date']) }} as actual_earliest,
        {{ is_date_of_birth_after_events(
            'date_of_birth', earliest_date(['first_date', 'second_date'])
        ) }} as actual_after
    from date_cases

),

name_results as (

    select
        *,
        {{ is_name_too_long(['surname']) }} as actual_too_long,
        {{ has_name_without_letters(['surname']) }} as actual_without_letters
    from name_cases

),

final as (

    select 'dates' as checked, count(*) as failures
    from date_results
    where
        actual_earliest is distinct from expected_earliest
        or actual_after is distinct from expected_after

    union all

    select 'names' as checked, count(*) as failures
    from name_results
    where
        actual_too_long is distinct from expected_too_long
        or actual_without_letters is distinct from expected_without_letters

)

select * from final
where failures > 0
