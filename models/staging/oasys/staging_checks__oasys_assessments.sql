-- depends_on: {{ ref('audit__raw_contract') }}

{%- set raw_columns = source_column_names('oasys', 'assessments') %}
{#- The need scores (the seed reference.assessment_needs), each 0-2. -#}
{%- set need_columns = assessment_need_columns() %}
{%- set checks = invalid_encoding_checks(raw_columns) + [
    ("assessment_id is null or assessment_date_text is null or (crn is null and prison_number is null)",
     "missing_required", "assessment_id, assessment_date or crn and prison_number"),
    ("exact_duplicate_number > 1", "duplicate_row", ""),
    ("key_version_number > 1", "duplicate_key", "assessment_id"),
    ("assessment_date is null", "unparseable_date", "assessment_date"),
    (is_impossible_date("assessment_date"), "impossible_date", "assessment_date"),
    ("assessment_date < date_of_birth", "date_order", "assessment_date"),
] %}
{%- for need in need_columns %}
    {%- do checks.append(
        (need ~ "_text is not null and " ~ need ~ "_number is null", "invalid_number", need)
    ) %}
{%- endfor %}
{%- for need in need_columns %}
    {%- do checks.append(
        (need ~ "_number not between 0 and 2", "implausible_value", need)
    ) %}
{%- endfor %}
{%- do checks.append(
    (is_name_too_long(['surname', 'forename']), "text_too_long", "family_name or forename")
) %}

with

source as (

    {{ raw_source(
        'oasys', 'assessments',
        key=clean_code('assessment_id'),
        updated_at=parse_timestamp('last_updated_at')
    ) }}

),

cleaned as (

    select
        file_row_number as source_row_number,
        invalid_encoding_column,
        {{ clean_code('assessment_id') }} as assessment_id,
        {{ clean_code('crn') }} as crn,
        {{ clean_code('prison_number') }} as prison_number,
        {{ clean_text('family_name') }} as surname,
        {{ clean_text('forename') }} as forename,
        {{ has_control_characters(['family_name', 'forename']) }} as has_control_characters,
        {{ clean_text('date_of_birth') }} as date_of_birth_text,
        {{ parse_date('date_of_birth', '%Y-%m-%d') }} as date_of_birth_parsed,
        {{ clean_code('gender') }} as gender_code,
        {{ raw_postcode_columns('postcode') }},
        {{ clean_text('assessment_date') }} as assessment_date_text,
        {{ parse_date('assessment_date', '%Y-%m-%d') }} as assessment_date,
        {{ category_code('assessment_type') }} as assessment_type,
        {%- for need in need_columns %}
            {{ clean_text(need) }} as {{ need }}_text,
            {{ clean_integer(need) }} as {{ need }}_number,
        {%- endfor %}
        lower(replace({{ clean_text('rosh_level') }}, ' ', '_')) as rosh_level_code,
        {{ parse_timestamp('last_updated_at') }} as last_updated_at,
        {{ parse_timestamp('extracted_at') }} as extracted_at,
        exact_duplicate_number,
        key_version_number
    from source

),

versions as (

    select
        *,
        -- an impossible date of birth is blanked (and flagged): it cannot order the assessment
        case
            when not {{ is_impossible_date('date_of_birth_parsed') }} then date_of_birth_parsed
        end as date_of_birth
    from cleaned

),

final as (

    select
        source_row_number,
        assessment_id,
        crn,
        prison_number,
        surname,
        forename,
        has_control_characters,
        date_of_birth,
        date_of_birth_text is not null and date_of_birth is null as is_date_of_birth_doubtful,
        case when gender_code in ('M', 'F') then gender_code end as sex,
        {{ postcode_columns() }},
        assessment_date,
        assessment_type,
        {%- for need in need_columns %}
            {{ try_cast_to(need ~ '_number', 'integer') }} as {{ need }},
        {%- endfor %}
        case
            when rosh_level_code in ('low', 'medium', 'high', 'very_high') then rosh_level_code
        end as rosh_level,
        last_updated_at,
        extracted_at,
        exact_duplicate_number,
        key_version_number,
        {{ quarantine_reason(checks) }} as quarantine_reason,
        {{ quarantine_column(checks) }} as quarantine_column
    from versions

)

select * from final
