{#-
    The natural logarithm of a double, with the same last bit on every engine. Documented in
    _derived__macros.yml.
-#}

{% macro natural_log(expression) -%}
    {{ return(adapter.dispatch('natural_log', 'repeat_offending')(expression)) }}
{%- endmacro %}

{% macro default__natural_log(expression) -%}
    ln({{ expression }})
{%- endmacro %}

{% macro spark__natural_log(expression) -%}
    {#- Spark's ln is java.lang.StrictMath.log (fdlibm), which differs from the C library's log that DuckDB
        uses in the last bit of about 1 value in 20; java.lang.Math.log agrees with it. java_method returns
        the value as text (Java's shortest round-trip form), read back exactly. -#}
    case
        when {{ expression }} is not null
            then cast(java_method('java.lang.Math', 'log', cast({{ expression }} as double)) as double)
    end
{%- endmacro %}
