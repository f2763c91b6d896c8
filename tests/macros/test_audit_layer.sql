-- audit_layer: the schema family of a schema, from var `layers` (dbt_project.yml).
-- Returns the cases whose result differs from the expected value; passes when empty.
with

cases (schema_name, expected, actual) as (
    values
    {%- set cases = [
        ('reference', 'reference'), ('staging_checks', 'staging_checks'), ('stg_pnc', 'staging'),
        ('STG_courts', 'staging'), ('linkage', 'linkage'), ('linked', 'linked'),
        ('linked_checks', 'linked_checks'), ('snapshots', 'snapshots'), ('derived', 'derived'),
        ('derived_int', 'derived_int'), ('publication', 'publication'),
        ('publication_int', 'publication_int'), ('research', 'research'), ('audit', 'audit'),
        ('main', 'other'), ('stg', 'other'), ('staging', 'other'),
    ] %}
    {%- for schema_name, expected in cases %}
        ('{{ schema_name }}', '{{ expected }}', '{{ repeat_offending.audit_layer(schema_name) }}')
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
)

select *
from cases
where actual != expected
