-- depends_on: {{ ref('audit__raw_contract') }}

{%- set raw_columns = source_column_names('prisons', 'custodial_spells') %}
{%- set checks = invalid_encoding_checks(raw_columns) + [
    ("spell_id is null", "missing_required", "spell_id"),
    ("prison_number is null", "missing_required", "prison_number"),
    ("establishment_code is null", "missing_required", "establishment_code"),
    ("reception_date_text is null", "missing_required", "reception_date"),
    ("reception_reason is null", "missing_required", "reception_reason"),
    ("exact_duplicate_number > 1", "duplicate_row", ""),
    ("key_version_number > 1", "duplicate_key", "spell_id"),
    ("reception_date is null", "unparseable_date", "reception_date"),
    ("sentence_date_text is not null and sentence_date is null", "unparseable_date", "sentence_date"),
    ("release_date_text is not null and release_date is null", "unparseable_date", "release_date"),
    (is_impossible_date("reception_date"), "impossible_date", "reception_date"),
    (is_impossible_date("sentence_date"), "impossible_date", "sentence_date"),
    (is_impossible_date("release_date"), "impossible_date", "release_date"),
    ("release_date < reception_date", "date_order", "release_date"),
    ("not is_establishment_code_known", "unknown_code", "establishment_code"),
    ("not is_reception_reason_known", "unknown_code", "reception_reason"),
    ("release_reason is not null and not is_release_reason_known", "unknown_code", "release_reason"),
    ("sentence_length_text is not null and sentence_length_days is null", "invalid_number", "sentence_length_days"),
    ("sentence_length_days < 0 or sentence_length_days > 36525", "implausible_value", "sentence_length_days"),
] %}

with

source as (

    {{ raw_source(
        'prisons', 'custodial_spells',
        key=clean_code('spell_id'),
        updated_at=parse_timestamp('last_updated_at')
    ) }}

),

establishments as (

    select establishment_code from {{ ref('reference__prison_establishments') }}

),

reception_reasons as (

    select reason_code
    from {{ ref('reference__custody_movement_reasons') }}
    where movement = 'reception'

),

release_reasons as (

    select reason_code, is_sentenced_release
    from {{ ref('reference__custody_movement_reasons') }}
    where movement = 'release'

),

cleaned as (

    select
        file_row_number as source_row_number,
        invalid_encoding_column,
        {{ clean_code('spell_id') }} as spell_id,
        {{ clean_code('prison_number') }} as prison_number,
        {{ clean_code('establishment_code') }} as establishment_code,
        {{ clean_text('reception_date') }} as reception_date_text,
        {{ parse_date('reception_date', '%Y-%m-%d') }} as reception_date,
        {{ clean_code('reception_reason') }} as reception_reason,
        {{ clean_text('sentence_date') }} as sentence_date_text,
        {{ parse_date('sentence_date', '%Y-%m-%d') }} as sentence_date,
        {{ clean_code('sentence_length_days') }} as sentence_length_text,
        {{ clean_integer('sentence_length_days') }} as sentence_length_days,
        {{ clean_text('release_date') }} as release_date_text,
        {{ parse_date('release_date', '%Y-%m-%d') }} as release_date,
        {{ clean_code('release_reason') }} as release_reason,
        {{ parse_timestamp('last_updated_at') }} as last_updated_at,
        {{ parse_timestamp('extracted_at') }} as extracted_at,
        exact_duplicate_number,
        key_version_number
    from source

),

lookups as (

    select
        cleaned.*,
        establishments.establishment_code is not null as is_establishment_code_known,
        reception_reasons.reason_code is not null as is_reception_reason_known,
        release_reasons.reason_code is not null as is_release_reason_known,
        coalesce(release_reasons.is_sentenced_release, false) as is_sentenced_release
    from cleaned
    left join establishments on cleaned.establishment_code = establishments.establishment_code
    left join reception_reasons on cleaned.reception_reason = reception_reasons.reason_code
    left join release_reasons on cleaned.release_reason = release_reasons.reason_code

),

final as (

    select
        source_row_number,
        spell_id,
        prison_number,
        establishment_code,
        reception_date,
        reception_reason,
        sentence_date,
        sentence_length_days,
        release_date,
        release_reason,
        is_sentenced_release,
        coalesce(reception_reason = 'REMAND' and sentence_date is null, false) as is_remand_only,
        last_updated_at,
        extracted_at,
        exact_duplicate_number,
        key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from lookups

)

select * from final
