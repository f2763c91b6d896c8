"""`world-matches` (repeat_offending_tools.world_matches) decides what `make data` does with DATA_DIR: use it
as it is (exit 0) or generate a world (exit 10). A raw/ folder without the generator's marker is an extract
and is never replaced."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from justice_world import GENERATOR_VERSION
from justice_world.ownership import MARKER_NAME, write_marker
from repeat_offending.world_manifest import GENERATOR_MARKER

COMMAND = Path(sys.executable).with_name("world-matches")
USE, GENERATE = 0, 10
PARAMETERS = {
    "people": 5000,
    "seed": 1,
    "first_year": 2000,
    "end_year": 2025,
    "data_as_of": "2025-06-30",
    "identifier_noise_rate": 0.1,
    "bad_row_rate": 0.005,
}
ARGS = [
    *("--people", "5000", "--seed", "1", "--first-year", "2000", "--end-year", "2025"),
    *("--as-of", "2025-06-30", "--noise-rate", "0.1", "--bad-row-rate", "0.005"),
]


def _run(data_dir: Path, *extra: str, requested: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COMMAND), "--data-dir", str(data_dir), *ARGS, *extra, *(["--requested"] * requested)],
        capture_output=True,
        text=True,
        check=False,
    )


def _write(data_dir: Path, manifest: dict | str, *, generated: bool = True) -> None:
    (data_dir / "raw").mkdir(parents=True)
    text = manifest if isinstance(manifest, str) else json.dumps(manifest)
    (data_dir / "raw" / "_manifest.json").write_text(text)
    if generated:
        write_marker(data_dir / "raw")


def test_no_raw_folder_means_generate(tmp_path: Path) -> None:
    result = _run(tmp_path, requested=False)
    assert result.returncode == GENERATE
    assert "No raw/" in result.stderr


@pytest.mark.parametrize("manifest", [None, "{not json", PARAMETERS, {**PARAMETERS, "people": 6000}])
@pytest.mark.parametrize("requested", [True, False])
def test_a_raw_folder_without_the_marker_is_an_extract(tmp_path: Path, manifest: dict | None, requested: bool) -> None:
    if manifest is None:
        (tmp_path / "raw" / "pnc").mkdir(parents=True)
    else:
        _write(tmp_path, manifest, generated=False)
    result = _run(tmp_path, requested=requested)
    assert result.returncode == USE, result.stderr
    assert "building it as an extract, as it is" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("manifest", [PARAMETERS, {"parameters": PARAMETERS, "tables": {}}])
def test_matching_manifest(tmp_path: Path, manifest: dict) -> None:
    _write(tmp_path, manifest)
    result = _run(tmp_path)
    assert result.returncode == USE
    assert "made with these parameters" in result.stderr


def test_a_different_parameter_means_generate(tmp_path: Path) -> None:
    _write(tmp_path, {**PARAMETERS, "bad_row_rate": 0.01})
    result = _run(tmp_path)
    assert result.returncode == GENERATE
    assert "bad_row_rate" in result.stderr


def test_a_different_world_is_kept_when_no_parameters_were_given(tmp_path: Path) -> None:
    _write(tmp_path, {**PARAMETERS, "bad_row_rate": 0.01})
    result = _run(tmp_path, requested=False)
    assert result.returncode == USE
    assert "as it is" in result.stderr and "make generate" in result.stderr


def test_a_generated_folder_with_a_malformed_manifest_is_regenerated_only_on_request(tmp_path: Path) -> None:
    _write(tmp_path, "{not json")
    assert _run(tmp_path).returncode == GENERATE
    assert _run(tmp_path, requested=False).returncode == USE


def test_later_arguments_override(tmp_path: Path) -> None:
    _write(tmp_path, PARAMETERS)
    assert _run(tmp_path, "--people", "6000").returncode == GENERATE


def test_a_world_from_another_generator_version_is_stale(tmp_path: Path) -> None:
    _write(tmp_path, {**PARAMETERS, "generator_version": "0.0.0-not-installed"})
    result = _run(tmp_path)
    assert result.returncode == GENERATE
    assert "generator_version" in result.stderr
    _write(tmp_path / "current", {**PARAMETERS, "generator_version": GENERATOR_VERSION})
    assert _run(tmp_path / "current").returncode == USE


def test_the_runtime_names_the_generator_marker_as_the_generator_does() -> None:
    """The release build tells a generated world by the marker without importing the generator."""
    assert GENERATOR_MARKER == MARKER_NAME
