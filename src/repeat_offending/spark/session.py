"""The Spark session the project builds in: created by our runner before dbt runs in the same process.

dbt-spark's ``session`` method (``dbt/adapters/spark/session.py``) runs every statement on
``SparkSession.builder.enableHiveSupport().getOrCreate()``, which returns the session already instantiated in
the process (pyspark keeps it in ``SparkSession._instantiatedSession``), applying the profile's
``server_side_parameters`` to it as runtime settings. So the session this module creates is the one dbt's
statements run on: the Python UDFs registered here and the session variable declared here are visible to
them (``pytests/test_spark_session.py`` checks it).

The session (docs/methodology.md section 10, README "Spark"):

- ``local[2]`` and a driver heap of at most 3 GB by default (``SPARK_MASTER``, ``SPARK_DRIVER_MEMORY``);
- a Hive metastore in embedded Derby and a warehouse, both under ``DATA_DIR/spark/``, so that every world
  keeps its own catalogue and the working folder gets no ``metastore_db`` or ``spark-warehouse``;
- the session time zone UTC (DuckDB's timestamps are naive; Spark's would otherwise shift by the JVM's zone);
- ANSI mode on (Spark 4's default, set explicitly): an invalid cast or an overflow fails as on DuckDB
  instead of silently becoming null; the project's SQL uses ``try_cast`` where a failure is expected;
- constraint propagation off (its planning time explodes on the staging models' many columns);
- the UI off (nobody looks at it on a build machine; it would show the plans, with their literals).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from repeat_offending.dbt_plugins.raw_files import parquet_file_problem
from repeat_offending.dbt_plugins.research_pseudonym_key import ENVIRONMENT_VARIABLE, SESSION_VARIABLE, pseudonym_key
from repeat_offending.dbt_plugins.transliteration import transliterate_to_latin

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"
DEFAULT_DRIVER_MEMORY = "3g"
APP_NAME = "repeat_offending"


@dataclass(frozen=True)
class SessionSettings:
    """Where and how the session runs."""

    data_dir: Path
    master: str = DEFAULT_MASTER
    driver_memory: str = DEFAULT_DRIVER_MEMORY

    @property
    def spark_dir(self) -> Path:
        """Everything Spark writes for this world: warehouse, metastore, Derby's log, scratch."""
        return self.data_dir / "spark"

    @property
    def warehouse_dir(self) -> Path:
        return self.spark_dir / "warehouse"

    @property
    def metastore_dir(self) -> Path:
        return self.spark_dir / "metastore_db"

    @classmethod
    def from_environment(cls, data_dir: Path) -> SessionSettings:
        return cls(
            data_dir=data_dir.resolve(),
            master=os.environ.get("SPARK_MASTER", DEFAULT_MASTER),
            driver_memory=os.environ.get("SPARK_DRIVER_MEMORY", DEFAULT_DRIVER_MEMORY),
        )


def session_config(settings: SessionSettings) -> dict[str, str]:
    """The settings the session is created with (static ones cannot change once a session exists)."""
    spark_dir = settings.spark_dir
    return {
        "spark.master": settings.master,
        "spark.app.name": APP_NAME,
        "spark.driver.memory": settings.driver_memory,
        "spark.sql.warehouse.dir": str(settings.warehouse_dir),
        "spark.sql.catalogImplementation": "hive",
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={settings.metastore_dir};create=true",
        # Derby writes derby.log into the working folder unless told otherwise.
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={spark_dir} -Duser.timezone=UTC",
        "spark.local.dir": str(spark_dir / "tmp"),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "true",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        # Few cores: few shuffle partitions (the default 200 costs more than it gives on a small world).
        "spark.sql.shuffle.partitions": os.environ.get("SPARK_SHUFFLE_PARTITIONS", "4"),
        # Constraint propagation (inferring filters from every alias and condition) grows without bound on
        # the staging models' many cleaned columns: planning staging_checks.oasys_assessments ran for minutes
        # in InferFiltersFromConstraints. Off: it only adds filters, never changes a result.
        "spark.sql.constraintPropagation.enabled": "false",
        # The analyzer resolves a chain of CTEs one level per iteration: the disclosure control's rounds of
        # secondary suppression (var sdc_secondary_passes, macros expanded into one query) need more than
        # the default 100 (test_sdc_suppress failed with "Max iterations (100) reached for batch Resolution").
        "spark.sql.analyzer.maxIterations": "1000",
        # The SQL status store keeps every query's plan as text (even without the UI), and adaptive execution
        # writes it again at each stage: the column-profile hook's query (every public model at once) filled a
        # 3 GB driver at 200,000 people building that text. Plans are kept as at most 100,000 characters, and
        # for the last 50 queries only.
        "spark.sql.maxPlanStringLength": "100000",
        "spark.sql.ui.retainedExecutions": "50",
        # Python UDFs through Arrow: fewer round trips for transliterate_to_latin.
        "spark.sql.execution.pythonUDF.arrow.enabled": "true",
    }


def create_session(settings: SessionSettings) -> SparkSession:
    """Create (or return, when this process has one) the session, with the UDFs and the session variable."""
    from pyspark.sql import SparkSession

    # The Python workers (UDFs) must run this interpreter, which has the project installed: pyspark reads
    # the environment when it starts the context (the spark.pyspark.python setting is spark-submit's only).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings.spark_dir.mkdir(parents=True, exist_ok=True)
    (settings.spark_dir / "tmp").mkdir(exist_ok=True)
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in session_config(settings).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    register_functions(spark)
    declare_pseudonym_key(spark)
    return spark


def register_functions(spark: SparkSession) -> None:
    """The project's Python functions, the same ones the dbt-duckdb plugins give DuckDB, so that both engines
    compute identical values: ``transliterate_to_latin(text)`` and ``parquet_file_problem(path)``."""
    from pyspark.sql.types import StringType

    def transliterate(text: str | None) -> str | None:
        return None if text is None else transliterate_to_latin(text)

    spark.udf.register("transliterate_to_latin", transliterate, StringType())
    spark.udf.register("parquet_file_problem", parquet_file_problem, StringType())


def declare_pseudonym_key(spark: SparkSession) -> None:
    """Declare the session variable ``research_pseudonym_key`` and set it from ``RESEARCH_PSEUDONYM_KEY``
    through a bound parameter, so that the key is never part of any SQL text (nor of dbt's logs, target/ or
    the query history). Unset or blank: the variable stays null, as on DuckDB, where the plugin sets nothing
    and ``getvariable`` returns null; the ``research_pseudonym_key()`` macro then decides."""
    spark.sql(f"declare or replace variable {SESSION_VARIABLE} string default null")
    key = pseudonym_key()
    if key is not None:
        spark.sql(f"set variable {SESSION_VARIABLE} = :key", args={"key": key})


__all__ = [
    "ENVIRONMENT_VARIABLE",
    "SESSION_VARIABLE",
    "SessionSettings",
    "create_session",
    "declare_pseudonym_key",
    "register_functions",
    "session_config",
]
