"""The project's SQL on Spark, in CI: the small version of `make test-spark` that fits `.ci/run` (README "Spark").

`build-spark`, the runner of `make build-spark`, builds a copy of the test world's raw extract on Spark: the
seeds, the raw contract and one source system's staging with its checks, then the data-free macro tests on
Spark. Every seed and every relation of the system's staging schema must equal the test world's DuckDB build
row for row, and the macro tests must pass (the runner fails otherwise). `make test-spark` does the whole DAG,
linkage included, on a world of its own (13 minutes here, too long for `.ci/run`).

Needs the Spark extra (`make spark-venv`, which `make test` installs) and Java; skipped without them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extracts import copy_extract

pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java (make spark-venv installs it)", allow_module_level=True)

BUILD_SPARK = str(Path(sys.executable).with_name("build-spark"))
# The system staged on Spark: the Police National Computer (its ids and names exercise the most macros).
SYSTEM = "pnc"
SELECTION = [f"+stg_{SYSTEM}__persons", f"+stg_{SYSTEM}__offence_outcomes"]
COMPARED_SCHEMAS = ["reference", f"stg_{SYSTEM}"]
# The comparison's line per relation (repeat_offending.spark.compare): name, rows on DuckDB and on Spark, outcome.
RESULT_LINE = re.compile(
    r"^(?P<relation>[a-z0-9_]+\.[a-z0-9_]+)\s+(?P<duckdb>\d+|-)\s+(?P<spark>\d+|-)\s+(?P<outcome>equal|different)"
)


@pytest.fixture(scope="module")
def spark_build(built_world: Path, tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    data_dir = copy_extract(built_world, tmp_path_factory.mktemp("spark_build"))
    env = {**os.environ, "SPARK_DRIVER_MEMORY": "2g", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [
            BUILD_SPARK,
            *("--data-dir", str(data_dir), "--steps", "before", "--select", *SELECTION),
            *("--compare-with", str(built_world / "warehouse.duckdb"), "--compare-schemas", *COMPARED_SCHEMAS),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def test_the_build_and_the_macro_tests_pass_on_spark(spark_build: subprocess.CompletedProcess[str]) -> None:
    output = spark_build.stdout + spark_build.stderr
    assert spark_build.returncode == 0, output[-6000:]
    assert "dbt test (macro tests)" in output, output[-3000:]


def test_seeds_and_staging_equal_duckdbs_row_for_row(spark_build: subprocess.CompletedProcess[str]) -> None:
    results = {
        match["relation"]: match.groupdict()
        for match in map(RESULT_LINE.match, spark_build.stdout.splitlines())
        if match is not None
    }
    compared_schemas = {relation.split(".")[0] for relation in results}
    assert compared_schemas == set(COMPARED_SCHEMAS), spark_build.stdout[-3000:]
    assert {f"stg_{SYSTEM}.persons", f"stg_{SYSTEM}.offence_outcomes"} <= set(results)
    different = {relation: result for relation, result in results.items() if result["outcome"] != "equal"}
    assert not different, different
    assert all(int(result["duckdb"]) > 0 for result in results.values() if result["relation"].startswith("stg_"))
