{#-
    Statistical disclosure control (docs/methodology.md section 6): the threshold, the marker
    codes, primary suppression, rounding and the values and markers of published counts and ratios.
    Portable SQL.
    Documented in _disclosure__macros.yml; the secondary suppression is in sdc_suppress.sql.
-#}

{% macro sdc_threshold() -%}
    {%- set threshold = var('sdc_threshold') | int -%}
    {%- if threshold < 1 -%}
        {{ exceptions.raise_compiler_error("sdc_threshold must be a positive integer, got " ~ var('sdc_threshold')) }}
    {%- endif -%}
    {{ return(threshold) }}
{%- endmacro %}


{% macro sdc_rounding_base() -%}
    {%- set base = var('sdc_rounding_base', 1) | int -%}
    {%- if base < 1 -%}
        {{ exceptions.raise_compiler_error(
            "sdc_rounding_base must be a positive integer (1 = no rounding), got " ~ var('sdc_rounding_base')
        ) }}
    {%- endif -%}
    {{ return(base) }}
{%- endmacro %}


{% macro sdc_marker_codes() -%}
    {#- The reasons for a suppression: internal (publication_int), never published. -#}
    {{ return(['primary', 'complement', 'secondary', 'linked', 'denominator']) }}
{%- endmacro %}


{% macro sdc_marker_symbol() -%}
    {%- set symbol = var('sdc_marker_symbol') -%}
    {%- if symbol is not string or symbol | trim == '' or symbol in sdc_marker_codes() -%}
        {{ exceptions.raise_compiler_error(
            "sdc_marker_symbol must be a non-empty text that names no reason for a suppression, got "
            ~ var('sdc_marker_symbol')
        ) }}
    {%- endif -%}
    {{ return(symbol) }}
{%- endmacro %}


{% macro sdc_published_marker(marker) -%}
    {#- A reason for a suppression as published: the one symbol, so that the reason (a "primary" value is
        0-9) gives an attacker no bound. -#}
    case when {{ marker }} is not null then {{ sql_string(sdc_marker_symbol()) }} end
{%- endmacro %}


{% macro sdc_primary_marker(people, complement_people=none) -%}
    case
        when coalesce({{ people }}, 0) < {{ sdc_threshold() }} then 'primary'
        {%- if complement_people is not none %}
        when {{ complement_people }} < {{ sdc_threshold() }} then 'complement'
        {%- endif %}
    end
{%- endmacro %}


{% macro sdc_round(expression) -%}
    cast({{ sdc_rounded_value(expression) }} as integer)
{%- endmacro %}


{% macro sdc_rounded_value(expression) -%}
    {#- A count as published (rounded to the base, halves up), not cast: what ratios are computed from. -#}
    {%- set base = sdc_rounding_base() -%}
    {%- if base == 1 -%}
        {{ expression }}
    {%- else -%}
        floor(({{ expression }}) / {{ base }}.0 + 0.5) * {{ base }}
    {%- endif -%}
{%- endmacro %}


{% macro sdc_count(expression, marker) -%}
    case when {{ marker }} is null then {{ sdc_round(expression) }} end
{%- endmacro %}


{% macro sdc_linked_marker(marker) -%}
    case when {{ marker }} is not null then 'linked' end
{%- endmacro %}


{% macro sdc_ratio(
    numerator, denominator, denominator_marker, numerator_marker=none, scale=1, decimals=2,
    round_numerator=true
) -%}
    {#- Halves round up on the exact ratio, in integer arithmetic: round() of a double rounds the binary value on
        DuckDB (2031 / 20 = 101.55 gave 101.5) and the decimal one on Spark (101.6). The ratio is of the
        published (rounded) counts, so that it cannot undo the rounding (a ratio of unrounded counts to two
        decimals pins most rounded counts); a numerator that is not published (a total of days) is not
        rounded. -#}
    {%- set unit = 10 ** (decimals | int) -%}
    {%- set published_numerator = sdc_rounded_value(numerator) if round_numerator else numerator -%}
    {%- set published_denominator = sdc_rounded_value(denominator) -%}
    case
        when
            {{ denominator_marker }} is null
            {%- if numerator_marker is not none %}
            and {{ numerator_marker }} is null
            {%- endif %}
            and {{ denominator }} >= {{ sdc_threshold() }}
            then floor(
                (cast({{ published_numerator }} as bigint) * {{ 2 * scale * unit }}
                + cast({{ published_denominator }} as bigint))
                / (cast({{ published_denominator }} as bigint) * 2)
            ) / {{ unit }}e0
    end
{%- endmacro %}


{% macro sdc_ratio_marker(denominator, denominator_marker, numerator_marker=none) -%}
    case
        when {{ denominator_marker }} is not null or coalesce({{ denominator }}, 0) < {{ sdc_threshold() }}
            then 'denominator'
        {%- if numerator_marker is not none %}
        when {{ numerator_marker }} is not null then 'linked'
        {%- endif %}
    end
{%- endmacro %}
