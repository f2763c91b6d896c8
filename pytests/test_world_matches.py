"""scripts/world_matches.py decides whether `make data` must regenerate the world."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "world_matches.py"
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


def _run(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--data-dir", str(data_dir), *ARGS, *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def _write(data_dir: Path, manifest: dict) -> None:
    (data_dir / "raw").mkdir(parents=True)
    (data_dir / "raw" / "_manifest.json").write_text(json.dumps(manifest))


def test_missing_manifest_means_generate(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert result.returncode == 1
    assert "missing" in result.stderr


@pytest.mark.parametrize("manifest", [PARAMETERS, {"parameters": PARAMETERS, "tables": {}}])
def test_matching_manifest(tmp_path: Path, manifest: dict) -> None:
    _write(tmp_path, manifest)
    assert _run(tmp_path).returncode == 0


def test_a_different_parameter_means_generate(tmp_path: Path) -> None:
    _write(tmp_path, {**PARAMETERS, "bad_row_rate": 0.01})
    result = _run(tmp_path)
    assert result.returncode == 1
    assert "bad_row_rate" in result.stderr


def test_later_arguments_override(tmp_path: Path) -> None:
    _write(tmp_path, PARAMETERS)
    assert _run(tmp_path, "--people", "6000").returncode == 1


def test_a_world_from_another_generator_version_is_stale(tmp_path: Path) -> None:
    _write(tmp_path, {**PARAMETERS, "generator_version": "0.0.0-not-installed"})
    result = _run(tmp_path)
    assert result.returncode == 1
    assert "generator_version" in result.stderr
