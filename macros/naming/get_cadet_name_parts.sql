{#-
    CaDeT naming: a model, seed or snapshot is named `<schema>__<table>`, with `__` exactly once and two
    non-empty parts that neither start nor end with `_`. Returns [schema, table] or raises a compiler error
    that names the offending node. Documented in _naming__macros.yml.
-#}
{% macro get_cadet_name_parts(node) -%}
    {%- set name = node.name -%}
    {%- set where = node.resource_type ~ " '" ~ name ~ "' (" ~ node.original_file_path ~ ")" -%}
    {%- set rule = "CaDeT naming: files are named <schema>__<table> with '__' exactly once, e.g. stg_pnc__persons builds stg_pnc.persons" -%}
    {%- set separators = name.count('__') -%}
    {%- if separators != 1 -%}
        {{ exceptions.raise_compiler_error(
            where ~ " has " ~ separators ~ " '__' separators, expected exactly one. " ~ rule
        ) }}
    {%- endif -%}
    {%- set parts = name.split('__') -%}
    {%- for part in parts -%}
        {%- if part == '' or part.startswith('_') or part.endswith('_') -%}
            {{ exceptions.raise_compiler_error(
                where ~ " has an empty or '_'-padded part '" ~ part ~ "' around '__'. " ~ rule
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}


{#- Which nodes follow the naming rule: this project's models, seeds and snapshots (the resources that build a
    relation from their file name), never an installed package's. -#}
{% macro follows_cadet_naming(node) -%}
    {{ return(
        node is not none
        and not is_package_node(node)
        and node.resource_type in ['model', 'seed', 'snapshot']
    ) }}
{%- endmacro %}


{#- Whether a node belongs to an installed package (dbt_packages/, a `local:` package, ...) rather than to this
    project: such nodes keep dbt's default schema and alias. -#}
{% macro is_package_node(node) -%}
    {{ return(node is not none and node.package_name is defined and node.package_name != project_name) }}
{%- endmacro %}
