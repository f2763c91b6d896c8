-- earliest_date, is_date_of_birth_after_events, is_name_too_long and has_name_without_letters on inline
-- rows: the earliest of dates ignoring nulls; a date of birth after the earliest event flagged, on or
-- before it or with no event not; a name longer than var('max_name_length') flagged, one of exactly that
-- length not; a recorded name with no standardised form flagged.
-- Returns the cases whose result differs from the expected one; passes when empty.

with

cases (
    first_date, second_date, date_of_birth, surname, surname_std,
    expected_earliest, expected_after, expected_too_long, expected_without_letters
) as (
    values
    (date '2010-05-01', date '2011-01-01', date '1990-01-01', 'Smith', 'SMITH',
        date '2010-05-01', false, false, false),
    (date '2011-01-01', date '2010-05-01', date '2010-05-01', 'Smith', 'SMITH',
        date '2010-05-01', false, false, false),
    (null, date '2010-05-01', date '2010-05-02', 'Smith', 'SMITH',
        date '2010-05-01', true, false, false),
    (date '2010-05-01', null, date '2012-01-01', repeat('a', {{ var('max_name_length') }}), 'A',
        date '2010-05-01', true, false, false),
    (null, null, date '2012-01-01', repeat('a', {{ var('max_name_length') }} + 1), 'A',
        null, false, true, false),
    (date '2010-05-01', date '2011-01-01', null, '123', null,
        date '2010-05-01', false, false, true),
    (null, null, null, null, null,
        null, false, false, false)
),

results as (

    select
        *,
        {{ earliest_date(['first_date', 'second_date']) }} as actual_earliest,
        {{ is_date_of_birth_after_events('date_of_birth', earliest_date(['first_date', 'second_date'])) }}
            as actual_after,
        {{ is_name_too_long(['surname']) }} as actual_too_long,
        {{ has_name_without_letters(['surname']) }} as actual_without_letters
    from cases

),

final as (

    select *
    from results
    where
        actual_earliest is distinct from expected_earliest
        or actual_after is distinct from expected_after
        or actual_too_long is distinct from expected_too_long
        or actual_without_letters is distinct from expected_without_letters

)

select * from final
