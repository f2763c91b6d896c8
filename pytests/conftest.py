"""Shared helpers for the pytest suite: the project root, the venv's dbt, and throwaway project copies."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extracts import without_make_variables
from releases import Scenario, run_scenario
from repeat_offending.project import PROJECT_ROOT

DBT = str(Path(sys.executable).with_name("dbt"))

# What a copy of the dbt project needs; everything else (data, target, venv, git) is left behind.
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "selectors.yml")
PROJECT_DIRS = ("models", "seeds", "macros", "tests", "snapshots", "analyses", "docs")


def copy_project(dest: Path, *, dirs: tuple[str, ...] = PROJECT_DIRS) -> Path:
    """Copy the dbt project (config and the given folders, no data or build artefacts) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        if (PROJECT_ROOT / name).exists():
            shutil.copy2(PROJECT_ROOT / name, dest / name)
    for name in dirs:
        source = PROJECT_ROOT / name
        if source.exists():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (dest / name).mkdir()
    if "models" not in dirs:  # dbt_project.yml assigns layers to the groups defined there
        (dest / "models").mkdir(exist_ok=True)
        shutil.copy2(PROJECT_ROOT / "models" / "_groups.yml", dest / "models" / "_groups.yml")
    return dest


def run_dbt(project_dir: Path, *args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the venv's dbt in ``project_dir`` with the profiles there; output captured, never raises."""
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir or project_dir / "data"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    (Path(env["DATA_DIR"])).mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [DBT, *args, "--profiles-dir", str(project_dir), "--project-dir", str(project_dir)],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# The release scenario's two modules run on one pytest-xdist worker, so that it is run once.
RELEASE_SCENARIO_MODULES = {"test_releases", "test_person_ids"}

# The order in which pytest-xdist's workers take the units of work. First the release scenario, the test
# world's build (test_world_build: one worker builds it) and the longest unit that needs no test world (run
# while it is built); then the longest units first, so that none starts near the end while the other cores
# idle. Worker seconds of each unit in a `make test` run on this 2-core machine (three workers, 2026-12-07):
# they only order the work, and a unit not listed comes after these, in file order.
FIRST_UNITS = ("release_scenario", "test_world_build", "test_linkage_spark")
UNIT_SECONDS = {
    "test_source_freshness": 410,
    "test_raw_contract": 370,
    "test_extracts": 350,
    "test_bad_values": 300,
    "test_spark_build": 280,
    "test_slim_ci": 190,
    "test_naming_convention": 170,
    "test_research_pseudonym_key": 150,
    "test_project_rules": 120,
    "test_generator": 110,
    "test_research_export_pii": 70,
    "test_disclosure_audit": 60,
    "test_calibration": 60,
    "test_pnc": 55,
    "test_docs_render": 50,
    "test_spark_selectors": 40,
    "test_no_personal_data_in_outputs": 40,
}


def _work_unit(nodeid: str) -> str:
    """The unit pytest-xdist hands to one worker: a test's module, the release scenario's two as one."""
    module = nodeid.split("::", 1)[0]
    return "release_scenario" if Path(module).stem in RELEASE_SCENARIO_MODULES else module


def _unit_order(unit: str) -> tuple[int, int]:
    name = Path(unit).stem
    if name in FIRST_UNITS:
        return (FIRST_UNITS.index(name), 0)
    return (len(FIRST_UNITS), -UNIT_SECONDS.get(name, 0))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`make pytest` runs `-n 3 --dist loadscope` (PYTEST_WORKERS): each module runs on one worker, so that
    its module- and session-scoped fixtures (a build of a changed extract, a generated world) are made once,
    as in a serial run; the modules of the release scenario share one worker. The units are handed out in the
    order of the collection (pytest_collection_modifyitems), not by xdist's count of tests per unit. (xdist's
    `loadgroup` marks do not reach its scheduler under pytest 9, which no longer reads the node id it
    rewrites.)"""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _work_unit(nodeid)

    return ModuleScheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The units of work in the order they should start (FIRST_UNITS, then UNIT_SECONDS); within one, the
    tests keep their order."""
    items.sort(key=lambda item: _unit_order(_work_unit(item.nodeid)))


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A full copy of the dbt project in a temporary folder."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_world() -> Path:
    """The small world `make test-world` builds (DATA_DIR with raw/, truth/ and the `ci` warehouse), in
    TEST_WORLD_DIR. It is built here when it is missing, and, with TEST_WORLD_REBUILD=1 (`make test`), once per
    test run whatever is there, so that the tests read a build of the code under test: `make test` lets the
    first pytest worker that needs it build it, while the others run tests that do not."""
    folder = Path(os.environ.get("TEST_WORLD_DIR", PROJECT_ROOT / "data" / "test_world"))
    folder.parent.mkdir(parents=True, exist_ok=True)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"pid-{os.getpid()}")
    built_for = folder.parent / f".{folder.name}.built-for-run"
    # pytest-xdist's workers each ask for it: the first builds it, the others wait for it on the lock.
    with (folder.parent / f".{folder.name}.pytest-lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        rebuild = os.environ.get("TEST_WORLD_REBUILD") == "1" and not (
            built_for.exists() and built_for.read_text() == run
        )
        if rebuild or not (folder / "warehouse.duckdb").exists():
            subprocess.run(
                ["make", "test-world", f"TEST_DATA_DIR={folder}"],
                cwd=PROJECT_ROOT,
                env=without_make_variables(),
                check=True,
            )
            built_for.write_text(run)
    return folder


@pytest.fixture(scope="session")
def release_scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """Two successive extracts built as releases in one DATA_DIR, with killed builds, concurrent readers and
    a refused second build on the way (pytests/releases.py): shared by the release and person id tests."""
    return run_scenario(tmp_path_factory.mktemp("releases"))
