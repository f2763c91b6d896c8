{#- Names for matching. Documented (with the rules) in _cleaning__macros.yml. -#}
{% macro standardise_name(column) -%}
    {{ return(adapter.dispatch('standardise_name', 'repeat_offending')(column)) }}
{%- endmacro %}

{% macro default__standardise_name(column) -%}
    {#- 0. other scripts and full-width forms transliterated to Latin letters (engine-specific) -#}
    {#- 1. upper case; letters that accent stripping leaves alone are spelt out -#}
    {%- set upper_case = namespace(value='upper(' ~ transliterate_to_latin(column) ~ ')') -%}
    {%- for letter, spelling in [('ẞ', 'SS'), ('ß', 'SS'), ('Æ', 'AE'), ('Œ', 'OE'), ('Ø', 'O'), ('Ł', 'L'), ('Đ', 'D'), ('Þ', 'TH')] -%}
        {%- set upper_case.value = 'replace(' ~ upper_case.value ~ ", '" ~ letter ~ "', '" ~ spelling ~ "')" -%}
    {%- endfor -%}
    {#- 2. accents stripped (É -> E) -#}
    {%- set value = strip_accents(upper_case.value) -%}
    {#- 3. hyphens, dashes, dots and whitespace separate words -#}
    {%- set value = regex_replace_all(value, '[-–—.\\t\\r\\n]', ' ') -%}
    {#- 4. apostrophes join (O'Brien -> OBRIEN) and anything else that is not a letter goes -#}
    {%- set value = regex_replace_all(value, "[^A-Z ]", '') -%}
    {#- 5. single spaces, trimmed, empty -> null -#}
    {%- set value = regex_replace_all(value, ' +', ' ') -%}
    nullif(trim({{ value }}), '')
{%- endmacro %}
