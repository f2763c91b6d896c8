"""dbt-duckdb plugins of the project (listed under ``plugins:`` in profiles.yml)."""
