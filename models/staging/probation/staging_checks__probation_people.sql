-- depends_on: {{ ref('audit__raw_contract') }}

{%- set raw_columns = source_column_names('probation', 'people') %}
{%- set checks = invalid_encoding_checks(raw_columns) + [
    ("crn is null", "missing_required", "crn"),
    ("exact_duplicate_number > 1", "duplicate_row", ""),
    ("key_version_number > 1", "duplicate_key", "crn"),
    (is_name_too_long(['surname', 'forename', 'middle_names']), "text_too_long",
     "surname, first_name or second_name"),
] %}

with

source as (

    {{ raw_source(
        'probation', 'people',
        key=clean_code('crn'),
        updated_at=parse_timestamp('last_updated_at')
    ) }}

),

ethnicity_texts as (

    select
        upper({{ clean_text('source_value') }}) as ethnicity_key,
        ethnicity_group
    from {{ ref('reference__ethnicity_codes') }}
    where coding_scheme = 'probation_text'

),

cleaned as (

    select
        file_row_number as source_row_number,
        invalid_encoding_column,
        {{ clean_code('crn') }} as crn,
        {{ pnc_id_columns('pnc_id') }},
        {{ clean_text('pnc_id') }} as pnc_id_as_recorded,
        {{ clean_text('surname') }} as surname,
        {{ clean_text('first_name') }} as forename,
        {{ clean_text('second_name') }} as middle_names,
        {{ has_control_characters(['surname', 'first_name', 'second_name']) }}
            as has_control_characters,
        {{ clean_text('date_of_birth') }} as date_of_birth_text,
        {{ parse_date('date_of_birth', '%d-%b-%Y', fallback_iso=true) }} as date_of_birth,
        {{ clean_code('gender') }} as gender_code,
        {{ clean_text('ethnicity') }} as ethnicity_as_recorded,
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
        cleaned.crn,
        cleaned.pnc_id,
        cleaned.is_pnc_id_valid,
        cleaned.pnc_id_as_recorded,
        cleaned.surname,
        cleaned.forename,
        cleaned.middle_names,
        cleaned.has_control_characters,
        {{ date_of_birth_columns('cleaned') }},
        case cleaned.gender_code
            when 'MALE' then 'M'
            when 'FEMALE' then 'F'
        end as sex,
        cleaned.ethnicity_as_recorded,
        coalesce(ethnicity_texts.ethnicity_group, 'Not stated') as ethnicity_group,
        {{ postcode_columns('cleaned') }},
        cleaned.last_updated_at,
        cleaned.extracted_at,
        cleaned.exact_duplicate_number,
        cleaned.key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from cleaned
    left join
        ethnicity_texts
        on upper(cleaned.ethnicity_as_recorded) = ethnicity_texts.ethnicity_key

)

select * from final
