-- row_versions: only the rows whose cleaned key is shared or null are returned, numbered
-- as a window over every row would number them: exact duplicates (equal in every raw
-- column) in file order; versions of a key with exact duplicates after their first copy,
-- then the latest update (a null update last), then the later row in the file. Keys that
-- differ only in case or spaces are one key; null and blank keys are one group. A row
-- whose key is unique (C3, E5) is not returned: it is 1 and 1.
-- Returns the differences; passes when empty.
with

raw_rows (file_row_number, record_id, payload, updated_at) as (
    values
    (0, ' a1', 'x', '2024-01-01 10:00:00'),
    (1, 'A1', 'x', '2024-01-01 10:00:00'),
    (2, 'B2', 'y', '2024-01-02 00:00:00'),
    (3, 'B2', 'z', '2024-03-01 00:00:00'),
    (4, 'B2', 'y', '2024-01-02 00:00:00'),
    (5, 'C3', 'w', null),
    (6, 'D4', 'v', null),
    (7, 'D4', 'u', '2020-01-01 00:00:00'),
    (8, null, 'n', '2024-01-01 00:00:00'),
    (9, '  ', 'n', '2024-01-01 00:00:00'),
    (10, null, 'n', '2024-01-01 00:00:00'),
    (11, 'E5', 'q', '2024-01-01 00:00:00')
),

actual as (
    {{ repeat_offending.row_versions(
        'raw_rows',
        ['record_id', 'payload', 'updated_at'],
        repeat_offending.clean_code('record_id'),
        repeat_offending.parse_timestamp('updated_at')
    ) }}
),

expected (file_row_number, exact_duplicate_number, key_version_number) as (
    values
    (0, 1, 2),
    (1, 1, 1),
    (2, 1, 2),
    (3, 1, 1),
    (4, 2, 3),
    (6, 1, 2),
    (7, 1, 1),
    (8, 1, 2),
    (9, 1, 1),
    (10, 2, 3)
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
