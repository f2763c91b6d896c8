-- parse_date: strict parsing in each system's format, the ISO fallback, and the portable default__
-- implementation (what Spark or Trino would run) giving the same answers as DuckDB's.
-- Returns the cases whose result differs from the expected date; passes when empty.
{% set variants = [
    ('%d/%m/%Y', false),
    ('%d/%m/%Y', true),
    ('%d-%b-%Y', false),
    ('%d-%b-%Y', true),
    ('%Y-%m-%d', true),
    ('%Y-%m-%d %H:%M:%S', false),
] %}

with

cases (input_value, date_format, fallback_iso, expected) as (
    values
    -- PNC, DD/MM/YYYY
    ('04/03/2019', '%d/%m/%Y', false, date '2019-03-04'),
    (' 04/03/2019 ', '%d/%m/%Y', false, date '2019-03-04'),
    ('29/02/2020', '%d/%m/%Y', false, date '2020-02-29'),
    ('29/02/2019', '%d/%m/%Y', false, null),
    ('31/02/2019', '%d/%m/%Y', false, null),
    ('31/04/2019', '%d/%m/%Y', false, null),
    ('04/13/2019', '%d/%m/%Y', false, null),
    ('00/01/2019', '%d/%m/%Y', false, null),
    ('4/3/2019', '%d/%m/%Y', false, null),
    ('04/03/19', '%d/%m/%Y', false, null),
    ('04/03/2019x', '%d/%m/%Y', false, null),
    ('04-03-2019', '%d/%m/%Y', false, null),
    ('2019-03-04', '%d/%m/%Y', false, null),
    ('N/A', '%d/%m/%Y', false, null),
    ('', '%d/%m/%Y', false, null),
    ('   ', '%d/%m/%Y', false, null),
    (null, '%d/%m/%Y', false, null),
    -- PNC with the ISO fallback
    ('04/03/2019', '%d/%m/%Y', true, date '2019-03-04'),
    ('2019-03-04', '%d/%m/%Y', true, date '2019-03-04'),
    (' 2019-03-04', '%d/%m/%Y', true, date '2019-03-04'),
    ('2019-02-31', '%d/%m/%Y', true, null),
    ('2019-3-4', '%d/%m/%Y', true, null),
    ('31/02/2019', '%d/%m/%Y', true, null),
    ('03/04/19', '%d/%m/%Y', true, null),
    ('N/A', '%d/%m/%Y', true, null),
    -- probation, DD-MON-YYYY
    ('04-MAR-2019', '%d-%b-%Y', false, date '2019-03-04'),
    ('04-mar-2019', '%d-%b-%Y', false, date '2019-03-04'),
    ('04-Mar-2019', '%d-%b-%Y', false, date '2019-03-04'),
    ('29-FEB-2020', '%d-%b-%Y', false, date '2020-02-29'),
    ('29-FEB-2019', '%d-%b-%Y', false, null),
    ('31-SEP-2019', '%d-%b-%Y', false, null),
    ('04-MRZ-2019', '%d-%b-%Y', false, null),
    ('04-MARCH-2019', '%d-%b-%Y', false, null),
    ('4-MAR-2019', '%d-%b-%Y', false, null),
    ('04-03-2019', '%d-%b-%Y', false, null),
    ('2019-03-04', '%d-%b-%Y', false, null),
    ('', '%d-%b-%Y', false, null),
    -- probation with the ISO fallback
    ('01-DEC-1999', '%d-%b-%Y', true, date '1999-12-01'),
    ('2019-03-04', '%d-%b-%Y', true, date '2019-03-04'),
    ('2019-13-04', '%d-%b-%Y', true, null),
    -- courts, prisons, OASys: YYYY-MM-DD (the fallback changes nothing)
    ('2019-03-04', '%Y-%m-%d', true, date '2019-03-04'),
    ('2020-02-29', '%Y-%m-%d', true, date '2020-02-29'),
    ('2019-02-29', '%Y-%m-%d', true, null),
    ('2019-3-4', '%Y-%m-%d', true, null),
    ('04/03/2019', '%Y-%m-%d', true, null),
    ('2019-03-04 10:11:12', '%Y-%m-%d', true, null),
    -- audit timestamps: the date part
    ('2019-03-04 10:11:12', '%Y-%m-%d %H:%M:%S', false, date '2019-03-04'),
    ('2019-03-04 23:59:59', '%Y-%m-%d %H:%M:%S', false, date '2019-03-04'),
    ('2019-03-04 24:00:00', '%Y-%m-%d %H:%M:%S', false, null),
    ('2019-03-04', '%Y-%m-%d %H:%M:%S', false, null),
    ('2019-02-30 10:11:12', '%Y-%m-%d %H:%M:%S', false, null)
),

results as (
    select
        input_value,
        date_format,
        fallback_iso,
        expected,
        {%- for date_format, fallback_iso in variants %}
            (date_format = '{{ date_format }}' and fallback_iso = {{ fallback_iso | lower }}) or
        {%- endfor %}
        false as is_known_variant,
        case
            {%- for date_format, fallback_iso in variants %}
                when date_format = '{{ date_format }}' and fallback_iso = {{ fallback_iso | lower }}
                    then {{ repeat_offending.parse_date('input_value', date_format, fallback_iso) }}
            {%- endfor %}
        end as actual,
        case
            {%- for date_format, fallback_iso in variants %}
                when date_format = '{{ date_format }}' and fallback_iso = {{ fallback_iso | lower }}
                    then {{
                        repeat_offending.default__parse_date('input_value', date_format, fallback_iso)
                    }}
            {%- endfor %}
        end as actual_portable
    from cases
)

select *
from results
where
    not is_known_variant
    or actual is distinct from expected
    or actual_portable is distinct from expected
