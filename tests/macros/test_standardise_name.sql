-- standardise_name: other scripts and full-width forms transliterated, upper case, accents
-- stripped, hyphens/dashes/dots -> space, apostrophes and other non-letters removed, spaces
-- collapsed and trimmed, empty -> null.
-- Returns the cases whose result differs from the expected value; passes when empty.
with

cases (input_value, expected) as (
    values
    ('Smith', 'SMITH'),
    ('  mary   ann ', 'MARY ANN'),
    ('O''Brien', 'OBRIEN'),
    ('D’Arcy', 'DARCY'),
    ('Smith-Jones', 'SMITH JONES'),
    ('Smith – Jones', 'SMITH JONES'),
    ('St. John', 'ST JOHN'),
    ('J.R.', 'J R'),
    ('José', 'JOSE'),
    ('Zoë', 'ZOE'),
    ('Müller', 'MULLER'),
    ('Françoise', 'FRANCOISE'),
    ('Ødegaard', 'ODEGAARD'),
    ('Strauß', 'STRAUSS'),
    ('Æsir', 'AESIR'),
    ('Łukasz', 'LUKASZ'),
    ('van der Berg', 'VAN DER BERG'),
    ('Smith , John', 'SMITH JOHN'),
    ('Smith2', 'SMITH'),
    ('a' || chr(9) || 'b', 'A B'),
    ('Иванов', 'IVANOV'),
    ('Παπαδόπουλος', 'PAPADOPOULOS'),
    ('Ｓｍｉｔｈ', 'SMITH'),
    ('ＯＢＲＩＥＮ－ＪＯＮＥＳ', 'OBRIEN JONES'),
    ('محمد', 'MHMD'),
    ('王', 'WANG'),
    ('Ðorđe', 'DORDE'),
    ('---', null),
    ('123 ☺', null),
    ('', null),
    (null, null)
),

results as (
    select
        input_value,
        expected,
        {{ repeat_offending.standardise_name('input_value') }} as actual
    from cases
)

select *
from results
where actual is distinct from expected
