{#-
    Overrides dbt's built-in: the schema of a model, seed or snapshot is the part of its name before `__`.
    Not prefixed with the target schema (one DuckDB file per target instead). Only this project's nodes:
    an installed package's nodes get dbt's default. Documented in _naming__macros.yml.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if is_package_node(node) -%}
        {{ return(adapter.dispatch('generate_schema_name', 'dbt')(custom_schema_name, node)) }}
    {%- elif follows_cadet_naming(node) -%}
        {%- set schema_name = get_cadet_name_parts(node)[0] -%}
        {%- if custom_schema_name is not none and custom_schema_name | trim != schema_name -%}
            {{ exceptions.raise_compiler_error(
                node.resource_type ~ " '" ~ node.name ~ "' (" ~ node.original_file_path ~ ") is configured with"
                ~ " schema '" ~ custom_schema_name | trim ~ "' but its name puts it in schema '" ~ schema_name
                ~ "'. CaDeT naming: the schema comes from the file name <schema>__<table>; remove the schema"
                ~ " config or rename the file."
            ) }}
        {%- endif -%}
        {{ return(schema_name) }}
    {%- elif custom_schema_name is not none -%}
        {{ return(custom_schema_name | trim) }}
    {%- else -%}
        {{ return(target.schema) }}
    {%- endif -%}
{%- endmacro %}
