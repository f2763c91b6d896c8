"""`make build` on extracts: a DATA_DIR whose raw/ was not written by the generator is a user's input, built
as it is and never deleted, moved or rewritten, whatever its manifest says; without truth/, the truth-based
steps are skipped with one line saying so and everything else runs; and paths with spaces work end to end.

The module makes one whole build (`make build`, target ci, dbt's artefacts inside the copy) of a copy of the
test world's raw files; the other cases run `make data`, the step that decides what DATA_DIR holds. (A stale
source failing a release: test_source_freshness.py.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extracts import BuildResult, checksums, copy_extract, make_build, public_table_differences
from justice_world import GENERATOR_VERSION
from justice_world.ownership import MARKER_NAME, is_generated

EXTRACT_LINE = "has no generator marker (_generated_by.json): building it as an extract, as it is, read only"


def _tables(warehouse: Path, schema: str) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [schema]
        ).fetchall()
    return {name for (name,) in rows}


@pytest.fixture(scope="module")
def bare_extract(built_world: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, dict[str, str]]:
    """The test world's raw files alone, in a folder whose path has a space (`an extract/`): no truth, no
    generator marker, and a manifest that is not JSON, built with world parameters given (a user who types
    the demo's command on their extract). One whole build for the module: a build takes minutes."""
    data_dir = copy_extract(built_world, tmp_path_factory.mktemp("bare") / "an extract", manifest=False, truth=False)
    (data_dir / "raw" / "_manifest.json").write_text('{"people": 5000, "seed": ')
    before = checksums(data_dir)
    return make_build(data_dir, "PEOPLE=5000", "SEED=1"), before


def test_a_bare_extract_builds_as_it_is(bare_extract: tuple[BuildResult, dict[str, str]]) -> None:
    """A manifest that is not JSON does not make the folder a world: it is an extract, even when a world is
    asked for, and nothing is generated."""
    result, _ = bare_extract
    assert result.returncode == 0, result.output[-5000:]
    assert EXTRACT_LINE + " (the world parameters given are not used)" in result.output
    assert "generate" not in [line.split()[0] for line in result.output.splitlines() if line.strip()]


def test_a_bare_extract_is_left_byte_for_byte_as_it_was(bare_extract: tuple[BuildResult, dict[str, str]]) -> None:
    result, before = bare_extract
    after = checksums(result.data_dir)
    assert {path: after.get(path) for path in before} == before, "the extract was changed"
    assert not any(path.startswith(("raw/", "truth/")) for path in set(after) - set(before))
    assert not (result.data_dir / "truth").exists()


@pytest.mark.parametrize("manifest", [False, True], ids=["no manifest", "a manifest"])
def test_an_extract_without_the_marker_is_used_as_it_is(built_world: Path, tmp_path: Path, manifest: bool) -> None:
    """`make data`, the first step of `make build`: raw files without the generator's marker are an extract,
    with or without a manifest (a valid one here, copied from the world) and with truth/, and are left as they
    were. (The whole build of an extract: the module's `bare_extract`.)"""
    data_dir = copy_extract(built_world, tmp_path / "extract", manifest=manifest, truth=True)
    before = checksums(data_dir)
    result = make_build(data_dir, target="data")
    assert result.returncode == 0, result.output[-5000:]
    assert EXTRACT_LINE + "." in result.output
    assert checksums(data_dir) == before


def test_without_truth_the_truth_based_steps_are_skipped_and_the_rest_runs(
    bare_extract: tuple[BuildResult, dict[str, str]],
) -> None:
    result, _ = bare_extract
    assert "evaluate-linkage: skipped: no ground truth" in result.output
    assert "linkage_quality" not in _tables(result.warehouse, "evaluation")
    assert (result.release_folder / "research" / "README.md").exists()
    assert (result.release_folder / "reports" / "data_quality_report.html").exists()
    assert (result.release_folder / "target" / "catalog.json").exists()


def test_the_release_keeps_the_run_results_of_its_build_and_its_source_freshness(
    bare_extract: tuple[BuildResult, dict[str, str]],
) -> None:
    """target/run_results.json is dbt build's (not the audit.release run's), the run results of every dbt step
    that writes them are kept, the docs hold the SQL the build ran (its manifest, not a second compilation),
    and source freshness ran against data_as_of and is in the ledger."""
    result, _ = bare_extract
    assert result.returncode == 0, result.output[-5000:]
    target = result.release_folder / "target"
    commands = {
        path.name: json.loads(path.read_text())["args"]["which"] for path in sorted(target.glob("run_results*.json"))
    }
    assert commands == {
        "run_results.json": "build",
        "run_results_build.json": "build",
        "run_results_release.json": "run",
        "run_results_seed.json": "seed",
    }
    assert (target / "run_results.json").read_bytes() == (target / "run_results_build.json").read_bytes()
    ran = {r["unique_id"] for r in json.loads((target / "run_results.json").read_text())["results"]}
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    models = [node for node in nodes.values() if node["resource_type"] == "model"]
    assert models and all(node["unique_id"] in ran and node["compiled_code"] for node in models)
    assert not (target / "manifest_build.json").exists()
    static = (target / "static_index.html").read_text()
    proven = nodes["model.repeat_offending.derived__proven_reoffending"]["compiled_code"]
    assert json.dumps(proven)[1:-1] in static, "the offline docs show the SQL the build ran"
    freshness = json.loads((target / "sources.json").read_text())["results"]
    assert len(freshness) == 10 and {r["status"] for r in freshness} == {"pass"}
    release = result.release_folder.name
    with duckdb.connect(str(result.warehouse), read_only=True) as con:
        recorded = con.execute("select source_freshness from audit.release where release_id = ?", [release]).fetchall()
    assert recorded and json.loads(recorded[0][0]) == {r["unique_id"].split(".", 2)[-1]: "pass" for r in freshness}


def test_a_bare_extract_gives_the_same_outputs_as_the_world(
    bare_extract: tuple[BuildResult, dict[str, str]], built_world: Path
) -> None:
    result, _ = bare_extract
    assert result.returncode == 0, result.output[-5000:]
    assert _tables(result.warehouse, "derived") == _tables(built_world / "warehouse.duckdb", "derived") != set()
    differences = public_table_differences(built_world / "warehouse.duckdb", result.warehouse)
    assert not differences, f"rows in one build and not the other, by table: {differences}"


def test_validate_skips_without_truth(bare_extract: tuple[BuildResult, dict[str, str]]) -> None:
    result, _ = bare_extract
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("validate-derived")),
            *("--data-dir", str(result.data_dir), "--database", str(result.warehouse)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "validate_derived: skipped: no ground truth" in completed.stderr
    assert not (result.data_dir / "reports" / "validate_derived.md").exists()


def test_a_world_generated_into_a_folder_with_a_space_is_the_test_world_and_is_kept(
    built_world: Path, tmp_path: Path
) -> None:
    """`make data` with the test world's parameters generates into `my world/` (the same raw files as the test
    world when the generator version is the same) and keeps it on a second run. (The whole build in a folder
    with a space: test_a_malformed_manifest_is_an_extract_even_when_a_world_is_asked_for.)"""
    manifest = json.loads((built_world / "raw" / "_manifest.json").read_text())
    parameters = [
        f"PEOPLE={manifest['people']}",
        f"SEED={manifest['seed']}",
        f"FIRST_YEAR={manifest['first_year']}",
        f"END_YEAR={manifest['end_year']}",
        f"AS_OF={manifest['data_as_of']}",
        f"NOISE_RATE={manifest['identifier_noise_rate']}",
        f"BAD_ROW_RATE={manifest['bad_row_rate']}",
    ]
    data_dir = tmp_path / "my world"
    result = make_build(data_dir, *parameters, target="data")
    assert result.returncode == 0, result.output[-5000:]
    assert "No raw/ in" in result.output
    assert is_generated(data_dir / "raw") and is_generated(data_dir / "truth")
    if manifest.get("generator_version") == GENERATOR_VERSION:
        generated = {path: digest for path, digest in checksums(data_dir / "raw").items() if path != MARKER_NAME}
        original = {path: digest for path, digest in checksums(built_world / "raw").items() if path != MARKER_NAME}
        assert generated == original
    again = make_build(data_dir, *parameters, target="data")
    assert again.returncode == 0, again.output[-5000:]
    assert "Using the synthetic world in" in again.output
