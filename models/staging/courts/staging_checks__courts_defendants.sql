-- depends_on: {{ ref('audit__raw_contract') }}

{%- set raw_columns = source_column_names('courts', 'defendants') %}
{%- set checks = invalid_encoding_checks(raw_columns) + [
    ("defendant_id is null", "missing_required", "defendant_id"),
    ("case_id is null", "missing_required", "case_id"),
    ("exact_duplicate_number > 1", "duplicate_row", ""),
    ("key_version_number > 1", "duplicate_key", "defendant_id"),
    (is_name_too_long(['surname', 'forename', 'middle_names']), "text_too_long", "surname or forenames"),
] %}

with

source as (

    {{ raw_source(
        'courts', 'defendants',
        key=clean_code('defendant_id'),
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
        {{ clean_code('defendant_id') }} as defendant_id,
        {{ clean_code('case_id') }} as case_id,
        {{ pnc_id_columns('pnc_id') }},
        nullif({{ trim_whitespace('pnc_id') }}, '') as pnc_id_as_recorded,
        {{ clean_text('surname') }} as surname,
        {{ clean_text('forenames') }} as forenames,
        {{ has_control_characters(['surname', 'forenames']) }} as has_control_characters,
        {{ clean_text('date_of_birth') }} as date_of_birth_text,
        {{ parse_date('date_of_birth', '%Y-%m-%d') }} as date_of_birth,
        {{ clean_code('sex') }} as sex_text,
        {{ clean_code('self_defined_ethnicity') }} as self_defined_ethnicity,
        {{ raw_postcode_columns('postcode') }},
        {{ parse_timestamp('last_updated_at') }} as last_updated_at,
        {{ parse_timestamp('extracted_at') }} as extracted_at,
        exact_duplicate_number,
        key_version_number
    from source

),

names as (

    select
        *,
        {{ regex_extract('forenames', '^([^ ]+)') }} as forename,
        {{ regex_extract('forenames', '^[^ ]+ (.+)$') }} as middle_names
    from cleaned

),

final as (

    select
        names.source_row_number,
        names.defendant_id,
        names.case_id,
        names.pnc_id,
        names.is_pnc_id_valid,
        names.pnc_id_as_recorded,
        names.surname,
        names.forename,
        names.middle_names,
        names.has_control_characters,
        {{ date_of_birth_columns('names') }},
        case names.sex_text
            when 'MALE' then 'M'
            when 'FEMALE' then 'F'
        end as sex,
        ethnicity_codes.source_value as self_defined_ethnicity_code,
        coalesce(ethnicity_codes.ethnicity_group, 'Not stated') as ethnicity_group,
        {{ postcode_columns('names') }},
        names.last_updated_at,
        names.extracted_at,
        names.exact_duplicate_number,
        names.key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from names
    left join
        ethnicity_codes
        on names.self_defined_ethnicity = upper(ethnicity_codes.source_value)

)

select * from final
