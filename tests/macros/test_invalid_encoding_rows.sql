-- invalid_encoding_rows: of two readings of the same rows, one with invalid bytes replaced by `?`
-- and one with them dropped, exactly the rows whose text differs are returned, with the first
-- differing column in the order given; a genuine `?` and nulls are not flagged.
-- Returns the differences; passes when empty.
with

replaced (file_row_number, surname, forename) as (
    values
    (0, 'SMITH', 'JOHN'),
    (1, 'WH?T', 'ANN?'),
    (2, 'BR??N', 'AL?'),
    (3, 'JONES', 'M??'),
    (4, null, '??'),
    (5, null, null)
),

ignored (file_row_number, surname, forename) as (
    values
    (0, 'SMITH', 'JOHN'),
    (1, 'WH?T', 'ANN?'),
    (2, 'BRN', 'AL?'),
    (3, 'JONES', 'M'),
    (4, null, ''),
    (5, null, null)
),

actual as (
    {{ repeat_offending.invalid_encoding_rows('replaced', 'ignored', ['surname', 'forename']) }}
),

expected (file_row_number, invalid_encoding_column) as (
    values
    (2, 'surname'),
    (3, 'forename'),
    (4, 'forename')
),

missing as (
    select 'expected, not found' as problem, * from expected
    except
    select 'expected, not found' as problem, * from actual
),

unexpected as (
    select 'found, not expected' as problem, * from actual
    except
    select 'found, not expected' as problem, * from expected
)

select * from missing
union all
select * from unexpected
