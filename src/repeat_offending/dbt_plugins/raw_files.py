"""dbt-duckdb plugin: a SQL function that says whether a Parquet file can be read, without failing.

The raw contract check (``models/audit/audit__raw_contract.sql``) must report a truncated or corrupt raw file
as one finding and go on checking the other files. DuckDB's own Parquet functions (``parquet_schema``,
``parquet_file_metadata``) raise an error on such a file, and dbt's Jinja cannot catch an error, so this
plugin gives every DuckDB connection and cursor dbt opens the scalar function::

    parquet_file_problem(path VARCHAR) -> VARCHAR

It reads only the file's footer (``pyarrow.parquet.read_metadata``) and returns null when the footer can be
read, otherwise a fixed description of the problem. It never returns the error's own text, so no byte of the
file's content can reach a log.

Enabled in profiles.yml for every target::

    plugins:
      - module: repeat_offending.dbt_plugins.raw_files
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow.parquet as pq
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb.sqltypes import VARCHAR

FUNCTION_NAME = "parquet_file_problem"
"""The SQL function's name."""

MAGIC = b"PAR1"
"""A Parquet file starts and ends with these bytes."""

EMPTY_FILE = "an empty file (0 bytes)"
NOT_A_FILE = "not a regular file"
NO_FOOTER = "no Parquet footer (the file is truncated or is not Parquet)"
BAD_FOOTER = "a Parquet footer that cannot be read (the file is corrupt)"


def parquet_file_problem(path: str | None) -> str | None:
    """Null when ``path`` is a Parquet file whose footer can be read; otherwise what is wrong with it."""
    if path is None:
        return None
    if not os.path.isfile(path):
        return NOT_A_FILE
    size = os.path.getsize(path)
    if size == 0:
        return EMPTY_FILE
    with open(path, "rb") as handle:
        head = handle.read(len(MAGIC))
        handle.seek(max(size - len(MAGIC), 0))
        tail = handle.read(len(MAGIC))
    if size < 3 * len(MAGIC) or head != MAGIC or tail != MAGIC:
        return NO_FOOTER
    try:
        pq.read_metadata(path)
    except Exception:  # any failure to parse the footer; its message is deliberately not kept
        return BAD_FOOTER
    return None


def register(connection: Any) -> None:
    """Create the function on a DuckDB connection or cursor, unless it already sees it (cursors share the
    functions of the connection they were made from)."""
    registered = connection.execute(
        "select count(*) from duckdb_functions() where function_name = ?", [FUNCTION_NAME]
    ).fetchall()
    if registered[0][0]:
        return
    connection.create_function(
        FUNCTION_NAME, parquet_file_problem, [VARCHAR], VARCHAR, null_handling="special", side_effects=True
    )


class Plugin(BasePlugin):
    """Registers ``parquet_file_problem`` on dbt's DuckDB connection and on each cursor made from it."""

    def configure_connection(self, conn: Any) -> None:
        register(conn)

    def configure_cursor(self, cursor: Any) -> None:
        register(cursor)
