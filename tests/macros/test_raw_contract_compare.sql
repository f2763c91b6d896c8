-- raw_contract_compare: a file with a column of the wrong type, a missing column, an extra column
-- and no rows gives exactly those four findings (names compared case-insensitively); a file that
-- keeps its contract gives none. Returns the differences; passes when empty.
{%- set table = {
    'source_system': 'sys',
    'source_table': 'sys.people',
    'file_path': '/raw/people.parquet',
    'columns': [
        ('person_id', 'varchar'), ('Surname', 'varchar'),
        ('birth_date', 'varchar'), ('postcode', 'varchar'),
    ],
} %}
{%- set found_columns = [
    ('person_id', 'VARCHAR'), ('surname', 'VARCHAR'),
    ('birth_date', 'BIGINT'), ('nickname', 'VARCHAR'),
] %}

with

actual as (
    {{ repeat_offending.raw_contract_findings_sql(
        repeat_offending.raw_contract_compare(table, found_columns, 0)
    ) }}
),

sound as (
    {{ repeat_offending.raw_contract_findings_sql(
        repeat_offending.raw_contract_compare(table, table.columns, 12)
    ) }}
),

expected (source_table, file_path, column_name, check_name, expected, found, severity) as (
    values
    (
        'sys.people', '/raw/people.parquet', 'birth_date', 'wrong_type', 'varchar', 'bigint',
        'error'
    ),
    (
        'sys.people', '/raw/people.parquet', 'postcode', 'missing_column', 'a varchar column',
        'no such column', 'error'
    ),
    (
        'sys.people', '/raw/people.parquet', 'nickname', 'extra_column', 'no such column',
        'a varchar column', {{ sql_string(repeat_offending.raw_contract_severity('extra_column')) }}
    ),
    (
        'sys.people', '/raw/people.parquet', null, 'empty_table', 'at least one row', '0 rows',
        {{ sql_string(repeat_offending.raw_contract_severity('empty_table')) }}
    )
),

actual_findings as (
    select source_table, file_path, column_name, check_name, expected, found, severity
    from actual
),

missing as (
    select 'expected, not found' as problem, * from expected
    except
    select 'expected, not found' as problem, * from actual_findings
),

unexpected as (
    select 'found, not expected' as problem, * from actual_findings
    except
    select 'found, not expected' as problem, * from expected
),

sound_findings as (
    select
        'finding on a sound file' as problem,
        source_table,
        file_path,
        column_name,
        check_name,
        expected,
        found,
        severity
    from sound
)

select * from missing
union all
select * from unexpected
union all
select * from sound_findings
