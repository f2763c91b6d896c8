{#-
    Small cross-database primitives the cleaning macros are written in. Each dispatches, so another
    adapter (Spark, Trino) needs only its own `<adapter>__` versions of these. Patterns are raw regular
    expressions (RE2/Java subset: no backslash classes, so no string-escaping differences); the macros quote
    them. Documented in _cross_db__macros.yml.
-#}

{% macro sql_string(text) -%}
    {{ return("'" ~ (text | string | replace("'", "''")) ~ "'") }}
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


{% macro jaro_winkler(left, right) -%}
    {{ return(adapter.dispatch('jaro_winkler', 'repeat_offending')(left, right)) }}
{%- endmacro %}

{% macro default__jaro_winkler(left, right) -%}
    jaro_winkler_similarity({{ left }}, {{ right }})
{%- endmacro %}
