"""``build-spark``: build a world's raw extract on Spark, in one process and one Spark session.

dbt-spark's ``session`` method runs dbt's SQL on the SparkSession of its own process, so this runner creates
the session first (``repeat_offending.spark.session``: local Spark, metastore and warehouse under
DATA_DIR/spark/, the project's UDFs and the research key as a session variable), then runs dbt in-process
(``dbtRunner``) on the ``spark`` target, in steps (selectors.yml):

1. ``seed``, then ``run`` of everything the two linkage Python models read (selector
   ``spark_before_linkage``), then the data-free macro tests (tag ``macro_tests``);
2. the linkage step: dbt-spark runs Python models only on Databricks, so the linkage package writes their
   two tables (linkage.match_edges, linked.person_links) with Splink on the same session
   (``repeat_offending.linkage.spark_linkage.run_linkage_on_spark``), or, for testing, copies them from a
   DuckDB build of the same world (``--linkage-from-duckdb``);
3. ``run`` of the rest (selector ``spark_after_linkage``), then the unit tests.

Data tests run on DuckDB only (``make build``): the Spark build proves its outputs by comparison with
DuckDB's (``repeat_offending.spark.compare``, ``make test-spark``). The snapshot and the constraints need a
table format Spark does not have here (Delta, Iceberg): they are off on Spark, which the runner says first.
Each step prints its time.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repeat_offending.project import PROJECT_ROOT

from .session import SessionSettings, create_session

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

TARGET = "spark"
STEPS = ("before", "linkage", "after", "unit")

PLATFORM_NOTICE = (
    "Spark target: the snapshot (snapshots.person_identities) and the constraints (not null, primary key) "
    "are OFF: they need a table format with MERGE and constraints (Delta, Iceberg), whose jars are not "
    "installed; contracts still check column names and types. persist_docs is off on Spark. Data tests run "
    'on DuckDB (make build); this build is proven by comparison (make test-spark). README "Spark".'
)

LINKAGE_TABLES = ("linkage.match_edges", "linked.person_links")
"""The tables of the two linkage Python models, as ``schema.table`` on both engines."""


@dataclass
class Timings:
    """Wall-clock seconds per step, printed as they end and together at the end."""

    steps: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        print(f"== build-spark: {name}", flush=True)
        started = time.monotonic()
        try:
            yield
        finally:
            seconds = time.monotonic() - started
            self.steps.append((name, seconds))
            print(f"== build-spark: {name}: {format_seconds(seconds)}", flush=True)

    def summary(self) -> str:
        lines = [f"  {name:<48} {format_seconds(seconds):>10}" for name, seconds in self.steps]
        total = sum(seconds for _, seconds in self.steps)
        return "\n".join(["== build-spark timings:", *lines, f"  {'total':<48} {format_seconds(total):>10}"])


def format_seconds(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{seconds:.1f} s"


class DbtFailedError(RuntimeError):
    """A dbt invocation did not succeed."""


class CheckFailedError(RuntimeError):
    """The build ran to its end, but a test step failed or a relation differs from DuckDB's."""


def dbt(args: Sequence[str], project_dir: Path = PROJECT_ROOT) -> Any:
    """Run one dbt command in this process on the spark target; raises DbtFailedError unless it succeeds."""
    from dbt.cli.main import dbtRunner

    command = [*args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir), "--target", TARGET]
    result = dbtRunner().invoke(command)
    if not result.success:
        raise DbtFailedError(f"dbt {' '.join(args)} failed" + (f": {result.exception}" if result.exception else ""))
    return result.result


def run_linkage(spark: SparkSession, project_dir: Path, settings: SessionSettings, trained_model: Path | None) -> None:
    """The linkage step: the linkage package's Spark entry point, on this session."""
    from repeat_offending.linkage import spark_linkage  # imports pyspark: only when the step runs

    target_path = Path(os.environ.get("DBT_TARGET_PATH", "target"))
    manifest = target_path if target_path.is_absolute() else project_dir / target_path
    spark_linkage.run_linkage_on_spark(
        spark,
        manifest=manifest / "manifest.json",
        trained_model=trained_model,
        model_out=settings.spark_dir / "linkage" / "splink_model.json",
    )


def copy_linkage_from_duckdb(spark: SparkSession, database: Path, tables: Sequence[str] = LINKAGE_TABLES) -> None:
    """Testing aid: the two linkage tables copied from a DuckDB build of the same world (read-only), so that
    the rest of the Spark build can run and be compared before linkage runs on Spark."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as connection:
        for name in tables:
            frame = connection.sql(f"select * from {name}").arrow().read_all()
            schema, table = name.split(".")
            spark.sql(f"create database if not exists {schema}")
            spark.sql(f"drop table if exists {name}")
            spark.createDataFrame(frame.to_pandas()).write.format("parquet").saveAsTable(f"{schema}.{table}")
            print(f"   {name}: {frame.num_rows} rows from {database}", flush=True)


def build(
    data_dir: Path,
    *,
    project_dir: Path = PROJECT_ROOT,
    steps: Sequence[str] = STEPS,
    linkage_from_duckdb: Path | None = None,
    trained_model: Path | None = None,
    select: Sequence[str] = (),
    skip_seed: bool = False,
    compare_with: Path | None = None,
    compare_schemas: Sequence[str] = (),
    compare_relations: Sequence[str] = (),
    compare_ignore_columns: Sequence[str] = (),
    compare_float_digits: int | None = None,
    timings: Timings | None = None,
) -> bool:
    """Build DATA_DIR's raw extract on Spark (the steps of the module's docstring); then, given a DuckDB build
    of the same world (``compare_with``), compare the relations of ``compare_schemas`` and
    ``compare_relations`` row for row (repeat_offending.spark.compare). Raises CheckFailedError, after
    building everything, when a test step failed or a relation differs."""
    timings = timings or Timings()
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    print(f"== build-spark: {PLATFORM_NOTICE}", flush=True)
    settings = SessionSettings.from_environment(data_dir)
    with timings.step("start Spark (session, UDFs, session variable)"):
        spark = create_session(settings)
        # pyspark logs every failing statement's full Java stack trace; dbt reports the error itself.
        logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    stages: dict[str, list[tuple[str, Callable[[], Any]]]] = {
        "before": [
            *([] if skip_seed else [("dbt seed", lambda: dbt(["seed"], project_dir))]),
            (
                f"dbt run (--select {' '.join(select)})" if select else "dbt run (selector spark_before_linkage)",
                lambda: dbt(
                    ["run", *(["--select", *select] if select else ["--selector", "spark_before_linkage"])], project_dir
                ),
            ),
            ("dbt test (macro tests)", lambda: dbt(["test", "--select", "tag:macro_tests"], project_dir)),
        ],
        "linkage": [
            (
                "linkage (tables from DuckDB)" if linkage_from_duckdb else "linkage (Splink on Spark)",
                (lambda: copy_linkage_from_duckdb(spark, linkage_from_duckdb))
                if linkage_from_duckdb
                else (lambda: run_linkage(spark, project_dir, settings, trained_model)),
            )
        ],
        "after": [
            (
                "dbt run (selector spark_after_linkage)",
                lambda: dbt(["run", "--selector", "spark_after_linkage"], project_dir),
            )
        ],
        "unit": [("dbt test (unit tests)", lambda: dbt(["test", "--select", "test_type:unit"], project_dir))],
    }
    failed_checks: list[str] = []
    for stage in steps:
        for name, action in stages[stage]:
            with timings.step(name):
                if name.startswith("dbt test"):
                    # A failing test does not stop the build: the rest is built and compared, and the
                    # build fails at the end (CheckFailedError).
                    try:
                        action()
                    except DbtFailedError as error:
                        print(f"== build-spark: {error}", flush=True)
                        failed_checks.append(name)
                else:
                    action()
    if compare_with is not None:
        from .compare import compare

        with timings.step(f"compare with {compare_with}"):
            results = compare(
                compare_with,
                spark,
                compare_relations,
                schemas=compare_schemas,
                ignore_columns=compare_ignore_columns,
                float_digits=compare_float_digits,
            )
        if not results or not all(result.equal for result in results):
            failed_checks.append("compare with DuckDB (a relation differs, lines above)")
    if failed_checks:
        raise CheckFailedError("failed: " + "; ".join(failed_checks))
    return True


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build-spark", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("DATA_DIR", "data")),
        help="the world (raw/ under it); Spark's metastore and warehouse go to DATA_DIR/spark/",
    )
    parser.add_argument("--project-dir", type=Path, default=PROJECT_ROOT)
    parser.add_argument(
        "--steps", nargs="+", choices=STEPS, default=list(STEPS), help="the steps to run, in order (default: all)"
    )
    parser.add_argument(
        "--linkage-from-duckdb",
        type=Path,
        help="testing: copy the two linkage tables from this DuckDB build of the same world instead of linking",
    )
    parser.add_argument(
        "--trained-model",
        type=Path,
        help="a splink_model.json saved by a DuckDB build: Spark predicts with its parameters instead of training",
    )
    parser.add_argument(
        "--select", nargs="*", default=[], help="development: run this dbt selection instead of spark_before_linkage"
    )
    parser.add_argument("--skip-seed", action="store_true", help="development: the seeds are loaded already")
    parser.add_argument(
        "--compare-with", type=Path, help="a DuckDB build of the same world to compare with, row for row, at the end"
    )
    parser.add_argument(
        "--compare-schemas", nargs="*", default=[], help="schemas (patterns: 'stg_*') whose relations to compare"
    )
    parser.add_argument("--compare-relations", nargs="*", default=[], help="more relations to compare, schema.table")
    parser.add_argument(
        "--compare-ignore-columns", nargs="*", default=[], help="columns that differ by design (release_id)"
    )
    parser.add_argument("--compare-float-digits", type=int, help="compare doubles rounded to this many decimals")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    timings = Timings()
    try:
        equal = build(
            args.data_dir.resolve(),
            project_dir=args.project_dir.resolve(),
            steps=args.steps,
            linkage_from_duckdb=args.linkage_from_duckdb,
            trained_model=args.trained_model,
            select=args.select,
            skip_seed=args.skip_seed,
            compare_with=args.compare_with,
            compare_schemas=args.compare_schemas,
            compare_relations=args.compare_relations,
            compare_ignore_columns=args.compare_ignore_columns,
            compare_float_digits=args.compare_float_digits,
            timings=timings,
        )
    except (DbtFailedError, CheckFailedError) as error:
        print(timings.summary(), flush=True)
        print(f"build-spark: {error}", file=sys.stderr)
        return 1
    print(timings.summary(), flush=True)
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
