{#-
    The raw contract check: one row per finding on the raw files the sources declare, from the files'
    metadata only (no value is read). Runs before staging (every staging_checks view depends on it); its
    post-hook logs each finding and fails the model on a blocking one, so staging never starts on a broken
    extract. Macros in macros/audit/raw_contract.sql.
-#}
{{ config(post_hook=after_commit("{{ raw_contract_report(this) }}")) }}

with

findings as (

    {{ raw_contract_findings_sql(raw_contract_findings()) }}

),

final as (

    select
        {{ dbt.concat([
            "source_table",
            "'#'",
            "check_name",
            "'#'",
            "coalesce(column_name, '')",
        ]) }} as finding_id,
        source_system,
        source_table,
        file_path,
        column_name,
        check_name,
        expected,
        found,
        severity
    from findings

)

select * from final
