{#-
    The access tier of the research extract (var `research_tier`, docs/methodology.md section 6): `standard`,
    or `coarse` for a wider access level, with fewer quasi-identifiers of the people in it. Each macro is the
    expression of one column in the tier built; the export measures each tier's k-anonymity.
    Documented in _research__macros.yml.
-#}

{% macro research_tier() -%}
    {%- set tier = var('research_tier') -%}
    {%- if tier not in ['standard', 'coarse'] -%}
        {{ exceptions.raise_compiler_error(
            "research_tier must be 'standard' or 'coarse', got " ~ tier
        ) }}
    {%- endif -%}
    {{ return(tier) }}
{%- endmacro %}


{% macro research_five_year_band(expression) -%}
    {#- A year or an age as published in the tier: as is, or the first of its five-year band (the coarse
        tier: 1990 for 1990-1994, 15 for 15-19). -#}
    {%- if research_tier() == 'coarse' -%}
        cast(floor(({{ expression }}) / 5) * 5 as integer)
    {%- else -%}
        {{ expression }}
    {%- endif -%}
{%- endmacro %}


{% macro research_deprivation_decile(expression) -%}
    {#- The area's deprivation decile as published in the tier: left out (null) of the coarse tier, which
        keeps the region only. -#}
    {%- if research_tier() == 'coarse' -%}
        cast(null as integer)
    {%- else -%}
        {{ expression }}
    {%- endif -%}
{%- endmacro %}
