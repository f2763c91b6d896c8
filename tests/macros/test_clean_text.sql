-- clean_text: control and bidirectional formatting characters removed, trimmed, internal runs
-- of whitespace collapsed to one space, case kept, blank -> null; has_control_characters flags
-- the values it repairs.
-- Returns the cases whose result differs from the expected value; passes when empty.
with

cases (input_value, expected, expected_flag) as (
    values
    ('  White:  British ', 'White: British', false),
    ('a' || chr(9) || chr(9) || 'b' || chr(10), 'a b', false),
    ('Keep Case', 'Keep Case', false),
    ('Jo' || chr(1) || 'hn', 'John', true),
    ('Jo' || chr(27) || 'hn' || chr(127), 'John', true),
    ('Jo' || chr(133) || 'hn' || chr(159), 'John', true),
    ('Smith' || chr(11) || chr(12), 'Smith', true),
    (chr(8238) || 'Smith' || chr(8236), 'Smith', true),
    (chr(8294) || 'Smith' || chr(8297) || chr(8206) || chr(8207), 'Smith', true),
    (chr(8234) || chr(8237), null, true),
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
