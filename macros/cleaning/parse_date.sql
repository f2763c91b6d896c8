{#-
    Strict parsing of text dates and timestamps. Documented in _cleaning__macros.yml.

    A strptime format is first turned into a regular expression (`strptime_format_regex`) that the trimmed
    text must match exactly: two-digit day and month, four-digit year, three-letter month name in any case.
    Only then is the text parsed, so `01/02/19` (year 19) and `1/2/2019` are rejected rather than guessed,
    and calendar-invalid dates such as `31/02/2019` give null.
-#}

{#- Supported strptime directives and the text each must match. -#}
{% macro _strptime_directives() -%}
    {{ return({
        'Y': '[0-9]{4}', 'm': '[0-9]{2}', 'd': '[0-9]{2}', 'b': '[A-Za-z]{3}',
        'H': '[01][0-9]|2[0-3]', 'M': '[0-5][0-9]', 'S': '[0-5][0-9]'
    }) }}
{%- endmacro %}


{% macro strptime_format_regex(format) -%}
    {%- set directives = _strptime_directives() -%}
    {%- set state = namespace(regex='', escaped=false) -%}
    {%- for character in format -%}
        {%- if state.escaped -%}
            {%- if character == '%' -%}
                {%- set state.regex = state.regex ~ '%' -%}
            {%- elif character in directives -%}
                {%- set state.regex = state.regex ~ '(' ~ directives[character] ~ ')' -%}
            {%- else -%}
                {{ exceptions.raise_compiler_error(
                    "parse_date: unsupported strptime directive '%" ~ character ~ "' in format '" ~ format
                    ~ "'; supported: %" ~ (directives.keys() | sort | join(', %')) ~ " and %%"
                ) }}
            {%- endif -%}
            {%- set state.escaped = false -%}
        {%- elif character == '%' -%}
            {%- set state.escaped = true -%}
        {%- elif character in '\\.^$|?*+()[]{}' -%}
            {%- set state.regex = state.regex ~ '\\' ~ character -%}
        {%- else -%}
            {%- set state.regex = state.regex ~ character -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if state.escaped -%}
        {{ exceptions.raise_compiler_error("parse_date: format '" ~ format ~ "' ends with a lone '%'") }}
    {%- endif -%}
    {{ return(state.regex) }}
{%- endmacro %}


{#- The directives of a format in order of appearance (the capture groups of its regex). -#}
{% macro _strptime_format_directives(format) -%}
    {%- set state = namespace(found=[], escaped=false) -%}
    {%- for character in format -%}
        {%- if state.escaped -%}
            {%- if character != '%' -%}
                {%- set state.found = state.found + [character] -%}
            {%- endif -%}
            {%- set state.escaped = false -%}
        {%- elif character == '%' -%}
            {%- set state.escaped = true -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(state.found) }}
{%- endmacro %}


{#- Portable parse: pick the parts out with the regex, rebuild ISO text and try_cast it. -#}
{% macro _parse_datetime_portable(value, format, data_type) -%}
    {%- set regex = strptime_format_regex(format) -%}
    {%- set found = _strptime_format_directives(format) -%}
    {%- set parts = {} -%}
    {%- for directive in found -%}
        {%- do parts.update({directive: regex_extract(value, regex, loop.index)}) -%}
    {%- endfor -%}
    {%- if 'Y' not in parts or ('m' not in parts and 'b' not in parts) or 'd' not in parts -%}
        {{ exceptions.raise_compiler_error(
            "parse_date: format '" ~ format ~ "' needs a year (%Y), a month (%m or %b) and a day (%d)"
        ) }}
    {%- endif -%}
    {%- if 'm' in parts -%}
        {%- set month = parts['m'] -%}
    {%- else -%}
        {%- set month_names = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] -%}
        {%- set month -%}
            case upper({{ parts['b'] }})
            {%- for name in month_names %} when '{{ name }}' then '{{ "%02d" | format(loop.index) }}'{% endfor %}
            end
        {%- endset -%}
    {%- endif -%}
    {%- set iso = parts['Y'] ~ " || '-' || " ~ month ~ " || '-' || " ~ parts['d'] -%}
    {%- if 'H' in parts -%}
        {%- set iso = iso ~ " || ' ' || " ~ parts['H'] ~ " || ':' || " ~ (parts['M'] if 'M' in parts else "'00'")
            ~ " || ':' || " ~ (parts['S'] if 'S' in parts else "'00'") -%}
        {%- set parsed = try_cast_to(iso, api.Column.translate_type('timestamp')) -%}
        {%- set parsed = parsed if data_type == 'timestamp' else 'cast(' ~ parsed ~ ' as date)' -%}
    {%- else -%}
        {%- set parsed = try_cast_to(iso, api.Column.translate_type(data_type)) -%}
    {%- endif -%}
    case
        when {{ regex_full_match(value, regex) }}
            then {{ parsed }}
    end
{%- endmacro %}


{% macro parse_date(column, format, fallback_iso=false) -%}
    {{ return(adapter.dispatch('parse_date', 'repeat_offending')(column, format, fallback_iso)) }}
{%- endmacro %}

{% macro default__parse_date(column, format, fallback_iso=false) -%}
    {%- set value = trim_whitespace(column) -%}
    {%- if fallback_iso and format != '%Y-%m-%d' -%}
        coalesce(
            {{ _parse_datetime_portable(value, format, 'date') }},
            {{ _parse_datetime_portable(value, '%Y-%m-%d', 'date') }}
        )
    {%- else -%}
        {{ _parse_datetime_portable(value, format, 'date') }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__parse_date(column, format, fallback_iso=false) -%}
    {%- set value = trim_whitespace(column) -%}
    case
        when {{ regex_full_match(value, strptime_format_regex(format)) }}
            then cast(try_strptime({{ value }}, {{ sql_string(format) }}) as date)
        {%- if fallback_iso and format != '%Y-%m-%d' %}
        when {{ regex_full_match(value, strptime_format_regex('%Y-%m-%d')) }}
            then cast(try_strptime({{ value }}, '%Y-%m-%d') as date)
        {%- endif %}
    end
{%- endmacro %}


{% macro parse_timestamp(column, format='%Y-%m-%d %H:%M:%S') -%}
    {{ return(adapter.dispatch('parse_timestamp', 'repeat_offending')(column, format)) }}
{%- endmacro %}

{% macro default__parse_timestamp(column, format='%Y-%m-%d %H:%M:%S') -%}
    {{ _parse_datetime_portable(trim_whitespace(column), format, 'timestamp') }}
{%- endmacro %}

{% macro duckdb__parse_timestamp(column, format='%Y-%m-%d %H:%M:%S') -%}
    {%- set value = trim_whitespace(column) -%}
    case
        when {{ regex_full_match(value, strptime_format_regex(format)) }}
            then try_strptime({{ value }}, {{ sql_string(format) }})
    end
{%- endmacro %}
