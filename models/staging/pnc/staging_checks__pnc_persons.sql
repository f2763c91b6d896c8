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

    {{ raw_source(
        'pnc', 'persons',
        key=staged_pnc_id('pnc_id'),
        updated_at=parse_timestamp('last_updated_at')
    ) }}

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
        exact_duplicate_number,
        key_version_number
    from source

),

final as (

    select
        cleaned.source_row_number,
        cleaned.pnc_id,
        cleaned.is_pnc_id_valid,
        cleaned.surname,
        cleaned.forename,
        cleaned.middle_names,
        cleaned.has_control_characters,
        {{ date_of_birth_columns('cleaned') }},
        case when cleaned.sex_code in ('M', 'F') then cleaned.sex_code end as sex,
        ethnicity_codes.source_value as self_defined_ethnicity_code,
        officer_codes.source_value as officer_ethnicity_code,
        coalesce(
            nullif(ethnicity_codes.ethnicity_group, 'Not stated'),
            nullif(officer_codes.ethnicity_group, 'Not stated'),
            'Not stated'
        ) as ethnicity_group,
        {{ postcode_columns('cleaned') }},
        cleaned.owning_force_code,
        cleaned.created_date,
        cleaned.last_updated_at,
        cleaned.extracted_at,
        cleaned.exact_duplicate_number,
        cleaned.key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from cleaned
    left join
        ethnicity_codes
        on cleaned.self_defined_ethnicity = upper(ethnicity_codes.source_value)
    left join officer_codes on cleaned.officer_ethnicity = upper(officer_codes.source_value)

)

select * from final
