{#-
    The most-frequent-offence-group rule, once. Documented in _derived__macros.yml.
-#}

{% macro offence_group_rank(partition_by, offences='offences', last_offence_date='last_offence_date') -%}
    row_number() over (
        partition by {{ partition_by }}
        order by {{ offences }} desc, {{ last_offence_date }} desc, offence_group_code asc
    )
{%- endmacro %}
