-- depends_on: {{ ref('audit__raw_contract') }}

{%- set raw_columns = source_column_names('prisons', 'prisoners') %}
{%- set checks = invalid_encoding_checks(raw_columns) + [
    ("prison_number is null", "missing_required", "prison_number"),
    ("exact_duplicate_number > 1", "duplicate_row", ""),
    ("key_version_number > 1", "duplicate_key", "prison_number"),
    (is_name_too_long(['surname', 'forename', 'middle_names']), "text_too_long",
     "last_name, first_name or middle_names"),
] %}

with

source as (

    {{ raw_source('prisons', 'prisoners') }}

),

ethnicity_codes as (

    select source_value, ethnicity_group
    from {{ ref('reference__ethnicity_codes') }}
    where coding_scheme = 'self_defined'

),

cleaned as (

    select
        file_row_number as source_row_number,
        invalid_encoding_column,
        {{ clean_code('prison_number') }} as prison_number,
        {{ pnc_id_columns('pnc_id') }},
        {{ clean_code('pnc_id') }} as pnc_id_as_recorded,
        {{ clean_text('last_name') }} as surname,
        {{ clean_text('first_name') }} as forename,
        {{ clean_text('middle_names') }} as middle_names,
        {{ has_control_characters(['last_name', 'first_name', 'middle_names']) }}
            as has_control_characters,
        {{ clean_text('birth_date') }} as date_of_birth_text,
        {{ parse_date('birth_date', '%Y-%m-%d') }} as date_of_birth,
        {{ clean_code('sex') }} as sex_code,
        {{ clean_code('ethnicity_code') }} as ethnicity_code,
        {{ raw_postcode_columns('postcode') }},
        {{ parse_timestamp('last_updated_at') }} as last_updated_at,
        {{ parse_timestamp('extracted_at') }} as extracted_at,
        {{ exact_duplicate_number(raw_columns) }} as exact_duplicate_number
    from source

),

versions as (

    select
        *,
        {{ key_version_number('prison_number', 'last_updated_at') }} as key_version_number
    from cleaned

),

final as (

    select
        versions.source_row_number,
        versions.prison_number,
        versions.pnc_id,
        versions.is_pnc_id_valid,
        versions.pnc_id_as_recorded,
        versions.surname,
        versions.forename,
        versions.middle_names,
        versions.has_control_characters,
        {{ date_of_birth_columns('versions') }},
        case when versions.sex_code in ('M', 'F') then versions.sex_code end as sex,
        ethnicity_codes.source_value as self_defined_ethnicity_code,
        coalesce(ethnicity_codes.ethnicity_group, 'Not stated') as ethnicity_group,
        {{ postcode_columns('versions') }},
        versions.last_updated_at,
        versions.extracted_at,
        versions.exact_duplicate_number,
        versions.key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from versions
    left join
        ethnicity_codes
        on versions.ethnicity_code = upper(ethnicity_codes.source_value)

)

select * from final
