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

    {{ raw_source(
        'prisons', 'prisoners',
        key=clean_code('prison_number'),
        updated_at=parse_timestamp('last_updated_at')
    ) }}

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
        exact_duplicate_number,
        key_version_number
    from source

),

final as (

    select
        cleaned.source_row_number,
        cleaned.prison_number,
        cleaned.pnc_id,
        cleaned.is_pnc_id_valid,
        cleaned.pnc_id_as_recorded,
        cleaned.surname,
        cleaned.forename,
        cleaned.middle_names,
        cleaned.has_control_characters,
        {{ date_of_birth_columns('cleaned') }},
        case when cleaned.sex_code in ('M', 'F') then cleaned.sex_code end as sex,
        ethnicity_codes.source_value as self_defined_ethnicity_code,
        coalesce(ethnicity_codes.ethnicity_group, 'Not stated') as ethnicity_group,
        {{ postcode_columns('cleaned') }},
        cleaned.last_updated_at,
        cleaned.extracted_at,
        cleaned.exact_duplicate_number,
        cleaned.key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from cleaned
    left join
        ethnicity_codes
        on cleaned.ethnicity_code = upper(ethnicity_codes.source_value)

)

select * from final
