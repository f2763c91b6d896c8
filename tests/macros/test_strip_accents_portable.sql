-- The portable default__strip_accents (a translate() table for engines without strip_accents)
-- agrees with DuckDB's strip_accents on every letter of its table.
-- Returns the letters on which they differ; passes when empty.
{% set letters = 'ÀÁÂÃÄÅĀĂĄÇĆČÈÉÊËĒĖĘĚÌÍÎÏĪĮÑŃŇÒÓÔÕÖŌŐÙÚÛÜŪŮŰÝŸŚŠŞŹŽŻĎŤŘĹĽ' %}
with

letters as (
    select unnest(string_split('{{ letters }}' || lower('{{ letters }}'), '')) as letter
),

results as (
    select
        letter,
        strip_accents(letter) as expected,
        {{ repeat_offending.default__strip_accents('letter') }} as actual
    from letters
)

select *
from results
where actual is distinct from expected
