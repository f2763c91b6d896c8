"""scripts/check_project_rules.py: each adopted dbt-project-evaluator rule on small hand-made manifests, the
exceptions file, and the real project's manifest."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PROJECT_ROOT, copy_project, run_dbt

_SPEC = importlib.util.spec_from_file_location(
    "check_project_rules", PROJECT_ROOT / "scripts" / "check_project_rules.py"
)
assert _SPEC is not None and _SPEC.loader is not None
rules = importlib.util.module_from_spec(_SPEC)
sys.modules["check_project_rules"] = rules
_SPEC.loader.exec_module(rules)


# --- a small manifest that follows every rule ----------------------------------------------------------


def node(resource_type: str, name: str, path: str, **extra: Any) -> dict[str, Any]:
    return {
        "unique_id": f"{resource_type}.p.{name}",
        "resource_type": resource_type,
        "package_name": "p",
        "name": name,
        "original_file_path": path,
        "description": f"The {name}. Primary key: id.",
        "columns": {"id": {"name": "id", "description": "The key.", "constraints": []}},
        "config": {"contract": {"enforced": False}},
        "constraints": [],
        "access": "protected",
        "depends_on": {"nodes": []},
        **extra,
    }


def generic_test(name: str, attached: str, test: str, column: str | None = "id") -> dict[str, Any]:
    return {
        "unique_id": f"test.p.{name}",
        "resource_type": "test",
        "package_name": "p",
        "name": name,
        "original_file_path": "models/x.yml",
        "attached_node": attached,
        "column_name": column,
        "test_metadata": {"name": test, "kwargs": {"column_name": column}},
        "depends_on": {"nodes": [attached]},
    }


def pk_tests(unique_id: str) -> dict[str, dict[str, Any]]:
    short = unique_id.split(".")[-1]
    return {
        f"test.p.unique_{short}": generic_test(f"unique_{short}", unique_id, "unique"),
        f"test.p.not_null_{short}": generic_test(f"not_null_{short}", unique_id, "not_null"),
    }


def good_manifest() -> dict[str, Any]:
    staged = node(
        "model",
        "stg_pnc__persons",
        "models/staging/pnc/stg_pnc__persons.sql",
        depends_on={"nodes": ["source.p.pnc.persons"]},
    )
    checks = node("model", "staging_checks__pnc_persons", "models/staging/pnc/staging_checks__pnc_persons.sql")
    linked = node("model", "linked__persons", "models/linked/linked__persons.sql")
    public = node(
        "model",
        "derived__histories",
        "models/derived/derived__histories.sql",
        access="public",
        config={"contract": {"enforced": True}},
        depends_on={"nodes": ["model.p.linked__persons"]},
    )
    seed = node("seed", "reference__codes", "seeds/reference/reference__codes.csv")
    snapshot = node("snapshot", "snapshots__identities", "snapshots/_snapshots__snapshots.yml")
    nodes = {n["unique_id"]: n for n in (staged, checks, linked, public, seed, snapshot)}
    for unique_id in ("model.p.stg_pnc__persons", "model.p.staging_checks__pnc_persons", "model.p.linked__persons"):
        nodes.update(pk_tests(unique_id))
    nodes["test.p.combination"] = generic_test(
        "combination", "model.p.derived__histories", "unique_combination_of_columns", column=None
    )
    return {
        "metadata": {"project_name": "p"},
        "nodes": nodes,
        "sources": {
            "source.p.pnc.persons": {
                "unique_id": "source.p.pnc.persons",
                "resource_type": "source",
                "package_name": "p",
                "name": "persons",
                "source_name": "pnc",
                "source_description": "The PNC extract.",
                "description": "People on the PNC.",
                "columns": {"pnc_id": {"name": "pnc_id", "description": "PNC id."}},
            }
        },
        "exposures": {
            "exposure.p.dashboard": {
                "unique_id": "exposure.p.dashboard",
                "name": "dashboard",
                "description": "A dashboard.",
                "depends_on": {"nodes": ["model.p.derived__histories"]},
            }
        },
        "macros": {
            "macro.p.clean": {
                "unique_id": "macro.p.clean",
                "name": "clean",
                "package_name": "p",
                "description": "Cleans.",
                "arguments": [{"name": "column", "description": "The column."}],
            },
            "macro.p.default__clean": {
                "unique_id": "macro.p.default__clean",
                "name": "default__clean",
                "package_name": "p",
                "description": "Portable implementation of clean.",
                "arguments": [{"name": "column", "description": ""}],
            },
            "macro.dbt.other": {
                "unique_id": "macro.dbt.other",
                "name": "other",
                "package_name": "dbt",
                "description": "",
                "arguments": [],
            },
        },
    }


def violations(manifest: dict[str, Any], **kwargs: Any) -> set[tuple[str, str]]:
    report = rules.check_manifest(manifest, **kwargs)
    return {(v.rule, v.node) for v in report.violations}


def test_a_manifest_following_every_rule_passes() -> None:
    report = rules.check_manifest(good_manifest())
    assert report.ok, rules.format_report(report, Path("manifest.json"))
    assert all(summary.checked > 0 for summary in report.summaries.values())


# --- documentation coverage ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "node_id"),
    [
        (("nodes", "model.p.linked__persons", "description"), "model.p.linked__persons"),
        (("nodes", "model.p.linked__persons", "columns", "id", "description"), "model.p.linked__persons"),
        (("nodes", "seed.p.reference__codes", "description"), "seed.p.reference__codes"),
        (("nodes", "snapshot.p.snapshots__identities", "description"), "snapshot.p.snapshots__identities"),
        (("sources", "source.p.pnc.persons", "description"), "source.p.pnc.persons"),
        (("sources", "source.p.pnc.persons", "columns", "pnc_id", "description"), "source.p.pnc.persons"),
        (("sources", "source.p.pnc.persons", "source_description"), "source pnc"),
        (("exposures", "exposure.p.dashboard", "description"), "exposure.p.dashboard"),
        (("macros", "macro.p.clean", "description"), "macro.p.clean"),
    ],
)
def test_documentation_coverage_catches_a_missing_description(path: tuple[str, ...], node_id: str) -> None:
    manifest = good_manifest()
    target = manifest
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = "  "
    assert violations(manifest) == {("documentation_coverage", node_id)}


def test_documentation_coverage_checks_macro_arguments_but_not_adapter_implementations() -> None:
    manifest = good_manifest()
    manifest["macros"]["macro.p.clean"]["arguments"][0]["description"] = ""
    assert violations(manifest) == {("documentation_coverage", "macro.p.clean")}
    manifest = good_manifest()  # default__clean's undocumented argument is documented on clean
    assert violations(manifest) == set()


def test_documentation_coverage_with_a_catalog_checks_the_warehouse_columns() -> None:
    catalog = {"nodes": {"model.p.linked__persons": {"columns": {"id": {}, "undocumented": {}}}}}
    report = rules.check_manifest(good_manifest(), catalog=catalog)
    assert [(v.node, v.message) for v in report.violations] == [
        ("model.p.linked__persons", "column undocumented (in the warehouse) is not documented")
    ]


# --- primary keys --------------------------------------------------------------------------------------


def test_primary_key_rule_catches_a_model_without_a_key_test() -> None:
    manifest = good_manifest()
    del manifest["nodes"]["test.p.not_null_linked__persons"]  # unique alone is not a primary-key test
    assert violations(manifest) == {("primary_key_test", "model.p.linked__persons")}


def test_primary_key_rule_needs_unique_and_not_null_on_the_same_column() -> None:
    manifest = good_manifest()
    manifest["nodes"]["test.p.not_null_linked__persons"] = generic_test(
        "not_null_linked__persons", "model.p.linked__persons", "not_null", column="other"
    )
    assert violations(manifest) == {("primary_key_test", "model.p.linked__persons")}


def test_primary_key_rule_accepts_a_primary_key_constraint_of_an_enforced_contract() -> None:
    manifest = good_manifest()
    del manifest["nodes"]["test.p.combination"]
    assert violations(manifest) == {("primary_key_test", "model.p.derived__histories")}
    manifest["nodes"]["model.p.derived__histories"]["columns"]["id"]["constraints"] = [{"type": "primary_key"}]
    assert violations(manifest) == set()
    manifest["nodes"]["model.p.derived__histories"]["config"]["contract"]["enforced"] = False
    assert ("primary_key_test", "model.p.derived__histories") in violations(manifest)


# --- sources, contracts, exposures ---------------------------------------------------------------------


def test_sources_may_only_be_read_in_staging() -> None:
    manifest = good_manifest()
    manifest["nodes"]["model.p.linked__persons"]["depends_on"]["nodes"].append("source.p.pnc.persons")
    assert violations(manifest) == {("sources_only_in_staging", "model.p.linked__persons")}


def test_public_models_need_an_enforced_contract() -> None:
    manifest = good_manifest()
    manifest["nodes"]["model.p.derived__histories"]["config"]["contract"]["enforced"] = False
    assert violations(manifest) == {("public_model_contract", "model.p.derived__histories")}


@pytest.mark.parametrize("parent", ["model.p.linked__persons", "source.p.pnc.persons", "seed.p.reference__codes"])
def test_exposures_depend_only_on_public_models(parent: str) -> None:
    manifest = good_manifest()
    manifest["exposures"]["exposure.p.dashboard"]["depends_on"]["nodes"].append(parent)
    assert violations(manifest) == {("exposure_public_dependencies", "exposure.p.dashboard")}


# --- naming --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource_type", "name", "path"),
    [
        ("model", "stg_courts__persons", "models/staging/pnc/stg_courts__persons.sql"),
        ("model", "staging_checks__courts_persons", "models/staging/pnc/staging_checks__courts_persons.sql"),
        ("model", "stg_pnc__persons", "models/staging/stg_pnc__persons.sql"),
        ("model", "derived__persons", "models/linked/derived__persons.sql"),
        ("model", "linked__histories", "models/derived/linked__histories.sql"),
        ("model", "audit_checks__x", "models/audit/audit_checks__x.sql"),
        ("model", "research__extract", "models/publication/research__extract.sql"),
        ("model", "marts__x", "models/marts/marts__x.sql"),
        ("model", "no_separator", "models/linked/no_separator.sql"),
        ("seed", "lookup__codes", "seeds/reference/lookup__codes.csv"),
        ("snapshot", "history__identities", "snapshots/_snapshots__snapshots.yml"),
    ],
)
def test_names_must_match_their_folders(resource_type: str, name: str, path: str) -> None:
    manifest = good_manifest()
    bad = node(resource_type, name, path)
    manifest["nodes"][bad["unique_id"]] = bad
    manifest["nodes"].update(pk_tests(bad["unique_id"]))
    assert violations(manifest) == {("naming_matches_folder", bad["unique_id"])}


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("linkage__edges", "models/linked/linkage__edges.sql"),
        ("linked_checks__events", "models/linked/linked_checks__events.sql"),
        ("derived_int__index_events", "models/derived/derived_int__index_events.sql"),
        ("audit__quarantine", "models/audit/audit__quarantine.sql"),
        ("publication__tables", "models/publication/publication__tables.sql"),
        ("publication_int__cells", "models/publication/intermediate/publication_int__cells.sql"),
        ("research__extract", "models/research/research__extract.sql"),
    ],
)
def test_names_matching_their_folders_pass(name: str, path: str) -> None:
    manifest = good_manifest()
    good = node("model", name, path)
    manifest["nodes"][good["unique_id"]] = good
    manifest["nodes"].update(pk_tests(good["unique_id"]))
    assert violations(manifest) == set()


# --- exceptions ----------------------------------------------------------------------------------------


def write_exceptions(tmp_path: Path, entries: list[dict[str, Any]]) -> Path:
    path = tmp_path / "project_rules_exceptions.yml"
    path.write_text(yaml.safe_dump({"exceptions": entries}))
    return path


def broken_manifest() -> dict[str, Any]:
    manifest = good_manifest()
    manifest["nodes"]["model.p.derived__histories"]["config"]["contract"]["enforced"] = False
    return manifest


@pytest.mark.parametrize("node_ref", ["model.p.derived__histories", "derived__histories"])
def test_an_exception_with_a_reason_is_honoured(tmp_path: Path, node_ref: str) -> None:
    path = write_exceptions(
        tmp_path, [{"rule": "public_model_contract", "node": node_ref, "reason": "Being replaced next release."}]
    )
    exceptions, errors = rules.load_exceptions(path)
    report = rules.check_manifest(broken_manifest(), exceptions)
    assert errors == [] and report.ok
    assert [v.node for v in report.summaries["public_model_contract"].excepted] == ["model.p.derived__histories"]


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_an_exception_without_a_reason_is_an_error(tmp_path: Path, reason: str | None) -> None:
    entry = {"rule": "public_model_contract", "node": "model.p.derived__histories"}
    if reason is not None:
        entry["reason"] = reason
    exceptions, errors = rules.load_exceptions(write_exceptions(tmp_path, [entry]))
    assert exceptions == []
    assert len(errors) == 1 and "no reason" in errors[0]
    # and the violation it tried to excuse still counts
    assert not rules.check_manifest(broken_manifest(), exceptions).ok


def test_an_exception_for_an_unknown_rule_is_an_error(tmp_path: Path) -> None:
    path = write_exceptions(tmp_path, [{"rule": "no_such_rule", "node": "x", "reason": "because"}])
    assert "unknown rule" in rules.load_exceptions(path)[1][0]


def test_a_stale_exception_is_an_error(tmp_path: Path) -> None:
    path = write_exceptions(
        tmp_path, [{"rule": "public_model_contract", "node": "model.p.derived__histories", "reason": "Old."}]
    )
    exceptions, _ = rules.load_exceptions(path)
    report = rules.check_manifest(good_manifest(), exceptions)
    assert not report.ok
    assert report.violations == [] and "stale" in report.exception_errors[0]


def test_the_command_line_prints_a_summary_per_rule_and_fails_on_a_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest_path = tmp_path / "manifest.json"
    manifest_path.write_text(json.dumps(good_manifest()))
    no_exceptions = write_exceptions(tmp_path, [])
    assert rules.main(["--manifest", str(manifest_path), "--exceptions", str(no_exceptions)]) == 0
    output = capsys.readouterr().out
    assert all(f"PASS  {rule}" in output for rule in rules.RULES)

    manifest_path.write_text(json.dumps(broken_manifest()))
    assert rules.main(["--manifest", str(manifest_path), "--exceptions", str(no_exceptions)]) == 1
    output = capsys.readouterr().out
    assert "FAIL  public_model_contract" in output and "model.p.derived__histories" in output

    assert rules.main(["--manifest", str(tmp_path / "missing.json")]) == 2


def test_the_exceptions_file_of_the_project_is_valid() -> None:
    exceptions, errors = rules.load_exceptions(PROJECT_ROOT / "project_rules_exceptions.yml")
    assert errors == []
    assert all(e.reason for e in exceptions)


# --- the real project ----------------------------------------------------------------------------------


def test_the_project_follows_the_rules(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = run_dbt(project, "parse", "--no-partial-parse", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    exceptions, errors = rules.load_exceptions(PROJECT_ROOT / "project_rules_exceptions.yml")
    report = rules.check_manifest(manifest, exceptions)
    report.exception_errors[:0] = errors
    text = rules.format_report(report, Path("manifest.json"))
    # Every rule looked at something real.
    assert report.summaries["naming_matches_folder"].checked > 40, text
    assert report.summaries["primary_key_test"].checked > 30, text
    assert report.ok, text
