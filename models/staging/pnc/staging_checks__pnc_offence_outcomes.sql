-- depends_on: {{ ref('audit__raw_contract') }}

{%- set raw_columns = source_column_names('pnc', 'offence_outcomes') %}
{%- set checks = invalid_encoding_checks(raw_columns) + [
    ("is_missing_key or pnc_id_as_recorded is null or offence_code is null or offence_date_text is null",
     "missing_required", "offence_record_id, pnc_id, offence_code or offence_date"),
    ("exact_duplicate_number > 1", "duplicate_row", ""),
    ("key_version_number > 1", "duplicate_key", "offence_record_id"),
    ("offence_date is null", "unparseable_date", "offence_date"),
    ("outcome_date_text is not null and outcome_date is null", "unparseable_date", "outcome_date"),
    ("recorded_date_text is not null and recorded_date is null", "unparseable_date", "recorded_date"),
    (is_impossible_date("offence_date"), "impossible_date", "offence_date"),
    (is_impossible_date("outcome_date"), "impossible_date", "outcome_date"),
    (is_impossible_date("recorded_date"), "impossible_date", "recorded_date"),
    ("outcome_date < offence_date", "date_order", "outcome_date"),
    ("not is_offence_code_known", "unknown_code", "offence_code"),
    ("outcome_code is not null and not is_outcome_code_known", "unknown_code", "outcome_code"),
    ("disposal_code is not null and not is_disposal_code_known", "unknown_code", "disposal_code"),
    ("court_code is not null and not is_court_code_known", "unknown_code", "court_code"),
    ("sentence_length_text is not null and sentence_length_number is null", "invalid_number", "sentence_length"),
    ("sentence_length_days < 0 or sentence_length_days > 36525", "implausible_value", "sentence_length"),
] %}

with

source as (

    {{ raw_source(
        'pnc', 'offence_outcomes',
        key=clean_code('offence_record_id'),
        updated_at=parse_timestamp('last_updated_at')
    ) }}

),

offence_codes as (

    select offence_code from {{ ref('reference__offence_codes') }}

),

outcome_types as (

    select outcome_code from {{ ref('reference__outcome_types') }}

),

disposal_types as (

    select disposal_code from {{ ref('reference__disposal_types') }}

),

courts as (

    select court_code from {{ ref('reference__courts') }}

),

cleaned as (

    select
        file_row_number as source_row_number,
        invalid_encoding_column,
        {{ is_blank('offence_record_id') }} as is_missing_key,
        {{ clean_code('offence_record_id') }} as offence_record_id,
        {{ clean_code('pnc_id') }} as pnc_id_as_recorded,
        {{ normalise_pnc_id('pnc_id') }} as pnc_id_valid,
        {{ clean_code('arrest_summons_number') }} as arrest_summons_number,
        {{ clean_code('offence_code') }} as offence_code,
        {{ clean_text('offence_date') }} as offence_date_text,
        {{ parse_date('offence_date', '%d/%m/%Y', fallback_iso=true) }} as offence_date,
        {{ clean_code('outcome_code') }} as outcome_code,
        {{ clean_text('outcome_date') }} as outcome_date_text,
        {{ parse_date('outcome_date', '%d/%m/%Y', fallback_iso=true) }} as outcome_date,
        {{ clean_code('disposal_code') }} as disposal_code,
        {{ clean_code('sentence_length') }} as sentence_length_text,
        {{ clean_code('force_code') }} as force_code,
        {{ clean_code('court_code') }} as court_code,
        {{ clean_text('recorded_date') }} as recorded_date_text,
        {{ parse_date('recorded_date', '%d/%m/%Y', fallback_iso=true) }} as recorded_date,
        {{ parse_timestamp('last_updated_at') }} as last_updated_at,
        {{ parse_timestamp('extracted_at') }} as extracted_at,
        exact_duplicate_number,
        key_version_number
    from source

),

lengths as (

    select
        *,
        {{ clean_integer(regex_extract('sentence_length_text', '^(-?[0-9]+)[DWMY]$')) }}
            as sentence_length_number,
        {{ regex_extract('sentence_length_text', '^-?[0-9]+([DWMY])$') }} as sentence_length_unit
    from cleaned

),

lookups as (

    select
        lengths.*,
        offence_codes.offence_code is not null as is_offence_code_known,
        outcome_types.outcome_code is not null as is_outcome_code_known,
        disposal_types.disposal_code is not null as is_disposal_code_known,
        courts.court_code is not null as is_court_code_known,
        cast(round(lengths.sentence_length_number * case lengths.sentence_length_unit
            when 'D' then 1
            when 'W' then 7
            when 'M' then 30.4375
            when 'Y' then 365.25
        end) as integer) as sentence_length_days
    from lengths
    left join offence_codes on lengths.offence_code = offence_codes.offence_code
    left join outcome_types on lengths.outcome_code = outcome_types.outcome_code
    left join disposal_types on lengths.disposal_code = disposal_types.disposal_code
    left join courts on lengths.court_code = courts.court_code

),

final as (

    select
        source_row_number,
        offence_record_id,
        coalesce(pnc_id_valid, pnc_id_as_recorded) as pnc_id,
        pnc_id_valid is not null as is_pnc_id_valid,
        arrest_summons_number,
        offence_code,
        offence_date,
        outcome_code,
        outcome_date,
        disposal_code,
        sentence_length_text as sentence_length_as_recorded,
        sentence_length_days,
        force_code,
        court_code,
        recorded_date,
        last_updated_at,
        extracted_at,
        exact_duplicate_number,
        key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from lookups

)

select * from final
