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
        {#- Set as the session variable research_pseudonym_key by the dbt-duckdb plugin
            repeat_offending.dbt_plugins.research_pseudonym_key (profiles.yml). -#}
        {{ return(
            "case when getvariable('research_pseudonym_key') is null then error("
            ~ "'RESEARCH_PSEUDONYM_KEY is set but the session variable research_pseudonym_key is not: add the "
            ~ "plugin repeat_offending.dbt_plugins.research_pseudonym_key to the profile') "
            ~ "else getvariable('research_pseudonym_key') end"
        ) }}
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


{% macro research_pseudonym_development_key() -%}
    {{ return('insecure-development-key-do-not-use') }}
{%- endmacro %}


{% macro pseudonymous_person_id(person_id) -%}
    {{ hmac_sha256_hex('encode(' ~ research_pseudonym_key() ~ ')', person_id) }}
{%- endmacro %}


{% macro year_month(date_expression) -%}
    {{ dbt.concat([
        "cast(extract(year from " ~ date_expression ~ ") as varchar)",
        "'-'",
        "lpad(cast(extract(month from " ~ date_expression ~ ") as varchar), 2, '0')"
    ]) }}
{%- endmacro %}

