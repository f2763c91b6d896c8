-- depends_on: {{ ref('audit__raw_contract') }}

{%- set raw_columns = source_column_names('courts', 'cases') %}
{%- set checks = invalid_encoding_checks(raw_columns) + [
    ("case_id is null", "missing_required", "case_id"),
    ("court_code is null", "missing_required", "court_code"),
    ("court_type is null", "missing_required", "court_type"),
    ("first_hearing_date_text is null", "missing_required", "first_hearing_date"),
    ("exact_duplicate_number > 1", "duplicate_row", ""),
    ("key_version_number > 1", "duplicate_key", "case_id"),
    ("first_hearing_date is null", "unparseable_date", "first_hearing_date"),
    ("case_completed_date_text is not null and case_completed_date is null",
     "unparseable_date", "case_completed_date"),
    (is_impossible_date("first_hearing_date"), "impossible_date", "first_hearing_date"),
    (is_impossible_date("case_completed_date"), "impossible_date", "case_completed_date"),
    ("case_completed_date < first_hearing_date", "date_order", "case_completed_date"),
    ("not is_court_code_known", "unknown_code", "court_code"),
    ("court_type not in ('MC', 'CC')", "unknown_code", "court_type"),
] %}

with

source as (

    {{ raw_source(
        'courts', 'cases',
        key=clean_code('case_id'),
        updated_at=parse_timestamp('last_updated_at')
    ) }}

),

courts as (

    select court_code from {{ ref('reference__courts') }}

),

cleaned as (

    select
        file_row_number as source_row_number,
        invalid_encoding_column,
        {{ clean_code('case_id') }} as case_id,
        {{ clean_code('court_code') }} as court_code,
        {{ clean_code('court_type') }} as court_type,
        {{ clean_text('first_hearing_date') }} as first_hearing_date_text,
        {{ parse_date('first_hearing_date', '%Y-%m-%d') }} as first_hearing_date,
        {{ clean_text('case_completed_date') }} as case_completed_date_text,
        {{ parse_date('case_completed_date', '%Y-%m-%d') }} as case_completed_date,
        {{ parse_timestamp('last_updated_at') }} as last_updated_at,
        {{ parse_timestamp('extracted_at') }} as extracted_at,
        exact_duplicate_number,
        key_version_number
    from source

),

lookups as (

    select
        cleaned.*,
        courts.court_code is not null as is_court_code_known
    from cleaned
    left join courts on cleaned.court_code = courts.court_code

),

final as (

    select
        source_row_number,
        case_id,
        court_code,
        court_type,
        first_hearing_date,
        case_completed_date,
        last_updated_at,
        extracted_at,
        exact_duplicate_number,
        key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from lookups

)

select * from final
