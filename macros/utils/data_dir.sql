{#-
    The absolute path of the data folder (raw extracts under raw/, one DuckDB file per target).
    Documented in _utils__macros.yml.
-#}
{% macro data_dir() -%}
    {%- set configured = env_var('DATA_DIR', '') | trim -%}
    {%- if configured == '' -%}
        {%- set configured = 'data' -%}
    {%- endif -%}
    {%- if configured.startswith('/') or modules.re.match('^[A-Za-z]:[/\\\\]', configured) -%}
        {%- set path = configured -%}
    {%- else -%}
        {#- Relative: resolved against the project directory, which dbt makes absolute unless
            --project-dir was given as a relative path. -#}
        {%- set project_dir = (invocation_args_dict.get('project_dir') or '.') | string -%}
        {%- set path = project_dir.rstrip('/') ~ '/' ~ (configured[2:] if configured.startswith('./') else configured) -%}
    {%- endif -%}
    {{ return(path.rstrip('/') if path != '/' else path) }}
{%- endmacro %}
