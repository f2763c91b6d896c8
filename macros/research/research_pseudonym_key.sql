{#-
    The key of the research pseudonyms, as a SQL expression (never the key itself). Documented in
    _research__macros.yml.
-#}

{% macro research_pseudonym_key() -%}
    {#- The key is looked up only when dbt executes: at parse time dbt would store the value of any
        environment variable read in target/partial_parse.msgpack. -#}
    {%- if not execute -%}
        {{ return("'parse-time-placeholder'") }}
    {%- endif -%}
    {%- set key = env_var('RESEARCH_PSEUDONYM_KEY', '') -%}
    {%- set how_to_make_one = (
        "Make one with `python -c \"import secrets; print(secrets.token_urlsafe(32))\"` (43 random "
        ~ "characters), keep it in the secure environment's secret store, out of the repository, and use the "
        ~ "same key for every release that must link"
    ) -%}
    {%- if target.name == 'prod' and key | trim != '' and (key.encode('utf-8') | length) < 32 -%}
        {#- Never print the key, nor its length. -#}
        {{ exceptions.raise_compiler_error(
            "RESEARCH_PSEUDONYM_KEY is too short for the prod target: the research pseudonyms are only as "
            ~ "secret as this key, which must be at least 32 bytes of random text. " ~ how_to_make_one ~ "."
        ) }}
    {%- endif -%}
    {%- if key | trim != '' -%}
        {{ return(adapter.dispatch('research_pseudonym_key_variable', 'repeat_offending')()) }}
    {%- elif target.name == 'prod' -%}
        {{ exceptions.raise_compiler_error(
            "RESEARCH_PSEUDONYM_KEY must be set for the prod target: the research extract replaces person ids "
            ~ "with keyed hashes, and the key must come from the secure environment (a secret of at least 32 "
            ~ "random bytes). " ~ how_to_make_one ~ "; then `export RESEARCH_PSEUDONYM_KEY=...` from the "
            ~ "secret store and run again. The insecure development key is only used on other targets."
        ) }}
    {%- else -%}
        {{ return("'" ~ research_pseudonym_development_key() ~ "'") }}
    {%- endif -%}
{%- endmacro %}


{#- DuckDB: set as the session variable research_pseudonym_key by the dbt-duckdb plugin
    repeat_offending.dbt_plugins.research_pseudonym_key (profiles.yml). -#}
{% macro default__research_pseudonym_key_variable() -%}
    {{ return(
        "case when getvariable('research_pseudonym_key') is null then error("
        ~ "'RESEARCH_PSEUDONYM_KEY is set but the session variable research_pseudonym_key is not: add the "
        ~ "plugin repeat_offending.dbt_plugins.research_pseudonym_key to the profile') "
        ~ "else getvariable('research_pseudonym_key') end"
    ) }}
{%- endmacro %}

{#- Spark: the SQL session variable research_pseudonym_key, which the Spark runner (package
    repeat_offending.spark) declares and sets from the environment through a bound parameter before dbt
    runs. -#}
{% macro spark__research_pseudonym_key_variable() -%}
    {{ return(
        "case when system.session.research_pseudonym_key is null then raise_error("
        ~ "'RESEARCH_PSEUDONYM_KEY is set but the session variable research_pseudonym_key is not: run dbt "
        ~ "through the Spark runner (repeat_offending.spark), which declares it') "
        ~ "else system.session.research_pseudonym_key end"
    ) }}
{%- endmacro %}


{% macro research_pseudonym_development_key() -%}
    {{ return('insecure-development-key-do-not-use') }}
{%- endmacro %}


{% macro pseudonymous_person_id(person_id) -%}
    {{ hmac_sha256_hex(utf8_bytes(research_pseudonym_key()), person_id) }}
{%- endmacro %}


{% macro year_month(date_expression) -%}
    {{ dbt.concat([
        "cast(extract(year from " ~ date_expression ~ ") as " ~ dbt.type_string() ~ ")",
        "'-'",
        "lpad(cast(extract(month from " ~ date_expression ~ ") as " ~ dbt.type_string() ~ "), 2, '0')"
    ]) }}
{%- endmacro %}

