"""The generator writes only into folders it owns: raw/ and truth/ must be absent or carry its marker
(`_generated_by.json`), otherwise it refuses with a clear error, exits non-zero and leaves every file as it was."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extracts import checksums
from justice_world.ownership import MARKER_NAME, check_owned, is_generated, marker_problem, write_marker
from repeat_offending.project import PROJECT_ROOT

GENERATE = str(Path(sys.executable).with_name("generate"))
SEEDS_DIR = PROJECT_ROOT / "seeds"


def _generate(data_dir: Path) -> subprocess.CompletedProcess[str]:
    world = ("--people", "1000", "--seed", "3", "--seeds-dir", str(SEEDS_DIR), "--no-progress")
    return subprocess.run(
        [GENERATE, *world, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _extract(data_dir: Path) -> dict[str, str]:
    """A stand-in for a user's extract: files in raw/ and truth/, no marker; returns their checksums."""
    (data_dir / "raw" / "pnc").mkdir(parents=True)
    (data_dir / "raw" / "pnc" / "persons.parquet").write_bytes(b"a user's extract")
    (data_dir / "raw" / "_manifest.json").write_text('{"people": 5000, "generator": "repeat_offending.synthetic"}')
    (data_dir / "truth").mkdir()
    (data_dir / "truth" / "people.parquet").write_bytes(b"the user's own truth")
    return checksums(data_dir)


@pytest.mark.parametrize(
    "marker",
    [None, "{not json", json.dumps(["repeat_offending.synthetic"]), json.dumps({"generator": "someone else"})],
    ids=["no marker", "malformed marker", "marker not an object", "marker of another writer"],
)
def test_the_generator_refuses_a_folder_it_did_not_write(tmp_path: Path, marker: str | None) -> None:
    data_dir = tmp_path / "data"
    _extract(data_dir)
    if marker is not None:
        (data_dir / "raw" / MARKER_NAME).write_text(marker)
    before = checksums(data_dir)
    result = _generate(data_dir)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "refusing to write a synthetic world" in result.stderr
    assert str(data_dir / "raw") in result.stderr
    assert "Traceback" not in result.stderr
    assert checksums(data_dir) == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["raw", "truth"]


def test_a_truth_folder_without_the_marker_is_refused_too(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    write_marker(data_dir / "raw")
    (data_dir / "truth").mkdir()
    (data_dir / "truth" / "notes.txt").write_text("not the generator's")
    before = checksums(data_dir)
    result = _generate(data_dir)
    assert result.returncode == 1
    assert f"{data_dir / 'truth'} exists and was not written by the generator" in result.stderr
    assert checksums(data_dir) == before


def test_a_generated_world_is_marked_and_can_be_replaced(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = _generate(data_dir)
    assert first.returncode == 0, first.stderr
    assert is_generated(data_dir / "raw") and is_generated(data_dir / "truth")
    check_owned(data_dir)  # does not raise
    (data_dir / "raw" / "stale.txt").write_text("left from an earlier world")
    second = _generate(data_dir)
    assert second.returncode == 0, second.stderr
    assert not (data_dir / "raw" / "stale.txt").exists()
    assert is_generated(data_dir / "raw")


def test_marker_problems_name_the_file(tmp_path: Path) -> None:
    assert marker_problem(tmp_path) == f"{tmp_path / MARKER_NAME} is missing"
    (tmp_path / MARKER_NAME).write_text("[")
    problem = marker_problem(tmp_path)
    assert problem is not None and problem.startswith(f"{tmp_path / MARKER_NAME} is unreadable")
    write_marker(tmp_path)
    assert marker_problem(tmp_path) is None
