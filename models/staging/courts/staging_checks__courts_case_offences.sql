-- depends_on: {{ ref('audit__raw_contract') }}

{%- set raw_columns = source_column_names('courts', 'case_offences') %}
{%- set checks = invalid_encoding_checks(raw_columns) + [
    ("case_offence_id is null", "missing_required", "case_offence_id"),
    ("case_id is null", "missing_required", "case_id"),
    ("defendant_id is null", "missing_required", "defendant_id"),
    ("offence_code is null", "missing_required", "offence_code"),
    ("offence_date_text is null", "missing_required", "offence_date"),
    ("exact_duplicate_number > 1", "duplicate_row", ""),
    ("key_version_number > 1", "duplicate_key", "case_offence_id"),
    ("offence_date is null", "unparseable_date", "offence_date"),
    ("verdict_date_text is not null and verdict_date is null", "unparseable_date", "verdict_date"),
    ("sentence_date_text is not null and sentence_date is null", "unparseable_date", "sentence_date"),
    (is_impossible_date("offence_date"), "impossible_date", "offence_date"),
    (is_impossible_date("verdict_date"), "impossible_date", "verdict_date"),
    (is_impossible_date("sentence_date"), "impossible_date", "sentence_date"),
    ("verdict_date < offence_date", "date_order", "verdict_date"),
    ("sentence_date < verdict_date", "date_order", "sentence_date"),
    ("not is_offence_code_known", "unknown_code", "offence_code"),
    ("disposal_code is not null and not is_disposal_code_known", "unknown_code", "disposal_code"),
    ("plea_text is not null and plea is null", "unknown_code", "plea"),
    ("verdict_text is not null and verdict is null", "unknown_code", "verdict"),
    ("is_principal_offence_text is not null and is_principal_offence is null",
     "unknown_code", "is_principal_offence"),
    ("sentence_length_days_text is not null and sentence_length_days is null",
     "invalid_number", "sentence_length_days"),
    ("sentence_length_days < 0 or sentence_length_days > 36525", "implausible_value", "sentence_length_days"),
] %}

with

source as (

    {{ raw_source(
        'courts', 'case_offences',
        key=clean_code('case_offence_id'),
        updated_at=parse_timestamp('last_updated_at')
    ) }}

),

offence_codes as (

    select offence_code from {{ ref('reference__offence_codes') }}

),

disposal_types as (

    select disposal_code from {{ ref('reference__disposal_types') }}

),

cleaned as (

    select
        file_row_number as source_row_number,
        invalid_encoding_column,
        {{ clean_code('case_offence_id') }} as case_offence_id,
        {{ clean_code('case_id') }} as case_id,
        {{ clean_code('defendant_id') }} as defendant_id,
        {{ clean_code('offence_code') }} as offence_code,
        {{ clean_text('offence_date') }} as offence_date_text,
        {{ parse_date('offence_date', '%Y-%m-%d') }} as offence_date,
        {{ clean_code('plea') }} as plea_text,
        {{ clean_code('verdict') }} as verdict_text,
        {{ clean_text('verdict_date') }} as verdict_date_text,
        {{ parse_date('verdict_date', '%Y-%m-%d') }} as verdict_date,
        {{ clean_text('sentence_date') }} as sentence_date_text,
        {{ parse_date('sentence_date', '%Y-%m-%d') }} as sentence_date,
        {{ clean_code('disposal_code') }} as disposal_code,
        {{ clean_code('sentence_length_days') }} as sentence_length_days_text,
        {{ clean_integer('sentence_length_days') }} as sentence_length_days,
        {{ clean_code('is_principal_offence') }} as is_principal_offence_text,
        {{ parse_timestamp('last_updated_at') }} as last_updated_at,
        {{ parse_timestamp('extracted_at') }} as extracted_at,
        exact_duplicate_number,
        key_version_number
    from source

),

lookups as (

    select
        cleaned.*,
        offence_codes.offence_code is not null as is_offence_code_known,
        disposal_types.disposal_code is not null as is_disposal_code_known,
        case cleaned.plea_text
            when 'GUILTY' then 'guilty'
            when 'NOT GUILTY' then 'not_guilty'
            when 'NO PLEA' then 'no_plea'
        end as plea,
        case cleaned.verdict_text
            when 'GUILTY' then 'guilty'
            when 'NOT GUILTY' then 'not_guilty'
            when 'DISMISSED' then 'dismissed'
            when 'WITHDRAWN' then 'withdrawn'
        end as verdict,
        case cleaned.is_principal_offence_text
            when 'Y' then true
            when 'N' then false
        end as is_principal_offence
    from cleaned
    left join offence_codes on cleaned.offence_code = offence_codes.offence_code
    left join disposal_types on cleaned.disposal_code = disposal_types.disposal_code

),

final as (

    select
        source_row_number,
        case_offence_id,
        case_id,
        defendant_id,
        offence_code,
        offence_date,
        plea,
        verdict,
        verdict_date,
        sentence_date,
        disposal_code,
        sentence_length_days,
        is_principal_offence,
        coalesce(verdict = 'guilty', false) as is_convicted,
        last_updated_at,
        extracted_at,
        exact_duplicate_number,
        key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from lookups

)

select * from final
