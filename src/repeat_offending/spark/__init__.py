"""The project on Spark: the session, its functions, the build runner and the comparison with DuckDB."""
