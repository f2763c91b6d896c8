-- jaro_winkler against DuckDB's jaro_winkler_similarity: the expected values are DuckDB's
-- (17 significant digits, read as doubles on both engines). Pins the Spark implementation
-- (spark__jaro_winkler) to DuckDB: empty and one-character strings, equal strings, transpositions,
-- the match window, the Winkler prefix (and its cap of 4), cases where two roundings instead of a
-- fused multiply-add change the last bit, characters outside ASCII (accents, a combining mark, an
-- emoji, CJK: counted as characters, not bytes) and nulls.
-- Returns the cases that differ by more than 1e-12 or in nullness; passes when empty.
with

cases (left_text, right_text, expected) as (
    values
    ('', '', 0.00000000000000000e+00),
    ('a', '', 0.00000000000000000e+00),
    ('', 'abc', 0.00000000000000000e+00),
    ('a', 'a', 1.00000000000000000e+00),
    ('a', 'b', 0.00000000000000000e+00),
    ('ab', 'ba', 0.00000000000000000e+00),
    ('ab', 'a', 8.50000000000000089e-01),
    ('a', 'ab', 8.50000000000000089e-01),
    ('abc', 'a', 7.99999999999999933e-01),
    ('smith', 'smith', 1.00000000000000000e+00),
    ('SMITH', 'smith', 0.00000000000000000e+00),
    ('martha', 'marhta', 9.61111111111111138e-01),
    ('dwayne', 'duane', 8.40000000000000080e-01),
    ('dixon', 'dicksonx', 8.13333333333333242e-01),
    ('jones', 'johnson', 8.32380952380952333e-01),
    ('crate', 'trace', 7.33333333333333393e-01),
    ('abcdefghij', 'jihgfedcba', 4.33333333333333348e-01),
    ('mohammed', 'muhammad', 8.50000000000000089e-01),
    ('mohammad', 'mohamed', 9.21428571428571486e-01),
    ('catherine', 'kathryn', 7.56613756613756627e-01),
    ('stephen', 'steven', 8.94444444444444486e-01),
    ('jon', 'john', 9.33333333333333348e-01),
    ('abigail', 'gail', 5.95238095238095233e-01),
    ('christopher', 'chris', 8.90909090909090984e-01),
    ('smith', 'smyth', 8.93333333333333313e-01),
    ('thompson', 'thomson', 9.74999999999999978e-01),
    ('macdonald', 'mcdonald', 9.66666666666666674e-01),
    ('o brien', 'obrien', 9.57142857142857184e-01),
    ('smith-jones', 'jones-smith', 5.15151515151515138e-01),
    ('williams', 'william', 9.74999999999999978e-01),
    ('baba', 'bbbab', 8.05000000000000049e-01),
    ('abab', 'aabaaabbb', 7.58333333333333415e-01),
    ('aabb', 'abbaa', 8.05000000000000049e-01),
    ('bbbbccc', 'bbbbb', 8.74285714285714222e-01),
    ('babba', 'bbaabaa', 7.94285714285714373e-01),
    ('ababa', 'aaaa', 8.05000000000000049e-01),
    ('abcd', 'abdc', 9.33333333333333348e-01),
    ('abcdef', 'badcfe', 8.33333333333333370e-01),
    ('aaaa', 'aaaa', 1.00000000000000000e+00),
    ('aaaa', 'aaab', 8.83333333333333415e-01),
    ('josé', 'jose', 8.83333333333333415e-01),
    ('zoë', 'zoe', 8.22222222222222188e-01),
    ('éa', 'ea', 6.66666666666666630e-01),
    ('aé', 'ae', 6.66666666666666630e-01),
    ('abcdé', 'abcde', 9.20000000000000040e-01),
    ('éx', 'ex', 6.11111111111111049e-01),
    ('x́', 'xa', 6.66666666666666630e-01),
    ('😀a', '😀a', 1.00000000000000000e+00),
    ('😀ab', 'a😀b', 5.55555555555555469e-01),
    ('王小明', '王明', 6.11111111111111049e-01),
    ('łukasz', 'lukasz', 8.88888888888888951e-01),
    ('müller', 'mueller', 8.04285714285714270e-01),
    ('søren', 'soren', 8.80000000000000004e-01),
    ('a b', 'ab', 6.11111111111111049e-01),
    ('washington', 'washingtonian', 9.53846153846153788e-01),
    ('abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwxzy', 9.92307692307692335e-01),
    ('alexander', 'alexandra', 9.55555555555555602e-01),
    ('elizabeth', 'elisabeth', 9.48148148148148184e-01),
    ('katherine', 'catherine', 9.25925925925925930e-01),
    ('nguyen', 'nugyen', 9.50000000000000067e-01),
    (cast(null as {{ dbt.type_string() }}), 'a', cast(null as double)),
    ('a', cast(null as {{ dbt.type_string() }}), cast(null as double))
),

results as (

    select
        left_text,
        right_text,
        expected,
        {{ repeat_offending.jaro_winkler('left_text', 'right_text') }} as actual
    from cases

)

select *
from results
where
    (actual is null) != (expected is null)
    or abs(actual - expected) > 1e-12
