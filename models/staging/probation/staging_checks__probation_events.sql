-- depends_on: {{ ref('audit__raw_contract') }}

{%- set raw_columns = source_column_names('probation', 'events') %}
{#- The expected end date is a plan and may lie after the extract: never checked as impossible. -#}
{%- set checks = invalid_encoding_checks(raw_columns) + [
    ("event_id is null or crn is null or event_type_as_recorded is null or start_date_text is null",
     "missing_required", "event_id, crn, event_type or start_date"),
    ("exact_duplicate_number > 1", "duplicate_row", ""),
    ("key_version_number > 1", "duplicate_key", "event_id"),
    ("start_date is null", "unparseable_date", "start_date"),
    ("sentence_date_text is not null and sentence_date is null", "unparseable_date", "sentence_date"),
    ("expected_end_date_text is not null and expected_end_date is null", "unparseable_date", "expected_end_date"),
    ("termination_date_text is not null and termination_date is null", "unparseable_date", "termination_date"),
    (is_impossible_date("start_date"), "impossible_date", "start_date"),
    (is_impossible_date("sentence_date"), "impossible_date", "sentence_date"),
    (is_impossible_date("termination_date"), "impossible_date", "termination_date"),
    ("termination_date < start_date", "date_order", "termination_date"),
    ("event_type is null", "unknown_code", "event_type"),
    ("main_offence_code is not null and not is_main_offence_code_known", "unknown_code", "main_offence_code"),
] %}

with

source as (

    {{ raw_source(
        'probation', 'events',
        key=clean_code('event_id'),
        updated_at=parse_timestamp('last_updated_at')
    ) }}

),

event_types as (

    select
        {{ clean_code('source_value') }} as source_value,
        event_type
    from {{ ref('reference__probation_event_types') }}

),

offence_codes as (

    select offence_code from {{ ref('reference__offence_codes') }}

),

cleaned as (

    select
        file_row_number as source_row_number,
        invalid_encoding_column,
        {{ clean_code('event_id') }} as event_id,
        {{ clean_code('crn') }} as crn,
        {{ clean_code('event_type') }} as event_type_as_recorded,
        {{ clean_text('sentence_date') }} as sentence_date_text,
        {{ parse_date('sentence_date', '%d-%b-%Y', fallback_iso=true) }} as sentence_date,
        {{ clean_text('start_date') }} as start_date_text,
        {{ parse_date('start_date', '%d-%b-%Y', fallback_iso=true) }} as start_date,
        {{ clean_text('expected_end_date') }} as expected_end_date_text,
        {{ parse_date('expected_end_date', '%d-%b-%Y', fallback_iso=true) }} as expected_end_date,
        {{ clean_text('termination_date') }} as termination_date_text,
        {{ parse_date('termination_date', '%d-%b-%Y', fallback_iso=true) }} as termination_date,
        {{ category_code('termination_reason') }} as termination_reason,
        {{ clean_code('main_offence_code') }} as main_offence_code,
        {{ parse_timestamp('last_updated_at') }} as last_updated_at,
        {{ parse_timestamp('extracted_at') }} as extracted_at,
        exact_duplicate_number,
        key_version_number
    from source

),

lookups as (

    select
        cleaned.*,
        event_types.event_type,
        offence_codes.offence_code is not null as is_main_offence_code_known
    from cleaned
    left join event_types on cleaned.event_type_as_recorded = event_types.source_value
    left join offence_codes on cleaned.main_offence_code = offence_codes.offence_code

),

final as (

    select
        source_row_number,
        event_id,
        crn,
        event_type,
        sentence_date,
        start_date,
        expected_end_date,
        termination_date,
        termination_reason,
        main_offence_code,
        last_updated_at,
        extracted_at,
        exact_duplicate_number,
        key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from lookups

)

select * from final
