"""The dbt project as Python sees it: where it is, and the vars of dbt_project.yml (a rule that SQL and
Python both follow is a dbt var, read here, never copied)."""

from __future__ import annotations

import csv
import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The repository root of an editable install (``pip install -e .``), which is how ``make venv`` installs."""

MEMORY_LIMIT_DEFAULT = "25%"
"""DuckDB's memory limit when DUCKDB_MEMORY_LIMIT (the warehouse's connection, the tools') or LINKAGE_MEMORY_LIMIT
(the linkage model's own database) is unset: a share of the machine's memory (DuckDB reads a percentage
against the machine's, or the container's, memory). Two databases live in the dbt process while the linkage
model runs, so a quarter each aims at a peak of a third of the machine, 8 GiB on the 24 GiB reference machine:
6.8 GiB for the 1M-person build; not yet at 10 million people, where Python's share (clustering) comes on top
(README "Performance"). Beyond it DuckDB spills to disk beside the release. profiles.yml
and models/linkage/_linkage__models.yml hold the same default (pytests/test_duckdb_profile.py checks it)."""


def memory_limit(variable: str = "DUCKDB_MEMORY_LIMIT") -> str:
    """DuckDB's memory limit for a tool's connection: the environment's, else MEMORY_LIMIT_DEFAULT."""
    return os.environ.get(variable) or MEMORY_LIMIT_DEFAULT


def dbt_var(name: str, project_dir: Path = PROJECT_ROOT) -> Any:
    """The default value of a var in ``dbt_project.yml``; KeyError names the var and the file when absent."""
    path = project_dir / "dbt_project.yml"
    variables = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("vars") or {}
    if name not in variables:
        raise KeyError(f"no var {name!r} in {path}")
    return variables[name]


def node_meta(node: dict[str, Any]) -> dict[str, Any]:
    """The meta of a manifest node or column: ``meta`` with ``config.meta`` over it (dbt 1.10+ writes both)."""
    return {**(node.get("meta") or {}), **((node.get("config") or {}).get("meta") or {})}


@dataclass(frozen=True)
class Layer:
    """One layer of the project (var ``layers``): its name, folder and the schemas its nodes build."""

    name: str
    folder: str
    schemas: tuple[str, ...]

    def holds(self, schema: str) -> bool:
        """Whether a schema (``stg_pnc``, ``derived_int``, ...) belongs to this layer."""
        return any(fnmatch.fnmatchcase(schema.lower(), pattern) for pattern in self.schemas)


def layers(project_dir: Path = PROJECT_ROOT) -> list[Layer]:
    """The project's layers in the order data flows, from the var ``layers`` of ``dbt_project.yml``."""
    return [
        Layer(name=entry["name"], folder=entry["folder"], schemas=tuple(entry["schemas"]))
        for entry in dbt_var("layers", project_dir)
    ]


def assessment_need_columns(project_dir: Path = PROJECT_ROOT) -> list[str]:
    """The need columns of the offender assessment in OASys section order: the seed
    ``reference__assessment_needs.csv``, as the SQL macro ``assessment_need_columns`` reads it."""
    path = project_dir / "seeds" / "reference" / "reference__assessment_needs.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise ValueError(f"no need in {path}")
    return [row["need_column"] for row in sorted(rows, key=lambda row: int(row["oasys_section"]))]
