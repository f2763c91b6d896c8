"""The project's rules: dbt-bouncer (dbt-bouncer.yml, custom checks in bouncer/) and dbt-project-evaluator's
exceptions (project_evaluation/). Every exception has a reason and none is stale; each rule fails on a
deliberate breach (bouncer on a doctored copy of the project's manifest)."""

from __future__ import annotations

import copy
import csv
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from conftest import PROJECT_ROOT, copy_project, run_dbt
from repeat_offending.project import layers

BOUNCER = str(Path(sys.executable).with_name("dbt-bouncer"))
CONFIG = PROJECT_ROOT / "dbt-bouncer.yml"
BOUNCER_EXCEPTIONS = PROJECT_ROOT / "bouncer_exceptions.json"
EVALUATOR_EXCEPTIONS = PROJECT_ROOT / "project_evaluation" / "seeds" / "dbt_project_evaluator_exceptions.csv"
EVALUATOR_MODELS = PROJECT_ROOT / "vendor" / "dbt_project_evaluator" / "models"

Manifest = dict[str, Any]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    """The project's manifest, parsed afresh (with its packages, as `make parse` does) into a scratch folder."""
    target = tmp_path_factory.mktemp("target")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "parse", "--profiles-dir", ".", "--target", "ci"],
        cwd=PROJECT_ROOT,
        env={**_env(), "DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target / "logs")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((target / "manifest.json").read_text())


def _env() -> dict[str, str]:
    return {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DATA_DIR": str(PROJECT_ROOT / "data")}


def bouncer(tmp_path: Path, manifest: Manifest, *, baseline: Path | None = BOUNCER_EXCEPTIONS) -> list[dict[str, Any]]:
    """Run the project's dbt-bouncer configuration on ``manifest``; its failures (check name, unique id)."""
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "manifest.json").write_text(json.dumps(manifest))
    config = yaml.safe_load(CONFIG.read_text())
    config["dbt_artifacts_dir"] = str(artifacts)
    config["custom_checks_dir"] = str(PROJECT_ROOT / config["custom_checks_dir"])
    config_path = tmp_path / "dbt-bouncer.yml"
    config_path.write_text(yaml.safe_dump(config))
    output = tmp_path / "results.json"
    command = [
        BOUNCER,
        "run",
        "--config-file",
        str(config_path),
        "--output-format",
        "json",
        "--output-file",
        str(output),
    ]
    if baseline is not None:
        command += ["--baseline", str(baseline)]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert output.exists(), result.stdout + result.stderr
    failures = [r for r in json.loads(output.read_text()) if r["outcome"] == "failed"]
    assert (result.returncode != 0) == bool(failures), result.stdout + result.stderr
    return failures


def fingerprints(failures: list[dict[str, Any]]) -> set[str]:
    return {f"{f['check_run_id'].split(':', 1)[0]}::{f['unique_id']}" for f in failures}


# --- the project passes, with reasoned exceptions only ---------------------------------------------------


def test_the_project_passes_bouncer_with_its_exceptions(tmp_path: Path, manifest: Manifest) -> None:
    failures = bouncer(tmp_path, manifest)
    assert failures == [], "\n".join(f"{f['check_run_id']}: {f['failure_message']}" for f in failures)


def test_every_bouncer_exception_has_a_reason_and_still_matches_a_failure(tmp_path: Path, manifest: Manifest) -> None:
    document = json.loads(BOUNCER_EXCEPTIONS.read_text())
    entries = document["failures"]
    without_reason = [e.get("fingerprint") for e in entries if not str(e.get("reason") or "").strip()]
    assert without_reason == [], f"bouncer exceptions without a reason: {without_reason}"
    for entry in entries:
        assert entry["fingerprint"] == f"{entry['check_name']}::{entry['unique_id']}", entry
    stale = {e["fingerprint"] for e in entries} - fingerprints(bouncer(tmp_path, manifest, baseline=None))
    assert stale == set(), f"stale bouncer exceptions (they match no failure any more; remove them): {sorted(stale)}"


def test_every_evaluator_exception_has_a_reason_and_names_a_rule() -> None:
    with EVALUATOR_EXCEPTIONS.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert rows, "the evaluator's exceptions seed is empty: then it is not needed (or not read)"
    rules = {path.stem for path in EVALUATOR_MODELS.rglob("fct_*.sql")}
    for row in rows:
        label = f"{row['fct_name']} / {row['column_name']} / {row['id_to_exclude']}"
        assert row["fct_name"] in rules, f"{label}: no such dbt-project-evaluator rule"
        assert row["column_name"].strip() and row["id_to_exclude"].strip(), label
        assert len(row["comment"].strip()) >= 20, f"{label}: the reason (column comment) is missing or too short"


def test_the_evaluator_model_types_are_the_layers() -> None:
    """dbt-project-evaluator takes its model types in a format of its own; they must say what var `layers`
    says (the one list of layers): one type per layer with a models/ folder, that folder, and prefixes that
    the names of the layer's models (`<schema>__<table>`) start with."""
    config = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    evaluator = config["dbt_project_evaluator"]
    model_layers = [layer for layer in layers() if layer.folder.startswith("models/")]
    assert evaluator["model_types"] == [layer.name for layer in model_layers]
    for layer in model_layers:
        assert evaluator[f"{layer.name}_folder_name"] == layer.folder.removeprefix("models/")
        prefixes = evaluator[f"{layer.name}_prefixes"]
        for schema in layer.schemas:
            model_name = schema.replace("*", "system") + "__table"
            assert any(model_name.startswith(prefix) for prefix in prefixes), (layer.name, schema)


def test_the_evaluator_models_are_disabled_unless_evaluating(manifest: Manifest) -> None:
    packages = {node["package_name"] for node in manifest["nodes"].values()}
    assert packages == {"repeat_offending"}, packages
    disabled = {node[0]["package_name"] for node in manifest["disabled"].values()}
    assert {"dbt_project_evaluator", "project_evaluation"} <= disabled


# --- each rule fails on a deliberate breach --------------------------------------------------------------


def _first(manifest: Manifest, section: str, predicate: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    return next(node for _, node in sorted(manifest[section].items()) if predicate(node))


def _project(resource_type: str) -> Callable[[dict[str, Any]], bool]:
    return lambda node: node.get("resource_type") == resource_type and node["package_name"] == "repeat_offending"


def _with_columns(resource_type: str) -> Callable[[dict[str, Any]], bool]:
    return lambda node: _project(resource_type)(node) and bool(node.get("columns"))


def _undescribe(node: dict[str, Any]) -> str:
    node["description"] = " "
    return node["unique_id"]


def _undescribe_column(node: dict[str, Any]) -> str:
    next(iter(node["columns"].values()))["description"] = ""
    return node["unique_id"]


def breach_model_description(m: Manifest) -> tuple[str, str]:
    return "check_model_description_populated", _undescribe(_first(m, "nodes", _project("model")))


def breach_model_column(m: Manifest) -> tuple[str, str]:
    return "check_model_column_description_populated", _undescribe_column(_first(m, "nodes", _with_columns("model")))


def breach_seed_column(m: Manifest) -> tuple[str, str]:
    return "check_seed_column_description_populated", _undescribe_column(_first(m, "nodes", _with_columns("seed")))


def breach_snapshot_description(m: Manifest) -> tuple[str, str]:
    return "check_snapshot_description_populated", _undescribe(_first(m, "nodes", _project("snapshot")))


def breach_source_column(m: Manifest) -> tuple[str, str]:
    return "check_source_column_description_populated", _undescribe_column(
        _first(m, "sources", lambda s: bool(s.get("columns")))
    )


def breach_exposure_description(m: Manifest) -> tuple[str, str]:
    return "check_exposure_description_populated", _undescribe(_first(m, "exposures", lambda e: True))


def breach_macro_argument(m: Manifest) -> tuple[str, str]:
    macro = _first(m, "macros", lambda x: x["package_name"] == "repeat_offending" and bool(x.get("arguments")))
    macro["arguments"][0]["description"] = ""
    return "check_macro_arguments_described", macro["unique_id"]


def breach_unique_test(m: Manifest) -> tuple[str, str]:
    model = _first(m, "nodes", _project("model"))
    for unique_id in [k for k, n in m["nodes"].items() if n.get("attached_node") == model["unique_id"]]:
        del m["nodes"][unique_id]
    return "check_model_has_unique_test", model["unique_id"]


def breach_source_outside_staging(m: Manifest) -> tuple[str, str]:
    model = _first(m, "nodes", lambda n: _project("model")(n) and "/derived/" in n["original_file_path"])
    model["depends_on"]["nodes"].append(next(iter(m["sources"])))
    return "check_lineage_source_cannot_be_used", model["unique_id"]


def breach_public_contract(m: Manifest) -> tuple[str, str]:
    model = _first(m, "nodes", lambda n: _project("model")(n) and n.get("access") == "public")
    model["config"]["contract"]["enforced"] = False
    model["contract"]["enforced"] = False
    return "check_model_contract_enforced_for_public_model", model["unique_id"]


def breach_exposure_on_seed(m: Manifest) -> tuple[str, str]:
    exposure = _first(m, "exposures", lambda e: True)
    exposure["depends_on"]["nodes"].append(_first(m, "nodes", _project("seed"))["unique_id"])
    return "check_exposure_based_on_models_only", exposure["unique_id"]


def breach_model_folder(m: Manifest) -> tuple[str, str]:
    model = _first(m, "nodes", lambda n: _project("model")(n) and n["name"].startswith("derived__"))
    model["original_file_path"] = f"models/publication/{model['name']}.sql"
    return "check_model_name_matches_layer", model["unique_id"]


def breach_staging_system_folder(m: Manifest) -> tuple[str, str]:
    model = _first(m, "nodes", lambda n: _project("model")(n) and n["name"].startswith("stg_pnc__"))
    model["original_file_path"] = f"models/staging/courts/{model['name']}.sql"
    return "check_model_name_matches_layer", model["unique_id"]


def breach_seed_name(m: Manifest) -> tuple[str, str]:
    seed = _first(m, "nodes", _project("seed"))
    seed["name"] = "lookup__" + seed["name"].split("__", 1)[1]
    return "check_seed_name_matches_layer", seed["unique_id"]


BREACHES = [
    breach_model_description,
    breach_model_column,
    breach_seed_column,
    breach_snapshot_description,
    breach_source_column,
    breach_exposure_description,
    breach_macro_argument,
    breach_unique_test,
    breach_source_outside_staging,
    breach_public_contract,
    breach_exposure_on_seed,
    breach_model_folder,
    breach_staging_system_folder,
    breach_seed_name,
]


@pytest.mark.parametrize("breach", BREACHES, ids=lambda b: b.__name__.removeprefix("breach_"))
def test_a_breach_fails_bouncer(
    tmp_path: Path, manifest: Manifest, breach: Callable[[Manifest], tuple[str, str]]
) -> None:
    doctored = copy.deepcopy(manifest)
    check_name, unique_id = breach(doctored)
    assert fingerprints(bouncer(tmp_path, doctored)) == {f"{check_name}::{unique_id}"}


def test_an_adapter_implementation_needs_no_argument_descriptions(tmp_path: Path, manifest: Manifest) -> None:
    """`<adapter>__<macro>` is documented by the macro it implements; the same name without one is not."""
    doctored = copy.deepcopy(manifest)
    macros = doctored["macros"]
    implementation = _first(
        doctored, "macros", lambda x: x["package_name"] == "repeat_offending" and x["name"].startswith("default__")
    )
    implementation["arguments"] = [{"name": "x", "description": ""}]
    assert bouncer(tmp_path, doctored) == []
    implemented = implementation["name"].removeprefix("default__")
    for unique_id in [k for k, x in macros.items() if x["name"] == implemented]:
        del macros[unique_id]
    assert fingerprints(bouncer(tmp_path, doctored)) == {
        f"check_macro_arguments_described::{implementation['unique_id']}"
    }


def test_a_copy_without_the_packages_parses(tmp_path: Path) -> None:
    """A copy of the project without its packages (as the other pytests make) still parses: the evaluator's
    configuration in dbt_project.yml applies only when it is installed."""
    project = copy_project(tmp_path / "project", dirs=("macros",))
    result = run_dbt(project, "parse", "--no-partial-parse", "--target", "ci")
    assert result.returncode == 0, result.stdout + result.stderr


# --- make evaluate-project's report: findings and stale exceptions --------------------------------------


def _findings(*args: str) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).with_name("project-evaluation")
    return subprocess.run([str(command), *args], capture_output=True, text=True, timeout=60, check=False)


def test_the_evaluation_report_lists_findings_and_fails_on_a_stale_exception(tmp_path: Path) -> None:
    database = tmp_path / "evaluation.duckdb"
    with duckdb.connect(str(database)) as db:
        db.execute("create table fct_model_fanout (parent varchar, leaf_children varchar)")
        db.execute("insert into fct_model_fanout values ('publication_int__cells', 'a, b, c')")
        db.execute("create table fct_documentation_coverage (total_models integer)")
        db.execute("insert into fct_documentation_coverage values (73)")
        db.execute("create table dbt_project_evaluator_exceptions (fct_name varchar)")
        db.execute("insert into dbt_project_evaluator_exceptions values ('fct_model_fanout')")
    listed = _findings("list", str(database))
    assert listed.returncode == 0 and "fct_model_fanout: ('publication_int__cells'" in listed.stdout, listed
    assert "coverage" not in listed.stdout  # the coverage summaries always have their one row

    exceptions = tmp_path / "exceptions.csv"
    header = "fct_name,column_name,id_to_exclude,comment\n"
    exceptions.write_text(header + "fct_model_fanout,parent,publication_int__%,Built once on purpose.\n")
    assert _findings("stale", str(database), str(exceptions)).returncode == 0
    exceptions.write_text(header + "fct_model_fanout,parent,derived__%,No longer true.\n")
    stale = _findings("stale", str(database), str(exceptions))
    assert stale.returncode == 1 and "derived__%" in stale.stdout, stale

    assert _findings("clear", str(database)).returncode == 0
    with duckdb.connect(str(database), read_only=True) as db:
        assert db.execute("select count(*) from dbt_project_evaluator_exceptions").fetchone() == (0,)
