{#- Documented in _disclosure__macros.yml. -#}
{% test has_suppression_marker(model, column_name, marker) %}

select
    {{ column_name }},
    {{ marker }}
from {{ model }}
where
    ({{ column_name }} is null) != ({{ marker }} is not null)
    or {{ marker }} != {{ sql_string(sdc_marker_symbol()) }}

{% endtest %}
