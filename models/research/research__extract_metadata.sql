{#-
    What a research extract is (doc block research_extract_metadata): one row naming the release it was
    built in, the extract dates of its sources, the cohorts it covers, an identifier of the pseudonym key
    and the row count of every research table.
-#}

{%- set key_id_label = "'repeat_offending research pseudonym key id'" -%}
{%- set string_type = api.Column.translate_type('string') -%}
{%- set bigint_type = dbt.type_bigint() -%}
{%- set development_key = utf8_bytes("'" ~ research_pseudonym_development_key() ~ "'") -%}

with

extract_dates as (

    select * from {{ ref('linked__extract_dates') }}

),

proven_reoffending as (

    select * from {{ ref('research__proven_reoffending') }}

),

offender_histories as (

    select * from {{ ref('research__offender_histories') }}

),

young_people as (

    select * from {{ ref('research__young_people') }}

),

risk_model_inputs as (

    select * from {{ ref('research__risk_model_inputs') }}

),

extracts as (

    select
        min(data_as_of) as data_as_of,
        max(data_as_of) as latest_extract_date,
        count(*) as source_tables
    from extract_dates

),

proven_reoffending_summary as (

    select
        min(cohort_quarter) as first_cohort_quarter,
        max(cohort_quarter) as last_cohort_quarter,
        count(*) as proven_reoffending_rows
    from proven_reoffending

),

offender_histories_summary as (

    select count(*) as offender_histories_rows
    from offender_histories

),

young_people_summary as (

    select
        max(cohort_year) as young_people_cohort_year,
        count(*) as young_people_rows
    from young_people

),

risk_model_inputs_summary as (

    select count(*) as risk_model_inputs_rows
    from risk_model_inputs

),

-- an HMAC of a fixed label under the pseudonym key: names the key without revealing it
pseudonym_key as (

    select
        substring(
            {{ hmac_sha256_hex(utf8_bytes(research_pseudonym_key()), key_id_label) }}, 1, 16
        ) as pseudonym_key_id,
        substring(
            {{ hmac_sha256_hex(development_key, key_id_label) }}, 1, 16
        ) as development_key_id

),

final as (

    select
        cast('{{ release_id() }}' as {{ string_type }}) as release_id,
        extracts.data_as_of,
        extracts.latest_extract_date,
        cast(extracts.source_tables as integer) as source_tables,
        cast(proven_reoffending_summary.first_cohort_quarter as {{ string_type }})
            as first_cohort_quarter,
        cast(proven_reoffending_summary.last_cohort_quarter as {{ string_type }})
            as last_cohort_quarter,
        cast(young_people_summary.young_people_cohort_year as integer)
            as young_people_cohort_year,
        cast(pseudonym_key.pseudonym_key_id as {{ string_type }}) as pseudonym_key_id,
        pseudonym_key.pseudonym_key_id = pseudonym_key.development_key_id as is_development_key,
        cast('{{ research_tier() }}' as {{ string_type }}) as research_tier,
        cast(proven_reoffending_summary.proven_reoffending_rows as {{ bigint_type }})
            as proven_reoffending_rows,
        cast(offender_histories_summary.offender_histories_rows as {{ bigint_type }})
            as offender_histories_rows,
        cast(young_people_summary.young_people_rows as {{ bigint_type }}) as young_people_rows,
        cast(risk_model_inputs_summary.risk_model_inputs_rows as {{ bigint_type }})
            as risk_model_inputs_rows
    from extracts
    cross join proven_reoffending_summary
    cross join offender_histories_summary
    cross join young_people_summary
    cross join risk_model_inputs_summary
    cross join pseudonym_key

)

select * from final
