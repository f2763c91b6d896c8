"""The dbt project as Python sees it: where it is, and the vars of dbt_project.yml (a rule that SQL and
Python both follow is a dbt var, read here, never copied)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The repository root of an editable install (``pip install -e .``), which is how ``make venv`` installs."""


def dbt_var(name: str, project_dir: Path = PROJECT_ROOT) -> Any:
    """The default value of a var in ``dbt_project.yml``; KeyError names the var and the file when absent."""
    path = project_dir / "dbt_project.yml"
    variables = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("vars") or {}
    if name not in variables:
        raise KeyError(f"no var {name!r} in {path}")
    return variables[name]
