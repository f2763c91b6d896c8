{#-
    The materialization of a view whose SQL is long (the validation views of staging, thousands of
    characters expanded from macros). Documented in _utils__macros.yml.
-#}
{% macro long_view_materialization() -%}
    {{ return(adapter.dispatch('long_view_materialization', 'repeat_offending')()) }}
{%- endmacro %}

{% macro default__long_view_materialization() -%}
    {{ return('view') }}
{%- endmacro %}

{% macro spark__long_view_materialization() -%}
    {#- Spark's Hive metastore keeps a view's SQL in a column of at most 32,700 characters (Derby's LONG
        VARCHAR), which the validation views exceed: a table instead. -#}
    {{ return('table') }}
{%- endmacro %}
