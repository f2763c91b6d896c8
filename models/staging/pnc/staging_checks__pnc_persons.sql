-- depends_on: {{ ref('audit__raw_contract') }}

{%- set raw_columns = source_column_names('pnc', 'persons') %}
{%- set checks = invalid_encoding_checks(raw_columns) + [
    ("pnc_id is null", "missing_required", "pnc_id"),
    ("exact_duplicate_number > 1", "duplicate_row", ""),
    ("key_version_number > 1", "duplicate_key", "pnc_id"),
    (is_name_too_long(['surname', 'forename', 'middle_names']), "text_too_long",
     "surname, forename_1 or forename_2"),
] %}

with

source as (

    {{ raw_source('pnc', 'persons') }}

),

ethnicity_codes as (

    select source_value, ethnicity_group
    from {{ ref('reference__ethnicity_codes') }}
    where coding_scheme = 'self_defined'

),

officer_codes as (

    select source_value, ethnicity_group
    from {{ ref('reference__ethnicity_codes') }}
    where coding_scheme = 'officer_observed'

),

cleaned as (

    select
        file_row_number as source_row_number,
        invalid_encoding_column,
        {{ pnc_id_columns('pnc_id') }},
        {{ clean_text('surname') }} as surname,
        {{ clean_text('forename_1') }} as forename,
        {{ clean_text('forename_2') }} as middle_names,
        {{ has_control_characters(['surname', 'forename_1', 'forename_2']) }}
            as has_control_characters,
        {{ clean_text('date_of_birth') }} as date_of_birth_text,
        {{ parse_date('date_of_birth', '%d/%m/%Y', fallback_iso=true) }} as date_of_birth,
        {{ clean_code('sex') }} as sex_code,
        {{ clean_code('self_defined_ethnicity') }} as self_defined_ethnicity,
        {{ clean_code('officer_ethnicity') }} as officer_ethnicity,
        {{ raw_postcode_columns('postcode') }},
        {{ clean_code('owning_force_code') }} as owning_force_code,
        {{ parse_date('created_date', '%d/%m/%Y', fallback_iso=true) }} as created_date,
        {{ parse_timestamp('last_updated_at') }} as last_updated_at,
        {{ parse_timestamp('extracted_at') }} as extracted_at,
        {{ exact_duplicate_number(raw_columns) }} as exact_duplicate_number
    from source

),

versions as (

    select
        *,
        {{ key_version_number('pnc_id', 'last_updated_at') }} as key_version_number
    from cleaned

),

final as (

    select
        versions.source_row_number,
        versions.pnc_id,
        versions.is_pnc_id_valid,
        versions.surname,
        versions.forename,
        versions.middle_names,
        versions.has_control_characters,
        {{ date_of_birth_columns('versions') }},
        case when versions.sex_code in ('M', 'F') then versions.sex_code end as sex,
        ethnicity_codes.source_value as self_defined_ethnicity_code,
        officer_codes.source_value as officer_ethnicity_code,
        coalesce(
            nullif(ethnicity_codes.ethnicity_group, 'Not stated'),
            nullif(officer_codes.ethnicity_group, 'Not stated'),
            'Not stated'
        ) as ethnicity_group,
        {{ postcode_columns('versions') }},
        versions.owning_force_code,
        versions.created_date,
        versions.last_updated_at,
        versions.extracted_at,
        versions.exact_duplicate_number,
        versions.key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from versions
    left join
        ethnicity_codes
        on versions.self_defined_ethnicity = upper(ethnicity_codes.source_value)
    left join officer_codes on versions.officer_ethnicity = upper(officer_codes.source_value)

)

select * from final
