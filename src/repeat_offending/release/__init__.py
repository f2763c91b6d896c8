"""Releases of the warehouse: write, audit, publish (README "Releases", docs/methodology.md section 10).

Every build writes a new DuckDB file ``DATA_DIR/releases/<release id>.duckdb``, runs every test there,
writes its research export, data-quality report and docs into ``DATA_DIR/releases/<release id>/``, and only
then publishes it: the link ``DATA_DIR/warehouse.duckdb`` is replaced by one pointing at the new file, with
one atomic rename. Analysts always open ``DATA_DIR/warehouse.duckdb``; a failed or killed build publishes
nothing. ``DATA_DIR/releases/releases.jsonl`` records every build (the ledger, append only).

Modules: ``layout`` (where things are, release ids), ``lock`` (one build per DATA_DIR), ``ledger`` (the build
record), ``publish`` (the link, rollback, retention), ``build`` (the steps of a build), ``cli`` (the
``release`` command).
"""
