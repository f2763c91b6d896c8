"""Governance of the outputs, checked on the manifest of a parse of the project (in a temporary copy):

- no column of a publication or research model is marked personal data (`meta.contains_pii`);
- no research model has a column named like a personal-data column of any model or source upstream of it,
  nor an identifier or a date column: what replaces them is documented in the model's
  `meta.personal_data_substitutes`, whose substitutes are real columns of the model;
- publication tables have no record-level identifier;
- the exposures of the outputs depend on every public publication and research model;
- and, on the small built world, the descriptions reach DuckDB's comments (persist_docs).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import copy_project, run_dbt
from repeat_offending.project import node_meta

IDENTIFIER_COLUMNS = frozenset(
    {
        "person_id",
        "record_id",
        "source_record_id",
        "cohort_record_id",
        "index_event_id",
        "pnc_id",
        "crn",
        "prison_number",
        "case_id",
        "defendant_id",
        "case_offence_id",
        "spell_id",
        "event_id",
        "assessment_id",
        "offence_record_id",
        "arrest_summons_number",
        "proven_offence_id",
        "court_disposal_id",
        "custody_release_id",
        "conviction_occasion_id",
        "forename",
        "surname",
        "middle_name",
        "date_of_birth",
        "postcode",
    }
)
"""Direct identifiers by name (source-system and linkage ids, and the person's own details)."""


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    project = copy_project(tmp_path_factory.mktemp("governance") / "project")
    result = run_dbt(project, "parse", "--no-partial-parse", "--target", "ci")
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((project / "target" / "manifest.json").read_text())


def output_models(manifest: dict[str, Any], folder: str) -> list[dict[str, Any]]:
    models = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["original_file_path"].startswith(f"models/{folder}/")
    ]
    assert models, f"no model in models/{folder}/"
    return models


def is_pii(column: dict[str, Any]) -> bool:
    return bool(node_meta(column).get("contains_pii"))


def upstream_pii_columns(manifest: dict[str, Any], unique_id: str) -> dict[str, set[str]]:
    """Every column marked contains_pii in a model, seed, snapshot or source upstream of the node, by name."""
    nodes = {**manifest["nodes"], **manifest["sources"]}
    found: dict[str, set[str]] = {}
    seen: set[str] = set()
    stack = list(manifest["nodes"][unique_id]["depends_on"]["nodes"])
    while stack:
        parent = stack.pop()
        if parent in seen or parent not in nodes:
            continue
        seen.add(parent)
        node = nodes[parent]
        for name, column in (node.get("columns") or {}).items():
            if is_pii(column):
                found.setdefault(name, set()).add(parent)
        stack.extend((node.get("depends_on") or {}).get("nodes", []))
    return found


@pytest.mark.parametrize("folder", ["publication", "research"])
def test_no_output_column_is_marked_personal(manifest: dict[str, Any], folder: str) -> None:
    marked = [
        f"{node['name']}.{name}"
        for node in output_models(manifest, folder)
        for name, column in node["columns"].items()
        if is_pii(column)
    ]
    assert not marked, f"columns marked contains_pii in models/{folder}/: {marked}"
    for node in output_models(manifest, folder):
        assert node["config"]["meta"].get("contains_pii") is False, f"{node['name']}: meta.contains_pii not false"


def test_research_models_carry_no_personal_data_column_of_their_inputs(manifest: dict[str, Any]) -> None:
    for node in output_models(manifest, "research"):
        columns = set(node["columns"])
        upstream = upstream_pii_columns(manifest, node["unique_id"])
        if node["config"]["meta"].get("record_level") is False:
            # facts of the extract (research.extract_metadata): no column of personal data, no identifier
            assert not columns & (set(upstream) | IDENTIFIER_COLUMNS), f"{node['name']}: {columns & set(upstream)}"
            continue
        assert "date_of_birth" in upstream and "postcode" in upstream, f"{node['name']}: upstream PII not found"
        substitutes = node["config"]["meta"].get("personal_data_substitutes") or {}
        # a personal-data column of an input may appear only as its own documented substitute (`sex: sex`: the
        # standardised sex of the linked person, where the raw records' sex is identity data)
        kept = {name for name, substitute in substitutes.items() if name in re.findall(r"[a-z_]+", substitute)}
        leaked = sorted(columns & set(upstream) - kept)
        assert not leaked, f"{node['name']} has personal-data columns of its inputs: {leaked}"
        identifiers = sorted(columns & IDENTIFIER_COLUMNS)
        assert not identifiers, f"{node['name']} has identifier columns: {identifiers}"
        dates = sorted(name for name, column in node["columns"].items() if column.get("data_type") == "date")
        assert not dates, f"{node['name']} has date columns (months instead): {dates}"
        assert {"person_id", "date_of_birth", "postcode"} <= set(substitutes), f"{node['name']}: substitutes"
        for replaced, substitute in substitutes.items():
            assert replaced in upstream or replaced in ("person_id", "dates"), f"{node['name']}: {replaced}?"
            if replaced != "dates" and substitute.strip() != "none":
                named = set(re.findall(r"[a-z_]+", substitute))
                assert named and named <= columns, f"{node['name']}: substitute {substitute} is not its columns"


def test_publication_tables_are_aggregates(manifest: dict[str, Any]) -> None:
    for node in output_models(manifest, "publication"):
        identifiers = sorted(set(node["columns"]) & (IDENTIFIER_COLUMNS | {"pseudonymous_person_id"}))
        assert not identifiers, f"{node['name']} has record-level identifiers: {identifiers}"
        assert node["config"]["contract"]["enforced"], f"{node['name']}: contract not enforced"


def test_output_exposures_cover_every_output_model(manifest: dict[str, Any]) -> None:
    exposures = {exposure["name"]: exposure for exposure in manifest["exposures"].values()}
    for exposure_name, folder in (
        ("published_reoffending_statistics", "publication"),
        ("research_extract", "research"),
    ):
        exposure = exposures[exposure_name]
        assert exposure["owner"]["email"], exposure_name
        # the public models: the publication tables, not the protected cell sets they select from
        expected = {node["unique_id"] for node in output_models(manifest, folder) if node["access"] == "public"}
        assert set(exposure["depends_on"]["nodes"]) == expected, exposure_name


def test_descriptions_reach_the_warehouse(built_world: Path) -> None:
    """persist_docs: the tables and columns of the outputs carry their descriptions as DuckDB comments."""
    con = duckdb.connect(str(built_world / "warehouse.duckdb"), read_only=True)
    missing = con.execute("""
        select schema_name || '.' || table_name || '.' || column_name
        from duckdb_columns()
        where schema_name in ('publication', 'research') and (comment is null or comment = '')
    """).fetchall()
    tables = con.execute("""
        select count(*), count(comment)
        from duckdb_tables()
        where schema_name in ('publication', 'research')
    """).fetchone()
    con.close()
    assert tables[0] >= 11 and tables[0] == tables[1], tables
    assert not missing, f"columns without a comment: {missing[:10]}"
