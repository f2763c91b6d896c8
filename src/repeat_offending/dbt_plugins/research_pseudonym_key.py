"""dbt-duckdb plugin: hands the research pseudonymisation key to DuckDB without writing it into any SQL.

The research extract replaces person ids with a keyed hash (HMAC-SHA256, ``macros/research/``). The key is a
secret of the secure environment: it must never reach the repository, a compiled SQL file, ``target/``
(manifest, run results, docs) or dbt's logs, all of which hold the SQL dbt runs. So the key is not rendered
into SQL at all: on every DuckDB connection and cursor dbt opens, this plugin reads the environment variable
``RESEARCH_PSEUDONYM_KEY`` and sets it as the session variable ``research_pseudonym_key`` through a bound
parameter, and the SQL reads it with ``getvariable('research_pseudonym_key')``.

When the variable is unset or blank nothing is set, and the ``research_pseudonym_key()`` macro decides: the
documented insecure development key on the dev and ci targets, a compilation error on ``prod``.

Enabled in profiles.yml for every target::

    plugins:
      - module: repeat_offending.dbt_plugins.research_pseudonym_key
"""

from __future__ import annotations

import os
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

ENVIRONMENT_VARIABLE = "RESEARCH_PSEUDONYM_KEY"
"""The environment variable holding the key."""

SESSION_VARIABLE = "research_pseudonym_key"
"""The DuckDB session variable the key is put in (read by ``getvariable``)."""


def pseudonym_key() -> str | None:
    """The key from the environment, or None when the variable is unset or blank."""
    key = os.environ.get(ENVIRONMENT_VARIABLE, "")
    return key if key.strip() else None


def set_pseudonym_key(connection: Any) -> None:
    """Set the session variable on a DuckDB connection or cursor, when the key is in the environment."""
    key = pseudonym_key()
    if key is not None:
        connection.execute(f"set variable {SESSION_VARIABLE} = ?", [key])


class Plugin(BasePlugin):
    """Sets ``research_pseudonym_key`` on dbt's DuckDB connection and on each cursor made from it (DuckDB
    session variables are not shared between cursors)."""

    def configure_connection(self, conn: Any) -> None:
        set_pseudonym_key(conn)

    def configure_cursor(self, cursor: Any) -> None:
        set_pseudonym_key(cursor)
