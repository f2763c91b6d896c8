{#-
    Small cross-database primitives the cleaning macros are written in. Each dispatches, so another
    adapter (Spark, Trino) needs only its own `<adapter>__` versions of these. Patterns are raw regular
    expressions (RE2/Java subset: no backslash classes, so no string-escaping differences); the macros quote
    them. Documented in _cross_db__macros.yml.
-#}

{% macro sql_string(text) -%}
    {{ return(adapter.dispatch('sql_string', 'repeat_offending')(text)) }}
{%- endmacro %}

{% macro default__sql_string(text) -%}
    {{ return("'" ~ (text | string | replace("'", "''")) ~ "'") }}
{%- endmacro %}

{% macro spark__sql_string(text) -%}
    {#- Spark reads backslash escapes in string literals (`\x` would lose its backslash): backslashes and
        apostrophes are escaped with a backslash. -#}
    {{ return("'" ~ (text | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") }}
{%- endmacro %}


{% macro regex_full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'repeat_offending')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_full_match(expression, pattern) -%}
    regexp_like({{ expression }}, {{ sql_string('^(?:' ~ pattern ~ ')$') }})
{%- endmacro %}

{% macro duckdb__regex_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, {{ sql_string(pattern) }})
{%- endmacro %}


{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'repeat_offending')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ sql_string(pattern) }}, {{ sql_string(replacement) }})
{%- endmacro %}

{% macro duckdb__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ sql_string(pattern) }}, {{ sql_string(replacement) }}, 'g')
{%- endmacro %}


{% macro regex_extract(expression, pattern, group=1) -%}
    {{ return(adapter.dispatch('regex_extract', 'repeat_offending')(expression, pattern, group)) }}
{%- endmacro %}

{% macro default__regex_extract(expression, pattern, group=1) -%}
    nullif(regexp_extract({{ expression }}, {{ sql_string(pattern) }}, {{ group }}), '')
{%- endmacro %}


{% macro try_cast_to(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast_to', 'repeat_offending')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast_to(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}


{% macro trim_whitespace(expression) -%}
    {{ return(adapter.dispatch('trim_whitespace', 'repeat_offending')(expression)) }}
{%- endmacro %}

{% macro default__trim_whitespace(expression) -%}
    {{ regex_replace_all(expression, '^[ \\t\\r\\n]+|[ \\t\\r\\n]+$', '') }}
{%- endmacro %}


{% macro strip_accents(expression) -%}
    {{ return(adapter.dispatch('strip_accents', 'repeat_offending')(expression)) }}
{%- endmacro %}

{% macro default__strip_accents(expression) -%}
    translate(
        {{ expression }},
        'ÀÁÂÃÄÅĀĂĄÇĆČÈÉÊËĒĖĘĚÌÍÎÏĪĮÑŃŇÒÓÔÕÖŌŐÙÚÛÜŪŮŰÝŸŚŠŞŹŽŻĎŤŘĹĽ'
        || 'àáâãäåāăąçćčèéêëēėęěìíîïīįñńňòóôõöōőùúûüūůűýÿśšşźžżďťřĺľ',
        'AAAAAAAAACCCEEEEEEEEIIIIIINNNOOOOOOOUUUUUUUYYSSSZZZDTRLL'
        || 'aaaaaaaaaccceeeeeeeeiiiiiinnnooooooouuuuuuuyyssszzzdtrll'
    )
{%- endmacro %}

{% macro duckdb__strip_accents(expression) -%}
    strip_accents({{ expression }})
{%- endmacro %}


{% macro code_point_char(code_point) -%}
    {{ return(adapter.dispatch('code_point_char', 'repeat_offending')(code_point)) }}
{%- endmacro %}

{% macro default__code_point_char(code_point) -%}
    chr({{ code_point }})
{%- endmacro %}

{% macro spark__code_point_char(code_point) -%}
    {#- Spark's chr takes the code modulo 256: a string literal with a \u escape (UTF-16 code units, a
        surrogate pair above U+FFFF), constant so that it may stand in an inline table. -#}
    {%- set n = code_point | int -%}
    {%- if n < 65536 -%}
        {%- set units = [n] -%}
    {%- else -%}
        {%- set units = [55296 + (n - 65536) // 1024, 56320 + (n - 65536) % 1024] -%}
    {%- endif -%}
    '{% for unit in units %}\u{{ "%04X" | format(unit) }}{% endfor %}'
{%- endmacro %}


{% macro jaro_winkler(left, right) -%}
    {{ return(adapter.dispatch('jaro_winkler', 'repeat_offending')(left, right)) }}
{%- endmacro %}

{% macro default__jaro_winkler(left, right) -%}
    jaro_winkler_similarity({{ left }}, {{ right }})
{%- endmacro %}

{#- Spark has no Jaro-Winkler function: computed in SQL with higher-order functions, so it runs over any
    connection (session or thrift) without a UDF, and gives DuckDB's values (rapidfuzz's algorithm, on
    characters, not bytes; pinned by tests/macros/test_jaro_winkler.sql):
    - either string empty: 0; both of one character: 1 when equal, else 0;
    - match window: max(length) div 2 - 1; each character of `right`, in order, is matched with the first
      not yet matched equal character of `left` within the window (the array built by `aggregate` holds,
      per position of `right`, the matched position of `left` or -1);
    - transpositions: matched characters of `left` (in its order) and of `right` (in its order) that differ,
      halved (integer division); jaro = (m / |left| + m / |right| + (m - t) / m) / 3, 0 when m = 0;
    - Winkler: when jaro > 0.7, plus prefix * 0.1 * (1 - jaro), prefix being the common prefix up to 4,
      as one fused multiply-add (java.lang.Math.fma, rounded once), which is how DuckDB's build computes
      it: with two roundings 7 in 3,000 random pairs differ in the last bit, enough to move a value
      across the 0.85 threshold of the shared-PNC-id rule.
    Double literals (`0.1D`) throughout, as a decimal literal would change the last digits. -#}
{% macro spark__jaro_winkler(left, right) -%}
    {%- set p = 'jw_pair.l' -%}
    {%- set t = 'jw_pair.r' -%}
    {%- set lp = 'char_length(' ~ p ~ ')' -%}
    {%- set lt = 'char_length(' ~ t ~ ')' -%}
    {%- set window = '(greatest(' ~ lp ~ ', ' ~ lt ~ ') div 2 - 1)' -%}
    {%- set matches = 'size(filter(jw_matched, jw_x -> jw_x >= 0))' -%}
    {%- set left_matched = (
        'transform(array_sort(filter(jw_matched, jw_x -> jw_x >= 0)), jw_i -> substring(' ~ p ~ ', jw_i + 1, 1))'
    ) -%}
    {%- set right_matched = (
        'transform(filter(sequence(0, ' ~ lt ~ ' - 1), jw_j -> jw_matched[jw_j] >= 0), '
        ~ 'jw_j -> substring(' ~ t ~ ', jw_j + 1, 1))'
    ) -%}
    {%- set transpositions = (
        '(size(filter(zip_with(' ~ left_matched ~ ', ' ~ right_matched ~ ', (jw_a, jw_b) -> jw_a != jw_b), '
        ~ 'jw_x -> jw_x)) div 2)'
    ) -%}
    {%- set prefix_limit = 'least(4, ' ~ lp ~ ', ' ~ lt ~ ')' -%}
    {%- set prefix = (
        'coalesce(array_min(filter(sequence(0, ' ~ prefix_limit ~ ' - 1), '
        ~ 'jw_k -> substring(' ~ p ~ ', jw_k + 1, 1) != substring(' ~ t ~ ', jw_k + 1, 1))), '
        ~ prefix_limit ~ ')'
    ) -%}
    case
        when {{ left }} is not null and {{ right }} is not null then element_at(transform(
            array(named_struct('l', {{ left }}, 'r', {{ right }})),
            jw_pair -> case
                when {{ lp }} = 0 or {{ lt }} = 0 then 0.0D
                when {{ lp }} = 1 and {{ lt }} = 1 then case when {{ p }} = {{ t }} then 1.0D else 0.0D end
                else aggregate(
                    sequence(0, {{ lt }} - 1),
                    cast(array() as array<int>),
                    (jw_matched, jw_j) -> concat(jw_matched, array(coalesce(array_min(filter(
                        sequence(0, {{ lp }} - 1),
                        jw_i -> abs(jw_i - jw_j) <= {{ window }}
                            and not array_contains(jw_matched, jw_i)
                            and substring({{ p }}, jw_i + 1, 1) = substring({{ t }}, jw_j + 1, 1)
                    )), -1))),
                    jw_matched -> case
                        when {{ matches }} = 0 then 0.0D
                        else element_at(transform(
                            array(
                                (
                                    {{ matches }} / {{ lp }} + {{ matches }} / {{ lt }}
                                    + ({{ matches }} - {{ transpositions }}) / {{ matches }}
                                ) / 3.0D
                            ),
                            jw_jaro -> case
                                when jw_jaro > 0.7D then cast(java_method(
                                    'java.lang.Math', 'fma', {{ prefix }} * 0.1D, 1.0D - jw_jaro, jw_jaro
                                ) as double)
                                else jw_jaro
                            end
                        ), 1)
                    end
                )
            end
        ), 1)
    end
{%- endmacro %}


{% macro control_characters_regex() -%}
    {#- C0 controls other than tab, line feed and carriage return (whitespace, tidied by clean_text), DEL,
        C1 controls, and the bidirectional marks, embeddings, overrides and isolates (U+200E, U+200F,
        U+202A-U+202E, U+2066-U+2069). `\x{...}` escapes are understood by RE2, Java and PCRE. -#}
    {{ return('[\\x{0}-\\x{8}\\x{B}\\x{C}\\x{E}-\\x{1F}\\x{7F}-\\x{9F}\\x{200E}\\x{200F}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]') }}
{%- endmacro %}


{% macro transliterate_to_latin(expression) -%}
    {{ return(adapter.dispatch('transliterate_to_latin', 'repeat_offending')(expression)) }}
{%- endmacro %}

{% macro default__transliterate_to_latin(expression) -%}
    {#- No portable transliteration: the value is left as it is, and standardise_name's own steps handle
        Latin letters with accents. An adapter with a transliteration function adds its own version. -#}
    {{ expression }}
{%- endmacro %}

{% macro duckdb__transliterate_to_latin(expression) -%}
    {#- NFKC then transliteration to ASCII by the Python function `transliterate_to_latin` that the
        dbt-duckdb plugin repeat_offending.dbt_plugins.transliteration registers; only values with a
        character outside ASCII reach Python (CASE evaluates a branch for its own rows only). -#}
    case
        when regexp_matches({{ expression }}, '[^\x{0}-\x{7F}]')
            then transliterate_to_latin({{ expression }})
        else {{ expression }}
    end
{%- endmacro %}

{% macro spark__transliterate_to_latin(expression) -%}
    {#- As on DuckDB: the Python function `transliterate_to_latin`, registered as a UDF by the Spark runner
        (repeat_offending.spark.session), on values with a character outside ASCII only. -#}
    case
        when {{ expression }} rlike {{ sql_string('[^\\x{0}-\\x{7F}]') }}
            then transliterate_to_latin({{ expression }})
        else {{ expression }}
    end
{%- endmacro %}
