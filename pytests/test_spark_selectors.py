"""The Spark build's selectors (selectors.yml): dbt runs everything the two linkage Python models read, the
runner writes their tables, then dbt runs the rest. Every SQL model must be in exactly one of the two
selections, and nothing in the first may need the linkage tables."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_project, run_dbt

PYTHON_MODELS = {"linkage__match_edges", "linked__person_links"}


def models(project: Path, *selection: str) -> set[str]:
    result = run_dbt(
        project, "--quiet", "ls", "--resource-type", "model", "--output", "name", "--target", "lint", *selection
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {line.strip() for line in result.stdout.splitlines() if line.strip()}


def test_the_two_selections_split_the_sql_models_around_linkage(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    every = models(project)
    before = models(project, "--selector", "spark_before_linkage")
    after = models(project, "--selector", "spark_after_linkage")
    needs_linkage = models(project, "--select", *(f"{name}+" for name in PYTHON_MODELS))

    assert every >= PYTHON_MODELS
    assert not before & after
    assert before | after == every - PYTHON_MODELS
    assert before >= {"stg_pnc__persons", "audit__raw_contract", "linkage__person_identities"}
    assert not before & needs_linkage
