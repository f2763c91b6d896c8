-- clean_text: control and bidirectional formatting characters removed, trimmed, internal runs
-- of whitespace collapsed to one space, case kept, blank -> null; has_control_characters flags
-- the values it repairs.
-- Returns the cases whose result differs from the expected value; passes when empty.
-- char(n): the character of code point n (macro code_point_char; Spark's chr takes n modulo 256).
{%- set char = code_point_char %}
with

cases (input_value, expected, expected_flag) as (
    values
    ('  White:  British ', 'White: British', false),
    ('a' || {{ char(9) }} || {{ char(9) }} || 'b' || {{ char(10) }}, 'a b', false),
    ('Keep Case', 'Keep Case', false),
    ('Jo' || {{ char(1) }} || 'hn', 'John', true),
    ('Jo' || {{ char(27) }} || 'hn' || {{ char(127) }}, 'John', true),
    ('Jo' || {{ char(133) }} || 'hn' || {{ char(159) }}, 'John', true),
    ('Smith' || {{ char(11) }} || {{ char(12) }}, 'Smith', true),
    ({{ char(8238) }} || 'Smith' || {{ char(8236) }}, 'Smith', true),
    (
        {{ char(8294) }} || 'Smith' || {{ char(8297) }} || {{ char(8206) }} || {{ char(8207) }},
        'Smith',
        true
    ),
    ({{ char(8234) }} || {{ char(8237) }}, null, true),
    ('Zoë Ødegaard', 'Zoë Ødegaard', false),
    ('Иванов', 'Иванов', false),
    ('', null, false),
    ('  ', null, false),
    (null, null, false)
),

results as (
    select
        input_value,
        expected,
        expected_flag,
        {{ repeat_offending.clean_text('input_value') }} as actual,
        {{ repeat_offending.has_control_characters(['input_value']) }} as actual_flag
    from cases
)

select *
from results
where actual is distinct from expected or actual_flag is distinct from expected_flag
