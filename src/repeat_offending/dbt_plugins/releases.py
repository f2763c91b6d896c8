"""dbt-duckdb plugin: attach other releases of the warehouse read-only, when they exist.

A release build (``release build``, see ``repeat_offending.release``) writes a new DuckDB file and reads the
release published before it: person ids and their history carry on from it, and so do the snapshots. That
release is attached read-only under the catalog name ``previous``. The ``dev`` target attaches the published
warehouse under its own catalog name ``warehouse``, so that ``--defer`` can resolve what a developer did
not build. Neither may exist (the first build of a folder; a fresh clone): the profile's own ``attach`` list
cannot say "if the file exists", so this plugin does, and attaches nothing for a blank path or a missing file.

Configured in profiles.yml::

    plugins:
      - module: repeat_offending.dbt_plugins.releases
        config:
          attach:
            previous: "{{ env_var('PREVIOUS_RELEASE_DATABASE', '') }}"

Read-only attachment takes a shared lock only, so analysts reading the same file are never in the way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin


def attach_existing(connection: Any, databases: dict[str, str]) -> list[str]:
    """Attach every database file of ``databases`` (catalog name -> path) that exists, read-only, under its
    name, unless that name is attached already; returns the names attached."""
    attached = {row[0] for row in connection.execute("select database_name from duckdb_databases()").fetchall()}
    done = []
    for alias, path in databases.items():
        if not str(path or "").strip() or alias in attached or not Path(path).is_file():
            continue
        escaped_path = str(path).replace("'", "''")
        connection.execute(f"""attach '{escaped_path}' as "{alias}" (read_only)""")
        done.append(alias)
    return done


class Plugin(BasePlugin):
    """Attaches the configured databases on dbt's DuckDB connection (catalogs are shared by its cursors)."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        attach = plugin_config.get("attach") or {}
        if not isinstance(attach, dict):
            raise TypeError("the releases plugin's `attach` must map catalog names to database paths")
        self.databases = {str(alias): str(path or "") for alias, path in attach.items()}

    def configure_connection(self, conn: Any) -> None:
        attach_existing(conn, self.databases)
