{#-
    Overrides dbt's built-in: the relation name of a model, seed or snapshot is the part of its name after
    `__` (with `_v<version>` for a versioned model). Only this project's nodes: an installed package's nodes
    get dbt's default. Documented in _naming__macros.yml.
-#}
{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
    {%- if is_package_node(node) -%}
        {{ return(adapter.dispatch('generate_alias_name', 'dbt')(custom_alias_name, node)) }}
    {%- elif follows_cadet_naming(node) -%}
        {%- set table_name = get_cadet_name_parts(node)[1] -%}
        {%- if custom_alias_name is not none and custom_alias_name | trim != table_name -%}
            {{ exceptions.raise_compiler_error(
                node.resource_type ~ " '" ~ node.name ~ "' (" ~ node.original_file_path ~ ") is configured with"
                ~ " alias '" ~ custom_alias_name | trim ~ "' but its name makes it table '" ~ table_name
                ~ "'. CaDeT naming: the table comes from the file name <schema>__<table>; remove the alias"
                ~ " config or rename the file."
            ) }}
        {%- endif -%}
        {%- if node.version -%}
            {{ return(table_name ~ "_v" ~ (node.version | replace(".", "_"))) }}
        {%- endif -%}
        {{ return(table_name) }}
    {%- elif custom_alias_name is not none -%}
        {{ return(custom_alias_name | trim) }}
    {%- elif node is not none and node.version -%}
        {{ return(node.name ~ "_v" ~ (node.version | replace(".", "_"))) }}
    {%- else -%}
        {{ return(node.name) }}
    {%- endif -%}
{%- endmacro %}
