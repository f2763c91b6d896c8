"""The release targets' DuckDB settings survive a build that spills (profiles.yml).

dbt-duckdb runs every ``settings`` entry of a profile again on each cursor it opens (one per node), and DuckDB
refuses to set ``temp_directory`` again once the folder holds spilled data ("Cannot switch temporary directory
after the current one has been used"). A build capped at 4 GB failed so at 1 million people. So the spill
folder is a connection option (``config_options``), set once, and the memory limit a setting. The test opens
connections and cursors the way dbt-duckdb does, with the profile's own placement of the two, makes DuckDB
spill under a small memory limit, and opens the next cursor; with ``temp_directory`` among the settings, that
cursor fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from dbt.adapters.duckdb.credentials import DuckDBCredentials
from dbt.adapters.duckdb.environments import Environment

from conftest import PROJECT_ROOT
from repeat_offending.project import MEMORY_LIMIT_DEFAULT, memory_limit

SPILLING_QUERY = "select count(*) from (select range % 1000003 as k, random() as r from range(6000000) order by r)"


def release_output() -> dict[str, Any]:
    profiles = yaml.safe_load((PROJECT_ROOT / "profiles.yml").read_text())
    return profiles["repeat_offending"]["outputs"]["ci"]


def build_like_dbt(settings: dict[str, str], config_options: dict[str, str]) -> None:
    """A connection and two cursors as dbt-duckdb makes them; the first cursor's query spills."""
    credentials = DuckDBCredentials(path=":memory:", settings=settings, config_options=config_options)
    connection = Environment.initialize_db(credentials)
    try:
        first = Environment.initialize_cursor(credentials, connection.cursor())
        first.execute(SPILLING_QUERY).fetchall()
        first.close()
        second = Environment.initialize_cursor(credentials, connection.cursor())
        second.execute("select 1").fetchall()
        second.close()
    finally:
        connection.close()


def test_the_spill_folder_is_set_once_per_connection(tmp_path: Path) -> None:
    output = release_output()
    assert "temp_directory" in output["config_options"] and "temp_directory" not in output["settings"]
    assert "memory_limit" in output["settings"]
    spill = tmp_path / "spill"
    build_like_dbt({"memory_limit": "64MB"}, {"temp_directory": str(spill)})
    # the test can fail: the query did spill, and the same placement as a setting breaks the next cursor
    with pytest.raises(duckdb.Error, match="temporary directory"):
        build_like_dbt({"memory_limit": "64MB", "temp_directory": str(tmp_path / "other")}, {})


def test_memory_limit_defaults_agree() -> None:
    """Every DuckDB database of the build falls back to the one default share of the machine's memory
    (repeat_offending.project.MEMORY_LIMIT_DEFAULT): the profiles' connections, the linkage model's own database
    and the tools' connections (memory_limit())."""
    profiles = yaml.safe_load((PROJECT_ROOT / "profiles.yml").read_text())["repeat_offending"]["outputs"]
    defaults = {
        name: output["settings"]["memory_limit"]
        for name, output in profiles.items()
        if output.get("type") == "duckdb" and "settings" in output
    }
    assert set(defaults) >= {"ci", "local", "prod", "dev", "pr"}
    assert set(defaults.values()) == {f"{{{{ env_var('DUCKDB_MEMORY_LIMIT', '{MEMORY_LIMIT_DEFAULT}') }}}}"}
    linkage = (PROJECT_ROOT / "models" / "linkage" / "_linkage__models.yml").read_text()
    assert f"env_var('LINKAGE_MEMORY_LIMIT', '{MEMORY_LIMIT_DEFAULT}')" in linkage
    assert memory_limit("NO_SUCH_MEMORY_LIMIT_VARIABLE") == MEMORY_LIMIT_DEFAULT
