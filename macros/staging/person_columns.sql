{#-
    The identifying columns every system's person table stages the same way (documented in
    _staging__macros.yml). Each system's own columns (date formats, sex and ethnicity codes) stay in its
    validation table; these macros hold the rules the four person tables share, once.
-#}

{% macro pnc_id_columns(column) -%}
    {{ staged_pnc_id(column) }} as pnc_id,
    {{ normalise_pnc_id(column) }} is not null as is_pnc_id_valid
{%- endmacro %}


{% macro staged_pnc_id(column) -%}
    coalesce({{ normalise_pnc_id(column) }}, {{ clean_code(column) }})
{%- endmacro %}


{% macro raw_postcode_columns(column) -%}
    {{ clean_text(column) }} as postcode_as_recorded,
    {{ normalise_postcode(column) }} as postcode
{%- endmacro %}


{% macro postcode_columns(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}postcode,
    {{ postcode_district(prefix ~ 'postcode') }} as postcode_district,
    {{ prefix }}postcode_as_recorded is not null
    and {{ prefix }}postcode is null as is_postcode_doubtful
{%- endmacro %}


{% macro date_of_birth_columns(relation) -%}
    {{ possible_date(relation ~ '.date_of_birth', relation ~ '.extracted_at') }} as date_of_birth,
    {{ is_date_doubtful(
        relation ~ '.date_of_birth_text', relation ~ '.date_of_birth', relation ~ '.extracted_at'
    ) }} as is_date_of_birth_doubtful
{%- endmacro %}


{% macro standardised_name_columns(columns) -%}
    {%- for column in columns %}
    {{ standardise_name(column) }} as {{ column }}_std{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
