"""The Python distributions: the runtime `repeat-offending` (what dbt imports: linkage, dbt plugins, releases)
never imports the tools distribution `repeat-offending-tools` nor the tools' own libraries, and every command
tools/pyproject.toml declares resolves to a function."""

from __future__ import annotations

import ast
import importlib
import tomllib

from conftest import PROJECT_ROOT

RUNTIME = PROJECT_ROOT / "src" / "repeat_offending"
TOOLS_ONLY = {"repeat_offending_tools", "sklearn", "jinja2", "leather"}


def _imported(path: str) -> set[str]:
    tree = ast.parse((RUNTIME / path).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_runtime_imports_nothing_of_the_tools() -> None:
    found = {
        str(path.relative_to(RUNTIME)): sorted(_imported(str(path.relative_to(RUNTIME))) & TOOLS_ONLY)
        for path in RUNTIME.rglob("*.py")
    }
    assert not {path: names for path, names in found.items() if names}


def test_every_tools_command_is_a_function() -> None:
    project = tomllib.loads((PROJECT_ROOT / "tools" / "pyproject.toml").read_text(encoding="utf-8"))
    scripts = project["project"]["scripts"]
    assert {"evaluate-linkage", "export-research", "quality-report", "sweep"} <= set(scripts)
    for command, target in scripts.items():
        module, function = target.split(":")
        assert callable(getattr(importlib.import_module(module), function)), command
