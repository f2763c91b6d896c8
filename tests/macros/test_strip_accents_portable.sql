-- strip_accents (the engine's own: DuckDB's strip_accents, Spark's translate() table) and the
-- portable default__strip_accents give, for every letter of the table, DuckDB's strip_accents of it
-- (the expected letters below, computed once with DuckDB).
-- Returns the letters on which either differs; passes when empty.
{%- set letters = 'ÀÁÂÃÄÅĀĂĄÇĆČÈÉÊËĒĖĘĚÌÍÎÏĪĮÑŃŇÒÓÔÕÖŌŐÙÚÛÜŪŮŰÝŸŚŠŞŹŽŻĎŤŘĹĽ' %}
{%- set all_letters = letters ~ (letters | lower) %}
{%- set expected_letters = (
    'AAAAAAAAACCCEEEEEEEEIIIIIINNNOOOOOOOUUUUUUUYYSSSZZZDTRLL'
    ~ 'aaaaaaaaaccceeeeeeeeiiiiiinnnooooooouuuuuuuyyssszzzdtrll'
) %}
{%- set rows = [] %}
{%- for letter in all_letters %}
    {%- do rows.append("('" ~ letter ~ "', '" ~ expected_letters[loop.index0] ~ "')") %}
{%- endfor %}
with

letters (letter, expected) as (
    values {{ rows | join(', ') }}
),

results as (
    select
        letter,
        expected,
        {{ repeat_offending.strip_accents('letter') }} as actual,
        {{ repeat_offending.default__strip_accents('letter') }} as actual_portable
    from letters
)

select *
from results
where actual is distinct from expected or actual_portable is distinct from expected
